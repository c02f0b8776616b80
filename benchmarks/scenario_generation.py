"""Time to a ready demo: ``custodia demo --no-serve`` (6,000 detainees + 40,000 camp
residents, seed 1) on an empty database, as a user runs it. Target <= 60 s.

Each run is a subprocess with ``CUSTODIA_DATA_DIR`` set to a fresh temporary directory,
so it includes interpreter start, imports, migrations, the generation and the token.
``custodia scenario generate`` is also timed alone, after a separate ``custodia db
upgrade`` (not timed) into another fresh directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import REPO, check, emit, log, machine_info

TARGET_SECONDS = 60.0


def cli_command() -> list[str]:
    """The installed console script if there is one, else the module through Python."""
    script = Path(sys.executable).with_name("custodia")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from custodia.cli import main; main()"]


def run_cli(args: list[str], data_dir: Path) -> tuple[float, str]:
    env = dict(os.environ)
    env.pop("CUSTODIA_DATABASE_URL", None)
    env["CUSTODIA_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "120"
    log(f"$ custodia {' '.join(args)}")
    started = time.perf_counter()
    done = subprocess.run(
        [*cli_command(), *args], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"custodia {' '.join(args)} failed with exit code {done.returncode}")
    return seconds, done.stdout


def database_counts(data_dir: Path) -> dict[str, int]:
    conn = sqlite3.connect(data_dir / "custodia.db")
    try:
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
            for table in ("person", "ledger_event", "household", "custody_state")
        }
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detainees", type=int, default=6000)
    parser.add_argument("--camp-residents", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-generate", action="store_true", help="time the demo only")
    parser.add_argument("--keep", type=Path, help="leave the demo's data directory here")
    args = parser.parse_args()
    sizes = [
        f"--seed={args.seed}",
        f"--detainees={args.detainees}",
        f"--camp-residents={args.camp_residents}",
    ]
    result: dict[str, Any] = {"benchmark": "scenario_generation", "parameters": vars(args)}
    result["machine"] = machine_info()
    result["command"] = cli_command()[:1]
    with tempfile.TemporaryDirectory(prefix="custodia-bench-") as tmp:
        demo_dir = Path(tmp) / "demo"
        seconds, _ = run_cli(["demo", "--no-serve", *sizes], demo_dir)
        result["demo_no_serve"] = {"seconds": round(seconds, 2), **database_counts(demo_dir)}
        if args.keep:
            shutil.copytree(demo_dir, args.keep, dirs_exist_ok=True)
        if not args.skip_generate:
            gen_dir = Path(tmp) / "generate"
            upgrade, _ = run_cli(["db", "upgrade"], gen_dir)
            seconds, _ = run_cli(["scenario", "generate", *sizes], gen_dir)
            result["db_upgrade"] = {"seconds": round(upgrade, 2)}
            result["scenario_generate"] = {"seconds": round(seconds, 2), **database_counts(gen_dir)}
    result["targets"] = {
        "demo_no_serve_seconds": check(result["demo_no_serve"]["seconds"], at_most=TARGET_SECONDS)
    }
    result["pass"] = all(t["pass"] for t in result["targets"].values())
    emit(result)


if __name__ == "__main__":
    main()
