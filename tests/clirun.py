"""Run the ``custodia`` command as a user would: a fresh process with its own data directory
and a wide terminal, so tests read the same output and exit code a person sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    tmp_path: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CUSTODIA_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    if database_url is not None:
        env["CUSTODIA_DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603 -- our own interpreter and CLI
        [sys.executable, "-c", "from custodia.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
