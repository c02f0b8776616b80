"""Roll calls through the API: reconcile a count, keep each difference open until resolved."""

from __future__ import annotations

from tests.api.conftest import Api, assert_problem


def _held(api: Api, *names: str) -> list[int]:
    ids = [api.register(name) for name in names]
    for person in ids:
        api.intake(person, api.world.prison_a)
    return ids


def test_csv_roll_call_reports_missing_and_unexpected_until_resolved(api: Api) -> None:
    present, absent = _held(api, "Khalil Ibrahim", "Mahmoud Saleh")
    stranger = api.register("Tariq Aziz al-Masri", nationalities=("EG",))
    facility = api.world.prison_a

    response = api.post(
        "custody_officer",
        f"/facilities/{facility}/roll-calls/csv",
        content=f"person_id\n{present}\n{stranger}\n",
        headers={"Content-Type": "text/csv"},
    )

    assert response.status_code == 201, response.text
    roll_call = response.json()
    assert roll_call["missing"] == [absent]
    assert roll_call["unexpected"] == [stranger]
    assert roll_call["expected_count"] == 2 and roll_call["present_count"] == 2
    assert api.get("monitor", f"/roll-calls/{roll_call['id']}").json() == roll_call

    open_ = api.get("monitor", "/discrepancies", params={"facility_id": facility}).json()
    assert open_["total"] == 2
    by_person = {d["person_id"]: d for d in open_["items"]}
    assert by_person[absent]["kind"] == "missing"
    assert by_person[stranger]["kind"] == "unexpected"
    assert "not held" in by_person[stranger]["detail"]
    population = {p["facility_id"]: p for p in api.get("monitor", "/population").json()["items"]}
    assert population[facility]["open_discrepancies"] == 2

    resolved = api.post(
        "custody_officer",
        f"/discrepancies/{by_person[absent]['id']}/resolve",
        json={"resolution": "found in the infirmary"},
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"

    still_open = api.get("monitor", "/discrepancies", params={"facility_id": facility}).json()
    assert [d["person_id"] for d in still_open["items"]] == [stranger]
    done = api.get("monitor", "/discrepancies", params={"status": "resolved"}).json()
    assert [d["resolution"] for d in done["items"]] == ["found in the infirmary"]
    assert api.get("monitor", "/discrepancies", params={"status": "all"}).json()["total"] == 2
    again = api.post(
        "custody_officer",
        f"/discrepancies/{by_person[absent]['id']}/resolve",
        json={"resolution": "twice"},
    )
    assert_problem(again, 409)


def test_roll_call_file_upload_and_json_agree(api: Api) -> None:
    first, second = _held(api, "Adnan Jamil", "Fawzi Rashid")
    facility = api.world.prison_a

    uploaded = api.post(
        "custody_officer",
        f"/facilities/{facility}/roll-calls/csv",
        files={"file": ("count.csv", f"{first}\n{second}\n", "text/csv")},
    )
    sent = api.post(
        "custody_officer", "/roll-calls", json={"facility_id": facility, "person_ids": [second]}
    )

    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["missing"] == [] and uploaded.json()["discrepancies"] == []
    assert sent.status_code == 201, sent.text
    assert sent.json()["missing"] == [first]
    assert sent.json()["count_difference"] == -1
    kinds = sorted(d["kind"] for d in sent.json()["discrepancies"])
    assert kinds == ["count", "missing"]


def test_a_bad_roll_call_file_records_nothing(api: Api) -> None:
    (held,) = _held(api, "Rami Haddad")
    size = api.ledger_size()
    headers = {**api.headers("custody_officer"), "Content-Type": "text/csv"}
    url = f"/facilities/{api.world.prison_a}/roll-calls/csv"

    not_an_id = api.client.post(url, content=f"{held}\nabc\n", headers=headers)
    unregistered = api.client.post(url, content=f"{held}\n424242\n", headers=headers)
    wrong_type = api.post("custody_officer", url, json={"person_ids": [held]})

    assert "line 2" in assert_problem(not_an_id, 422)["detail"]
    assert "424242" in assert_problem(unregistered, 422)["detail"]
    assert "text/csv" in assert_problem(wrong_type, 415)["detail"]
    assert api.ledger_size() == size
    assert api.get("monitor", "/discrepancies").json()["total"] == 0
