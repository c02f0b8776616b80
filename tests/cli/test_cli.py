"""End-to-end: the real ``custodia`` command in a subprocess, on each backend."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import typer
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from custodia.cli import app
from custodia.clikit import one_line_summaries
from custodia.db import alembic_config, upgrade_database
from tests.clirun import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _run(engine: Engine, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    url = engine.url.render_as_string(hide_password=False)
    return run_cli(tmp_path, *args, database_url=url)


@pytest.fixture
def populated(engine: Engine, tmp_path: Path) -> Engine:
    result = _run(
        engine,
        tmp_path,
        "scenario",
        "generate",
        "--seed",
        "7",
        "--detainees",
        "120",
        "--camp-residents",
        "150",
    )
    assert result.returncode == 0, result.stderr
    return engine


def test_scenario_then_person_show_gives_identity_custody_and_history(
    populated: Engine, tmp_path: Path
) -> None:
    result = _run(populated, tmp_path, "person", "show", "1", "--json")
    assert result.returncode == 0, result.stderr
    detail = json.loads(result.stdout)
    assert detail["person"]["category"] == "detainee"
    assert detail["history"][0]["type"] == "INTAKE"
    assert detail["custody"]["status"] in {
        "in_custody",
        "released",
        "repatriated",
        "deceased",
        "escaped",
    }


def test_a_generated_scenario_on_postgresql_is_vacuumed_so_searches_read_the_index_alone(
    populated: Engine,
) -> None:
    if populated.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no visibility map")
    with populated.connect() as conn:
        vacuumed = conn.execute(
            text("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = :t"),
            {"t": "identity_name_key"},
        ).scalar_one()
    assert vacuumed


def test_generating_twice_into_the_same_database_is_refused_in_one_line(
    populated: Engine, tmp_path: Path
) -> None:
    result = _run(
        populated, tmp_path, "scenario", "generate", "--detainees", "5", "--camp-residents", "0"
    )
    assert result.returncode == 1
    assert "already holds persons" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_person_is_one_readable_line_and_exit_1(populated: Engine, tmp_path: Path) -> None:
    result = _run(populated, tmp_path, "person", "show", "999999")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no person with id 999999"


def _hand_checkpoint_to_monitor(engine: Engine, tmp_path: Path) -> tuple[Path, Path]:
    checkpoint, public_key = tmp_path / "cp.json", tmp_path / "log.pub"
    made = _run(
        engine,
        tmp_path,
        "ledger",
        "checkpoint",
        "--out",
        str(checkpoint),
        "--public-key-out",
        str(public_key),
    )
    assert made.returncode == 0, made.stderr
    return checkpoint, public_key


def test_checkpoint_then_verify_proves_the_log_extends_it(
    populated: Engine, tmp_path: Path
) -> None:
    checkpoint, public_key = _hand_checkpoint_to_monitor(populated, tmp_path)
    roll_call = tmp_path / "present.csv"
    roll_call.write_text("person_id\n1\n2\n")
    # A monitor writes nothing, at the command line as in the API.
    args = ("rollcall", "import", "HSK-01", str(roll_call))
    refused = _run(populated, tmp_path, *args, "--user", "monitor")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "roll calls" in refused.stderr and "monitor has the role monitor" in refused.stderr
    imported = _run(populated, tmp_path, *args, "--user", "officer")
    assert imported.returncode == 0, imported.stderr
    assert "missing" in imported.stdout
    verified = _run(
        populated,
        tmp_path,
        "ledger",
        "verify",
        "--checkpoint",
        str(checkpoint),
        "--public-key",
        str(public_key),
        "--json",
    )
    assert verified.returncode == 0, verified.stderr
    report = json.loads(verified.stdout)
    assert report["checkpoint_proved"] is True
    assert report["projection_matches_replay"] is True
    size = json.loads(checkpoint.read_text())["tree_size"]
    proof = _run(populated, tmp_path, "ledger", "prove", "--checkpoint", str(checkpoint))
    assert json.loads(proof.stdout)["checkpoint_root_matches"] is True
    inclusion = _run(populated, tmp_path, "ledger", "prove", "--seq", str(size))
    assert json.loads(inclusion.stdout)["leaf_index"] == size - 1


def _drop_ledger_triggers(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER ledger_event_no_update"))
            conn.execute(text("DROP TRIGGER ledger_event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER ledger_event_append_only ON ledger_event"))


@pytest.mark.parametrize("tamper", ["alter", "delete"])
def test_verify_names_the_first_tampered_sequence_number(
    populated: Engine, tmp_path: Path, tamper: str
) -> None:
    _drop_ledger_triggers(populated)
    with populated.begin() as conn:
        if tamper == "alter":
            conn.execute(
                text("UPDATE ledger_event SET facility_id = facility_id + 1 WHERE seq IN (40, 90)")
            )
        else:
            conn.execute(text("DELETE FROM ledger_event WHERE seq IN (40, 41)"))
    result = _run(populated, tmp_path, "ledger", "verify")
    assert result.returncode == 1
    assert "FAILED at sequence 40" in result.stderr


def test_rewritten_history_is_caught_by_a_monitors_checkpoint(
    populated: Engine, tmp_path: Path
) -> None:
    checkpoint, public_key = _hand_checkpoint_to_monitor(populated, tmp_path)
    _drop_ledger_triggers(populated)
    with populated.begin() as conn:  # drop the newest event, as if it never happened
        conn.execute(
            text("DELETE FROM ledger_event WHERE seq = (SELECT MAX(seq) FROM ledger_event)")
        )
        if populated.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER ledger_checkpoint_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER ledger_checkpoint_append_only ON ledger_checkpoint"))
        conn.execute(text("DELETE FROM ledger_checkpoint"))
    result = _run(
        populated,
        tmp_path,
        "ledger",
        "verify",
        "--checkpoint",
        str(checkpoint),
        "--public-key",
        str(public_key),
    )
    assert result.returncode == 1
    assert "FAILED" in result.stderr


def test_db_upgrade_is_idempotent(engine: Engine, tmp_path: Path) -> None:
    upgrade_database(engine.url.render_as_string(hide_password=False))
    result = _run(engine, tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert f"revision {head}" in result.stdout


def test_a_new_installation_gets_its_first_administrator_from_the_command_line(
    engine: Engine, tmp_path: Path
) -> None:
    no_org = _run(engine, tmp_path, "user", "create", "admin", "--org", "CDWG", "--role", "admin")
    assert no_org.returncode == 1 and "no organization with code 'CDWG'" in no_org.stderr
    org = ("org", "create", "CDWG", "Custody Working Group", "--kind", "working_group")
    bad_country = _run(engine, tmp_path, *org, "--country", "XX")
    assert bad_country.returncode == 1 and "'XX' is not an ISO 3166-1" in bad_country.stderr
    assert _run(engine, tmp_path, *org, "--country", "CH").returncode == 0
    user = ("user", "create", "--org", "CDWG", "--role", "admin")
    bad_name = _run(engine, tmp_path, *user, "First Admin")
    assert bad_name.returncode == 1 and "Traceback" not in bad_name.stderr
    assert "username: String should match pattern '^[a-z0-9._-]+$'" in bad_name.stderr
    made = _run(engine, tmp_path, *user, "admin", "--name", "First administrator")
    assert made.returncode == 0, made.stderr
    assert "admin (admin, CDWG)" in made.stdout
    token = _run(engine, tmp_path, "token", "create", "admin")
    assert token.returncode == 0 and token.stdout.startswith("cst_")
    again = _run(engine, tmp_path, *user, "admin")
    assert again.returncode == 1 and "already exists" in again.stderr
    listed = _run(engine, tmp_path, "user", "list")
    assert "First administrator" in listed.stdout and "CDWG" in listed.stdout
    tokens = _run(engine, tmp_path, "token", "list", "admin")
    assert tokens.returncode == 0 and "cli" in tokens.stdout and "cst_" not in tokens.stdout
    revoked = _run(engine, tmp_path, "token", "revoke", "admin", "1")
    assert revoked.returncode == 0 and "revoked API token 1 (cli) of admin" in revoked.stdout
    twice = _run(engine, tmp_path, "token", "revoke", "admin", "1")
    assert twice.returncode == 1 and "revoked already" in twice.stderr
    assert "Traceback" not in twice.stderr


@pytest.mark.parametrize("url", ["nosuchdb://x", "not a url"])
@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve", "--workers", "2")])
def test_a_database_url_that_cannot_be_used_is_one_line_not_a_traceback(
    tmp_path: Path, url: str, command: tuple[str, ...]
) -> None:
    result = run_cli(tmp_path, *command, database_url=url)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the database URL cannot be used" in result.stderr
    assert "CUSTODIA_DATABASE_URL" in result.stderr


def _summaries(group: typer.Typer, path: str = "custodia") -> dict[str, str | None]:
    out = {
        f"{path} {c.name or getattr(c.callback, '__name__', '')}": c.short_help
        for c in group.registered_commands
    }
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            out |= _summaries(sub.typer_instance, f"{path} {sub.name}")
    return out


def test_every_command_is_summed_up_in_one_line_in_its_group_s_list() -> None:
    one_line_summaries(app)
    summaries = _summaries(app)
    assert len(summaries) > 50
    ragged = {cmd: text for cmd, text in summaries.items() if not text or "\n" in text}
    assert ragged == {}
    assert summaries["custodia identity reindex"] == (
        "Index the names of persons not indexed yet; every person when the index was built "
        "by an older name model, or with --rebuild."
    )
