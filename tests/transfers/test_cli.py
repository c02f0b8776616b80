"""``custodia plan ...`` on files, as a planner runs it (real command, subprocess)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from custodia.custody import service as custody
from custodia.db import read_session
from custodia.transfers import service as transfers
from custodia.transfers.operation import dump_operation
from custodia.transfers.synthetic import synthetic_operation
from tests.clirun import run_cli
from tests.conftest import World
from tests.transfers.test_execution import _stored


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(tmp_path, *args, database_url=f"sqlite:///{tmp_path / 'unused.db'}")


def test_plan_files_from_create_to_manifest_chart_and_replan(tmp_path: Path) -> None:
    op = synthetic_operation(seed=4, detainees=150, sites=3, aircraft=3, days=8)
    operation = tmp_path / "operation.yaml"
    operation.write_text(yaml.safe_dump(dump_operation(op)))
    plan_file = tmp_path / "plan.json"
    created = _run(
        tmp_path, "plan", "create", str(operation), "--time-limit", "3", "--out", str(plan_file)
    )
    assert created.returncode == 0, created.stderr
    assert "lower bound" in created.stdout
    plan = json.loads(plan_file.read_text())
    assert plan["moved"] == 150 and plan["checker"]["ok"]
    sortie = plan["sorties"][0]["id"]
    pdf = tmp_path / "m.pdf"
    png = tmp_path / "c.png"
    assert (
        _run(tmp_path, "plan", "manifest", str(plan_file), sortie, "--pdf", str(pdf)).returncode
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _run(tmp_path, "plan", "chart", str(plan_file), "--out", str(png)).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    event = tmp_path / "event.yaml"
    event.write_text(
        yaml.safe_dump({"kind": "aircraft_lost", "day": 2, "aircraft": [op.aircraft[0].tail]})
    )
    new_file = tmp_path / "new.json"
    replanned = _run(
        tmp_path, "plan", "replan", str(plan_file), "--event", str(event), "--out", str(new_file)
    )
    assert replanned.returncode == 0, replanned.stderr
    assert "changed from day 2" in replanned.stdout
    new = json.loads(new_file.read_text())
    assert [s for s in new["sorties"] if s["day"] < 2] == [
        s for s in plan["sorties"] if s["day"] < 2
    ]


def test_an_impossible_description_is_one_red_line(tmp_path: Path) -> None:
    data = dump_operation(synthetic_operation(seed=4, detainees=20, sites=1, aircraft=1, days=3))
    data["sites"][0]["prep_per_day"] = 0
    operation = tmp_path / "operation.json"
    operation.write_text(json.dumps(data))
    result = _run(tmp_path, "plan", "create", str(operation))
    assert result.returncode == 1
    assert "prep_per_day is 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_finger_at_boarding_is_one_red_line(tmp_path: Path) -> None:
    result = _run(tmp_path, "plan", "board", "1", "S1", "--person", "7", "--finger", "7-index")
    assert result.returncode == 1
    assert "write PERSON:POS:IMAGE" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_sortie_flown_from_the_command_line_names_who_recorded_each_event(
    world: World, tmp_path: Path
) -> None:
    plan, _ = _stored(world, per_site=3)
    sortie = plan["sorties"][0]
    url = world.engine.url.render_as_string(hide_password=False)

    def flown(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, "plan", *args, str(plan["id"]), sortie["id"], database_url=url)

    # a planner plans; boarding men is a custody officer's record, on the ledger
    refused = flown("board", "--all", "--user", "planner")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "planner has the role planner" in refused.stderr
    officer = ("--user", "custody-officer")
    assert flown("board", "--all", *officer).returncode == 0
    assert flown("depart", "--user", "monitor").returncode == 1  # a monitor records nothing
    assert flown("depart").returncode == 0  # admin
    received = [arg for p in sortie["manifest"] for arg in ("--received", str(p))]
    assert flown("arrive", *received, *officer).returncode == 0
    assert flown("intake", *officer).returncode == 0
    with read_session(world.engine) as session:
        history = custody.custody_history(session, person_id=sortie["manifest"][0])
        status = transfers.sortie_status(session, plan_id=plan["id"], sortie=sortie["id"])
    # departure and arrival are no ledger events: the sortie says who recorded them
    assert (status.departed_by, status.arrived_by) == (
        world.users["admin"],
        world.users["custody_officer"],
    )
    assert [(e.type, e.recorded_by) for e in history[-2:]] == [
        ("TRANSFER_OUT", world.users["custody_officer"]),
        ("TRANSFER_IN", world.users["custody_officer"]),
    ]
