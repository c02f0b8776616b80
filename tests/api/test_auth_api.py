"""Who may do what: tokens, roles, and a monitor that can only read."""

from __future__ import annotations

import time

from fastapi import FastAPI

from tests.api.conftest import Api, assert_problem


def test_no_token_is_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.client.get("/persons")

    problem = assert_problem(response, 401)
    assert response.headers["www-authenticate"] == 'Bearer realm="custodia"'
    assert "Authorization: Bearer" in problem["detail"]


def test_an_unknown_token_is_401_invalid_token(api: Api) -> None:
    response = api.client.get("/persons", headers={"Authorization": "Bearer cst_not-a-token"})

    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_missing_token_is_refused_before_the_body_is_judged(api: Api) -> None:
    size = api.ledger_size()

    response = api.client.post("/custody/events", json={"type": "INTAKE"})

    assert_problem(response, 401)
    assert api.ledger_size() == size


def test_a_monitor_reads_everything_and_writes_nothing(api: Api) -> None:
    person = api.register("Jamal Mansour")
    api.intake(person, api.world.prison_a)
    size = api.ledger_size()

    release = api.event(
        {"type": "RELEASE", "person_id": person, "reason": "court order"}, role="monitor"
    )
    register = api.post(
        "monitor", "/persons", json={"category": "detainee", "names": [{"full_name": "X Y"}]}
    )
    roll_call = api.post(
        "monitor", "/roll-calls", json={"facility_id": api.world.prison_a, "person_ids": []}
    )

    problem = assert_problem(release, 403)
    assert "custody_officer or admin" in problem["detail"]
    assert "monitor" in problem["detail"]
    assert_problem(register, 403)
    assert_problem(roll_call, 403)
    assert api.ledger_size() == size
    assert api.get("monitor", f"/persons/{person}").json()["custody"]["status"] == "in_custody"
    assert api.get("monitor", "/ledger/events").json()["total"] == size


def test_only_an_admin_administers(api: Api) -> None:
    org = {"code": "IQ-CTS", "name": "Counter-Terrorism Service", "kind": "agency", "country": "IQ"}

    for role in ("custody_officer", "planner", "monitor", "analyst"):
        assert_problem(api.post(role, "/organizations", json=org), 403)
    created = api.post("admin", "/organizations", json=org)

    assert created.status_code == 201, created.text
    codes = [o["code"] for o in api.get("analyst", "/organizations").json()["items"]]
    assert codes == ["NESGF", "IQ-MOJ", "IQ-CTS"]


def test_planners_set_threat_levels_custody_officers_do_not(api: Api) -> None:
    url = f"/facilities/{api.world.camp}/threat-levels"

    refused = api.post("custody_officer", url, json={"level": 5})
    accepted = api.post("planner", url, json={"level": 4, "note": "shelling nearby"})

    assert_problem(refused, 403)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["threat_level"] == 4
    assert api.get("analyst", f"/facilities/{api.world.camp}").json()["threat_level"] == 4
    history = api.get("monitor", url).json()
    assert [(t["level"], t["note"]) for t in history["items"]] == [(4, "shelling nearby")]


def test_a_token_issued_by_an_admin_lets_the_new_user_in(api: Api) -> None:
    user = api.post(
        "admin",
        "/users",
        json={
            "username": "officer-2",
            "display_name": "Second officer",
            "organization_id": api.world.guard_force,
            "role": "custody_officer",
        },
    )
    assert user.status_code == 201, user.text
    user_id = user.json()["id"]

    issued = api.post("admin", f"/users/{user_id}/tokens", json={"label": "laptop"})

    assert issued.status_code == 201, issued.text
    assert issued.json()["label"] == "laptop"
    token = issued.json()["token"]
    person = api.register("Nabil Youssef")
    recorded = api.client.post(
        "/custody/events",
        json={"type": "INTAKE", "person_id": person, "facility_id": api.world.prison_a},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["recorded_by"] == user_id
    assert_problem(api.post("admin", "/users/9999/tokens"), 404)
    assert_problem(api.post("custody_officer", f"/users/{user_id}/tokens"), 403)


def test_a_duplicate_is_a_conflict_and_leaves_no_trace(api: Api) -> None:
    facility = {
        "code": "HSK-01",
        "name": "Another Hasakah",
        "kind": "prison",
        "town": "Hasakah",
        "latitude": 36.5,
        "longitude": 40.75,
        "capacity": 100,
        "authority_id": api.world.guard_force,
    }

    problem = assert_problem(api.post("admin", "/facilities", json=facility), 409)

    assert "HSK-01" in problem["detail"]
    assert api.get("analyst", "/facilities").json()["total"] == 4


def test_a_monitor_reads_who_is_who_behind_the_ids_of_the_audit_log(api: Api) -> None:
    org = {"code": "IQ-CTS", "name": "Counter-Terrorism Service", "kind": "agency", "country": "IQ"}
    assert api.post("admin", "/organizations", json=org).status_code == 201
    users = api.get("monitor", "/users").json()["items"]
    by_id = {u["id"]: (u["username"], u["role"]) for u in users}
    audited = api.get("monitor", "/audit", params={"limit": 100}).json()["items"]
    (created,) = [a for a in audited if a["detail"] == "IQ-CTS"]
    assert by_id[created["actor_id"]] == ("admin", "admin")


def test_a_token_revoked_in_the_database_is_refused_once_its_moment_has_passed(
    api: Api,
) -> None:
    app = api.client.app
    assert isinstance(app, FastAPI)
    tokens = app.state.custodia.tokens
    tokens.seconds = 0.2  # how long an accepted token is taken on trust
    assert api.client.get("/persons", headers=api.headers("monitor")).status_code == 200
    api.world.revoke_token(api.tokens["monitor"])

    trusted = api.client.get("/persons", headers=api.headers("monitor"))
    time.sleep(0.3)
    refused = api.client.get("/persons", headers=api.headers("monitor"))

    assert trusted.status_code == 200  # within the moment: not looked up again
    assert_problem(refused, 401)
    assert api.client.get("/persons", headers=api.headers("analyst")).status_code == 200


def test_an_administrator_revokes_a_token_and_this_server_refuses_it_at_once(api: Api) -> None:
    monitor = api.world.users["monitor"]
    assert api.get("monitor", "/persons").status_code == 200  # now taken on trust for 2 s
    (token,) = api.get("admin", f"/users/{monitor}/tokens").json()["items"]

    by_monitor = api.post("monitor", f"/users/{monitor}/tokens/{token['id']}/revoke")
    revoked = api.post("admin", f"/users/{monitor}/tokens/{token['id']}/revoke")
    again = api.post("admin", f"/users/{monitor}/tokens/{token['id']}/revoke")

    assert_problem(by_monitor, 403)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert_problem(api.client.get("/persons", headers=api.headers("monitor")), 401)
    assert "revoked already" in assert_problem(again, 409)["detail"]
    (listed,) = api.get("admin", f"/users/{monitor}/tokens").json()["items"]
    assert listed["revoked_at"] == revoked.json()["revoked_at"]
    assert "token" not in listed  # the token itself is never shown again
    audited = api.get("admin", "/audit", params={"limit": 100}).json()["items"]
    assert any(a["action"] == "revoke_token" for a in audited)
