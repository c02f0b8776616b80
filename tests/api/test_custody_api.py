"""Custody through the API: where a person is, how the rules refuse impossible moves."""

from __future__ import annotations

from tests.api.conftest import Api, assert_problem


def test_transfer_out_shows_the_person_in_transit_on_that_movement(api: Api) -> None:
    person = api.register("Abu Hamza al-Iraqi")
    api.intake(person, api.world.prison_a)
    response = api.event(
        {
            "type": "TRANSFER_OUT",
            "person_id": person,
            "destination_facility_id": api.world.prison_b,
            "movement_id": "SORTIE-12",
        }
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/ledger/events/{response.json()['seq']}"

    detail = api.get("analyst", f"/persons/{person}").json()
    assert detail["person"]["names"][0]["full_name"] == "Abu Hamza al-Iraqi"
    assert detail["custody"]["status"] == "in_transit"
    assert detail["custody"]["movement_id"] == "SORTIE-12"
    assert detail["custody"]["origin_facility_id"] == api.world.prison_a
    assert detail["custody"]["destination_facility_id"] == api.world.prison_b
    assert [e["type"] for e in detail["history"]] == ["INTAKE", "TRANSFER_OUT"]
    officer = api.world.users["custody_officer"]
    assert {e["recorded_by"] for e in detail["history"]} == {officer}

    custody = api.get("monitor", f"/persons/{person}/custody").json()
    assert custody["status"] == "in_transit"
    population = {p["facility_id"]: p for p in api.get("monitor", "/population").json()["items"]}
    assert population[api.world.prison_a]["in_custody"] == 0
    assert population[api.world.prison_b]["inbound"] == 1


def test_transfer_in_at_the_wrong_facility_is_refused_and_nothing_is_recorded(api: Api) -> None:
    person = api.register("Umar Khalid al-Tunisi", nationalities=("TN",))
    api.intake(person, api.world.prison_a)
    out = api.event(
        {"type": "TRANSFER_OUT", "person_id": person, "destination_facility_id": api.world.camp}
    )
    assert out.status_code == 201, out.text
    size = api.ledger_size()

    refused = api.event(
        {"type": "TRANSFER_IN", "person_id": person, "facility_id": api.world.prison_b}
    )

    problem = assert_problem(refused, 409)
    assert f"facility {api.world.camp}" in problem["detail"]
    assert api.ledger_size() == size
    assert api.get("analyst", f"/persons/{person}/custody").json()["status"] == "in_transit"
    arrived = api.event({"type": "TRANSFER_IN", "person_id": person, "facility_id": api.world.camp})
    assert arrived.status_code == 201, arrived.text
    assert api.get("analyst", f"/persons/{person}/custody").json()["facility_id"] == api.world.camp


def test_handover_to_another_authority_needs_the_safeguards(api: Api) -> None:
    person = api.register("Yusuf Ahmad al-Shami", nationalities=("SY",))
    api.intake(person, api.world.prison_a)
    body = {
        "type": "TRANSFER_OUT",
        "person_id": person,
        "destination_facility_id": api.world.receiving,
    }

    problem = assert_problem(api.event(body), 422)
    assert "risk_assessment_ref" in problem["detail"]

    body |= {"risk_assessment_ref": "RA-2026-001", "monitor_notification_ref": "MN-77"}
    assert api.event(body).status_code == 201


def test_an_invalid_event_body_names_the_field(api: Api) -> None:
    person = api.register("Hamid Salim")
    size = api.ledger_size()

    missing = assert_problem(api.event({"type": "INTAKE", "person_id": person}), 422)
    assert "'facility_id'" in missing["detail"]
    assert missing["errors"] == [
        {"location": "body", "field": "facility_id", "message": "Field required", "type": "missing"}
    ]

    wrong_type = assert_problem(api.event({"type": "TELEPORT", "person_id": person}), 422)
    assert "INTAKE" in wrong_type["detail"]

    bad_number = assert_problem(
        api.event({"type": "INTAKE", "person_id": "someone", "facility_id": 1}), 422
    )
    assert bad_number["errors"][0]["field"] == "person_id"
    assert api.ledger_size() == size


def test_unknown_person_is_404_problem(api: Api) -> None:
    for path in ("/persons/9999", "/persons/9999/custody", "/persons/9999/history"):
        problem = assert_problem(api.get("analyst", path), 404)
        assert "9999" in problem["detail"]


def test_history_is_paginated_oldest_first(api: Api) -> None:
    person = api.register("Bilal Nasser")
    api.intake(person, api.world.prison_a)
    destination = api.world.prison_b
    api.event({"type": "TRANSFER_OUT", "person_id": person, "destination_facility_id": destination})
    api.event({"type": "TRANSFER_IN", "person_id": person, "facility_id": destination})

    page = api.get("analyst", f"/persons/{person}/history", params={"limit": 2, "offset": 1})

    body = page.json()
    assert body["total"] == 3
    assert (body["limit"], body["offset"]) == (2, 1)
    assert [e["type"] for e in body["items"]] == ["TRANSFER_OUT", "TRANSFER_IN"]


def test_status_counts_cover_every_registered_person(api: Api) -> None:
    held, escaped, _ = (api.register(n) for n in ("Ali Omar", "Saad Karim", "Zaid Fadel"))
    api.intake(held, api.world.prison_a)
    api.intake(escaped, api.world.prison_a)
    assert api.event({"type": "ESCAPE", "person_id": escaped}).status_code == 201

    counts = api.get("monitor", "/custody/status-counts").json()

    assert counts["in_custody"] == 1
    assert counts["escaped"] == 1
    assert counts["not_held"] == 1
