"""The migration creates exactly the tables the models declare (both backends)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from custodia.db import Base

_OURS = ("biometric_image", "biometric_template", "biometric_job")


def _table_of(diff: object) -> str:
    for part in diff if isinstance(diff, list) else [diff]:
        for item in part if isinstance(part, tuple) else (part,):
            name = getattr(item, "name", None) or getattr(getattr(item, "table", None), "name", "")
            if name in _OURS or getattr(getattr(item, "table", None), "name", "") in _OURS:
                return str(name)
            if isinstance(item, str) and item in _OURS:
                return item
    return ""


def test_the_biometrics_migration_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in diffs if _table_of(d)]
    assert ours == []
