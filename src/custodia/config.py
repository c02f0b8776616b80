"""The one Settings object: every knob comes from a ``CUSTODIA_`` environment variable."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return user_data_path("custodia", appauthor=False)


def _cpu_count() -> int:
    return os.cpu_count() or 1


class Settings(BaseSettings):
    """Runtime configuration, read from the environment (prefix ``CUSTODIA_``)."""

    model_config = SettingsConfigDict(env_prefix="CUSTODIA_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    signing_key_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    # API server processes: one Python process runs one request's Python at a time.
    workers: int = Field(default_factory=_cpu_count, ge=1)
    # Threads per API process that run reads (default: 2 on SQLite, whose reads are CPU work
    # that more threads only fight over; 8 on PostgreSQL, to overlap waiting on the server).
    read_threads: int | None = Field(default=None, ge=1)
    log_name: str = "custodia-ledger"
    sqlite_busy_timeout_ms: int = 30_000
    # The largest request body the API takes (an agency list of 200,000 rows is about 30 MB).
    max_body_mb: int = Field(default=64, ge=1)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'custodia.db'}"

    @property
    def effective_signing_key_file(self) -> Path:
        if self.signing_key_file is not None:
            return self.signing_key_file
        return self.data_dir / "ledger-signing-key.pem"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
