"""The transfers routes: a planner plans and re-plans, an officer executes, the picture and
the manifest come back as files, and mistakes come back as problems."""

from __future__ import annotations

from custodia.transfers.operation import dump_operation
from tests.api.conftest import Api, assert_problem

# The api fixture, re-exported so pytest finds it here.
from tests.api.conftest import api as api
from tests.biometrics.test_api import _upload
from tests.transfers.test_execution import _operation, _populate


def test_plan_execute_and_replan_over_http(api: Api) -> None:
    world = api.world
    held = _populate(world, per_site=5)
    body = dump_operation(_operation(world, held))
    denied = api.post("custody_officer", "/transfers/plans", json=body)
    assert_problem(denied, 403)
    created = api.post("planner", "/transfers/plans?time_limit=3", json=body)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    plan = api.get("analyst", f"/transfers/plans/{plan_id}").json()
    assert {"objective", "lower_bound", "gap", "greedy_objective", "last_arrival_day"} <= set(plan)
    sortie = plan["sorties"][0]
    base = f"/transfers/plans/{plan_id}/sorties/{sortie['id']}"
    pdf = api.get("analyst", f"{base}/manifest.pdf")
    assert pdf.content.startswith(b"%PDF")
    png = api.get("monitor", f"/transfers/plans/{plan_id}/chart.png")
    assert png.content.startswith(b"\x89PNG")
    boarded = api.post("custody_officer", f"{base}/board", json={"person_ids": sortie["manifest"]})
    assert boarded.status_code == 200, boarded.text
    assert boarded.json()["boarded"] == sorted(sortie["manifest"])
    again = api.post("custody_officer", f"{base}/board", json={"person_ids": sortie["manifest"]})
    assert_problem(again, 409)
    assert api.post("custody_officer", f"{base}/depart", json={}).status_code == 200
    arrived = api.post("custody_officer", f"{base}/arrive", json={"received": sortie["manifest"]})
    assert arrived.json()["missing"] == []
    taken = api.post("custody_officer", f"{base}/intake", json={})
    assert taken.json()["status"] == "closed"
    replanned = api.post(
        "planner",
        f"/transfers/plans/{plan_id}/replan",
        json={"event": {"kind": "intake_slowed", "day": 0, "intake_per_day": 5}, "time_limit": 3},
    )
    assert replanned.status_code == 201, replanned.text
    new = api.get("analyst", f"/transfers/plans/{replanned.json()['id']}").json()
    # The flown sortie's persons are in the ledger at the destination: not planned again.
    replanned_people = {
        p for s in new["sorties"] if s["day"] >= new["replanned_from_day"] for p in s["manifest"]
    }
    assert not replanned_people & set(sortie["manifest"])
    kept = api.get("analyst", f"/transfers/plans/{new['id']}/sorties/{sortie['id']}").json()
    assert kept["status"] == "superseded"  # finished under the first plan, not flown again
    notified = api.get("monitor", f"/transfers/plans/{plan_id}/notifications").json()
    assert notified[0]["person_ids"]


def test_an_impossible_operation_is_a_problem(api: Api) -> None:
    body = dump_operation(_operation(api.world, {api.world.prison_a: [], api.world.prison_b: []}))
    body["receiving"]["intake_per_day"] = 0
    response = api.post("planner", "/transfers/plans", json=body)
    problem = assert_problem(response, 422)
    assert "intake is zero" in problem["detail"]


def test_schema_and_assessments(api: Api) -> None:
    schema = api.get("analyst", "/transfers/operation-schema").json()
    assert "sites" in schema["properties"] and "aircraft_types" in schema["required"]
    person = api.register("Assessed Person")
    body = [{"person_id": person, "ref": "RA-77", "outcome": "flagged"}]
    assert_problem(api.post("custody_officer", "/transfers/assessments", json=body), 403)
    recorded = api.post("planner", "/transfers/assessments", json=body)
    assert recorded.json() == {"recorded": 1}
    assert_problem(api.post("planner", "/transfers/assessments", json=body), 409)
    ghost = [{"person_id": 987_654, "ref": "RA-78", "outcome": "cleared"}]
    assert_problem(api.post("planner", "/transfers/assessments", json=ghost), 404)


def test_one_ref_given_twice_in_a_batch_is_refused_and_nothing_is_recorded(api: Api) -> None:
    person = api.register("Assessed Twice")
    body = [
        {"person_id": person, "ref": "RA-90", "outcome": "cleared"},
        {"person_id": person, "ref": "RA-91", "outcome": "cleared"},
        {"person_id": person, "ref": "RA-90", "outcome": "flagged"},
    ]

    problem = assert_problem(api.post("planner", "/transfers/assessments", json=body), 422)

    assert "RA-90" in problem["detail"] and "RA-91" not in problem["detail"]
    again = [{"person_id": person, "ref": "RA-91", "outcome": "cleared"}]
    assert api.post("planner", "/transfers/assessments", json=again).json() == {"recorded": 1}


def test_a_finger_taken_at_the_aircraft_must_match_the_enrolment(api: Api) -> None:
    world = api.world
    held = _populate(world, per_site=2)
    body = dump_operation(_operation(world, held))
    plan_id = api.post("planner", "/transfers/plans?time_limit=3", json=body).json()["id"]
    sortie = api.get("analyst", f"/transfers/plans/{plan_id}").json()["sorties"][0]
    people = sortie["manifest"][:2]
    for finger_id, person in enumerate(people):
        enrolled = api.post(
            "custody_officer",
            f"/biometrics/persons/{person}/fingers",
            json={"fingers": [_upload(2, finger_id, 0)], "search": False},
        )
        assert enrolled.status_code == 201, enrolled.text
    base = f"/transfers/plans/{plan_id}/sorties/{sortie['id']}"

    # The second man presents the first man's finger: nobody boards.
    swapped = [
        {"person_id": people[0], "finger": _upload(2, 0, 1)},
        {"person_id": people[1], "finger": _upload(2, 0, 2)},
    ]
    refused = api.post(
        "custody_officer", f"{base}/board", json={"person_ids": people, "fingerprints": swapped}
    )
    assert_problem(refused, 409)
    assert str(people[1]) in refused.json()["detail"]
    assert api.get("analyst", base).json()["boarded"] == []

    missing = api.post(
        "custody_officer",
        f"{base}/board",
        json={"person_ids": people, "fingerprints": swapped[:1]},
    )
    assert_problem(missing, 422)

    right = [
        {"person_id": people[0], "finger": _upload(2, 0, 1)},
        {"person_id": people[1], "finger": _upload(2, 1, 1)},
    ]
    boarded = api.post(
        "custody_officer", f"{base}/board", json={"person_ids": people, "fingerprints": right}
    )
    assert boarded.status_code == 200, boarded.text
    assert boarded.json()["boarded"] == sorted(people)
