"""The identity commands as a person types them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.test_cli import _run
from tests.clirun import run_cli
from tests.conftest import World


def test_compare_json_and_search_and_a_readable_failure(engine: Engine, tmp_path: Path) -> None:
    compared = _run(
        engine, tmp_path, "identity", "compare", "Abd al-Rahman", "Abdulrahman", "--json"
    )
    assert compared.returncode == 0, compared.stderr
    body = json.loads(compared.stdout)
    assert body["match"] is True and 0 <= body["score"] <= 1
    differ = _run(engine, tmp_path, "identity", "compare", "Omar Khalid", "Yusuf Bilal", "--json")
    assert json.loads(differ.stdout)["match"] is False
    searched = _run(engine, tmp_path, "identity", "search", "Muhammad", "--dob", "1990", "--json")
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["candidates"] == []
    options = ("--mother", "Khadija", "--born-in", "Mosul")
    narrowed = _run(engine, tmp_path, "identity", "search", "Muhammad", *options)
    assert narrowed.returncode == 0, narrowed.stderr
    blank = _run(engine, tmp_path, "identity", "search", "Muhammad", "--mother", "  ")
    assert blank.returncode == 1
    assert "mother's name" in blank.stderr and "Traceback" not in blank.stderr
    bad = tmp_path / "bad.xml"
    bad.write_text("<OTHER/>", encoding="utf-8")
    failed = _run(engine, tmp_path, "watchlist", "import", "un-sc", str(bad))
    assert failed.returncode == 1
    assert "CONSOLIDATED_LIST" in failed.stderr and "Traceback" not in failed.stderr


def test_search_prints_each_candidate_with_its_evidence_a_line_each(
    engine: Engine, tmp_path: Path
) -> None:
    from custodia.db import unit_of_work
    from custodia.registry import service as registry
    from tests.identity.test_queue import person

    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(
            session, persons_in=[person("Musa Ammar Muhammad al-Ani", dob="1967-08-30")]
        )
    found = _run(engine, tmp_path, "identity", "search", "Mousa Ammaar Alaani", "--dob", "1967")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0] == "candidates for 'Mousa Ammaar Alaani'"
    assert lines[1].startswith(f" 1. person {held}  score ")
    assert lines[2].strip() == "Musa Ammar Muhammad al-Ani"
    assert "- name 'Musa Ammar Muhammad al-Ani' (primary): mousa~musa" in found.stdout
    assert "(another spelling)" in found.stdout
    assert "- date of birth: the ranges agree" in found.stdout
    nobody = _run(engine, tmp_path, "identity", "search", "Yusuf Bilal al-Tunisi")
    assert nobody.stdout.splitlines()[0] == "candidates for 'Yusuf Bilal al-Tunisi': none"


def test_queue_list_for_one_person_shows_what_intake_raised(engine: Engine, tmp_path: Path) -> None:
    from custodia.db import unit_of_work
    from custodia.registry import service as registry
    from tests.identity.test_queue import person

    with unit_of_work(engine) as session:
        held, new, other = registry.register_persons(
            session,
            persons_in=[
                person("Musa Ammar Muhammad al-Ani", dob="1967-08-30"),
                person("Mousa Ammaar Mohammed Alaani", dob="1967"),
                person("Yusuf Bilal al-Tunisi", dob="1990", nationality="TN"),
            ],
        )
    listed = _run(engine, tmp_path, "identity", "queue", "list", "--person", str(new), "--json")
    assert listed.returncode == 0, listed.stderr
    (item,) = json.loads(listed.stdout)["items"]
    assert {item["person_a"]["person_id"], item["person_b"]["person_id"]} == {held, new}
    none = _run(engine, tmp_path, "identity", "queue", "list", "--person", str(other), "--json")
    assert json.loads(none.stdout)["total"] == 0
    shown = _run(engine, tmp_path, "identity", "show", str(new))
    assert shown.returncode == 0, shown.stderr
    assert "1 review items, 1 open" in shown.stdout
    assert "    - date of birth: the ranges agree" in shown.stdout  # reasons, one a line
    unknown = _run(engine, tmp_path, "identity", "show", "999999")
    assert unknown.returncode == 1
    assert "999999" in unknown.stderr and "Traceback" not in unknown.stderr


def test_a_wrong_command_option_or_filter_says_so_without_a_traceback(tmp_path: Path) -> None:
    # refused before any database is read: one backend is enough
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args, database_url=f"sqlite:///{tmp_path / 'empty.db'}")

    unknown = run("nosuch")
    assert unknown.returncode == 2 and "No such command 'nosuch'" in unknown.stderr
    missing = run("identity", "search")
    assert missing.returncode == 2 and "Missing argument 'name'" in missing.stderr
    source = run("watchlist", "import", "ofac", "/etc/hostname")
    assert source.returncode == 2 and "'ofac': the formats are un-sc and csv" in source.stderr
    status = run("identity", "queue", "list", "--status", "maybe")
    assert status.returncode == 1
    assert "no review item is 'maybe': they are open, same, different, unsure" in status.stderr
    kind = run("identity", "queue", "list", "--kind", "dupes")
    assert kind.returncode == 1 and "duplicate, watchlist" in kind.stderr
    for done in (unknown, missing, source, status, kind):
        assert "Traceback" not in done.stderr


def test_a_decision_at_the_command_line_names_who_made_it(world: World, tmp_path: Path) -> None:
    from custodia.access import service as access
    from custodia.db import read_session, unit_of_work
    from custodia.registry import service as registry
    from tests.identity.test_queue import person

    with unit_of_work(world.engine) as session:
        registry.register_persons(
            session,
            persons_in=[
                person("Musa Ammar Muhammad al-Ani", dob="1967-08-30"),
                person("Mousa Ammaar Mohammed Alaani", dob="1967"),
            ],
        )
    listed = _run(world.engine, tmp_path, "identity", "queue", "list", "--json")
    (item,) = json.loads(listed.stdout)["items"]
    decide = ("identity", "queue", "decide", str(item["id"]), "same", "--note", "one man")
    refused = _run(world.engine, tmp_path, *decide, "--user", "monitor")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "adjudicating identity candidates is for the role analyst" in refused.stderr
    unknown = _run(world.engine, tmp_path, *decide, "--user", "nobody")
    assert unknown.returncode == 1
    assert "no user named 'nobody': name the registered user" in unknown.stderr
    show = ("identity", "queue", "show", str(item["id"]), "--json")
    untouched = json.loads(_run(world.engine, tmp_path, *show).stdout)
    assert untouched["status"] == "open" and untouched["decisions"] == []
    decided = _run(world.engine, tmp_path, *decide, "--user", "analyst")
    assert decided.returncode == 0, decided.stderr
    assert "decided same by analyst" in decided.stdout
    a, b = item["person_a"]["person_id"], item["person_b"]["person_id"]
    person = _run(world.engine, tmp_path, "person", "show", str(a))
    assert f"same person as record {b} Mousa Ammaar Mohammed Alaani: not held" in person.stdout
    as_json = json.loads(_run(world.engine, tmp_path, "person", "show", str(b), "--json").stdout)
    assert {r["person_id"] for r in as_json["identity"]["records"]} == {a, b}
    split = ("identity", "queue", "split", str(item["id"]), "--note", "two men after all")
    undone = _run(world.engine, tmp_path, *split, "--user", "analyst")
    assert undone.returncode == 0, undone.stderr
    shown = json.loads(_run(world.engine, tmp_path, *show).stdout)
    assert [(d["decision"], d["decided_by_username"]) for d in shown["decisions"]] == [
        ("same", "analyst"),
        ("split", "analyst"),
    ]
    with read_session(world.engine) as session:
        audited, _ = access.list_actions(session, actor_id=world.users["analyst"])
    assert [a.action for a in audited] == ["identity.split", "identity.same"]


def test_reindex_on_postgresql_vacuums_the_name_index_and_nothing_else(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no visibility map")
    from sqlalchemy import text

    from custodia.db import unit_of_work
    from custodia.registry import service as registry
    from tests.identity.test_queue import person

    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[person("Musa Ammar Muhammad al-Ani")])
    rebuilt = _run(engine, tmp_path, "identity", "reindex", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT relname, last_vacuum IS NOT NULL FROM pg_stat_user_tables")
        )
        vacuumed = {name: done for name, done in rows}
    assert vacuumed["identity_name_key"] and vacuumed["identity_profile"]
    assert not vacuumed["person"] and not vacuumed["ledger_event"]
