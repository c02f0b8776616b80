"""Every write outside the ledger names who made it, in an audit log monitors can read."""

from __future__ import annotations

from tests.api.conftest import Api


def test_registering_a_person_and_a_threat_level_are_audited_with_the_acting_user(
    api: Api,
) -> None:
    person_id = api.register("Ibrahim Awwad al-Badri")
    raised = api.post(
        "planner",
        f"/facilities/{api.world.prison_a}/threat-levels",
        json={"level": 4, "note": "shelling nearby"},
    )
    assert raised.status_code == 201, raised.text

    log = api.get("monitor", "/audit").json()
    actions = {(e["action"], e["subject"], e["actor_id"]) for e in log["items"]}
    assert (
        "register_persons",
        f"person:{person_id}",
        api.world.users["custody_officer"],
    ) in actions
    history = api.get("monitor", f"/facilities/{api.world.prison_a}/threat-levels").json()
    assert history["items"][-1]["level"] == 4


def test_audit_log_is_not_for_custody_officers(api: Api) -> None:
    response = api.get("custody_officer", "/audit")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
