"""The ``custodia biometrics`` commands in a subprocess (one database backend is enough:
the service tests cover both)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from custodia.access import service as access
from custodia.biometrics import service as biometrics
from custodia.db import read_session, unit_of_work
from custodia.registry import service as registry
from custodia.registry.schemas import NameIn, PersonIn
from tests.biometrics.conftest import finger
from tests.clirun import run_cli
from tests.conftest import World


def _run(world: World | None, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    url = world.engine.url.render_as_string(hide_password=False) if world else None
    return run_cli(tmp_path, "biometrics", *args, database_url=url)


def test_synth_then_compare_prints_score_and_match(tmp_path: Path) -> None:
    out = tmp_path / "fingers"
    made = _run(
        None,
        tmp_path,
        "synth",
        "--fingers",
        "2",
        "--impressions",
        "2",
        "--out",
        str(out),
        "--distortion",
        "low",
    )
    assert made.returncode == 0, made.stderr
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text().splitlines()]
    assert [t["file"] for t in truth] == [
        "f00000_0.png",
        "f00000_1.png",
        "f00001_0.png",
        "f00001_1.png",
    ]
    same = _run(
        None, tmp_path, "compare", str(out / "f00000_0.png"), str(out / "f00000_1.png"), "--json"
    )
    other = _run(
        None, tmp_path, "compare", str(out / "f00000_0.png"), str(out / "f00001_1.png"), "--json"
    )
    assert json.loads(same.stdout)["match"] is True
    assert json.loads(other.stdout)["match"] is False
    assert json.loads(other.stdout)["score"] < json.loads(same.stdout)["score"]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_enroll_verify_identify_from_the_command_line(world: World, tmp_path: Path) -> None:
    with unit_of_work(world.engine) as session:
        person = registry.register_person(
            session, person_in=PersonIn(category="detainee", names=[NameIn(full_name="Ali")])
        ).id
    out = tmp_path / "fingers"
    assert (
        _run(
            None, tmp_path, "synth", "--fingers", "2", "--out", str(out), "--distortion", "low"
        ).returncode
        == 0
    )
    enrolled = _run(
        world,
        tmp_path,
        "enroll",
        str(person),
        "--finger",
        "3",
        str(out / "f00000_0.png"),
        "--finger",
        "4",
        str(out / "f00001_0.png"),
        "--user",
        "custody-officer",
    )
    assert enrolled.returncode == 0, enrolled.stderr
    assert "right middle" in enrolled.stdout and "right ring" in enrolled.stdout
    assert "0 pair(s) already under review weighed" in enrolled.stdout
    verified = _run(
        world, tmp_path, "verify", str(person), "--finger", "3", str(out / "f00000_1.png"), "--json"
    )
    assert json.loads(verified.stdout)["match"] is True
    wrong = _run(world, tmp_path, "verify", str(person), "--finger", "3", str(out / "f00001_1.png"))
    assert wrong.returncode == 2 and "no match" in wrong.stdout
    probe = ("identify", f"4:{out / 'f00001_1.png'}", "--json")
    refused = _run(world, tmp_path, *probe, "--user", "monitor")  # a monitor reads, no search
    assert refused.returncode == 1 and "searching and verifying fingerprints" in refused.stderr
    found = _run(world, tmp_path, *probe, "--user", "analyst")
    with read_session(world.engine) as session:
        (searched,) = access.list_actions(session, actor_id=world.users["analyst"])[0]
    assert searched.action.startswith("biometrics.")
    best = json.loads(found.stdout)["candidates"][0]
    assert best["person_id"] == person and best["bits"] > 10  # the finger, read as evidence
    missing = _run(
        world, tmp_path, "verify", str(person), "--finger", "9", str(out / "f00000_1.png")
    )
    assert missing.returncode == 1 and "no enrolled left ring" in missing.stderr


def test_weigh_queue_compares_the_fingers_of_pairs_under_review(
    world: World, tmp_path: Path
) -> None:
    with unit_of_work(world.engine) as session:
        ids = [
            registry.register_person(
                session,
                person_in=PersonIn(
                    category="detainee",
                    names=[NameIn(full_name=name)],
                    date_of_birth="1984-03-02",
                ),
            ).id
            for name in ("Omar Khalid Haddad", "Umar Khaled Hadad")
        ]
        for person, finger_id in zip(ids, (40, 41), strict=True):
            biometrics.enroll(
                session, person_id=person, fingers=[finger(2, finger_id, 0)], actor_id=None
            )
    weighed = _run(world, tmp_path, "weigh-queue")
    assert weighed.returncode == 0, weighed.stderr
    assert "1 pair(s) weighed by their fingerprints" in weighed.stdout
    bad = _run(world, tmp_path, "enqueue-scenario", "--fingers", "2,11")
    assert bad.returncode == 1 and "'11' is not a finger position" in bad.stderr
    assert "Traceback" not in bad.stderr
