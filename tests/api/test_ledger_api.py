"""The ledger through the API: what an independent monitor checks with the public key alone."""

from __future__ import annotations

import base64
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from custodia.ledger.merkle import verify_consistency, verify_inclusion
from tests.api.conftest import Api, assert_problem


def _some_history(api: Api, people: int) -> list[int]:
    ids = [api.register(f"Detainee Number {n}") for n in range(people)]
    for person in ids:
        api.intake(person, api.world.prison_a)
    return ids


def _verify_signature(checkpoint: dict[str, Any], pem: bytes) -> None:
    key = load_pem_public_key(pem)
    assert isinstance(key, Ed25519PublicKey)
    signed = {k: v for k, v in checkpoint.items() if k != "signature"}
    key.verify(base64.b64decode(str(checkpoint["signature"])), rfc8785.dumps(signed))


def test_checkpoint_and_proofs_verify_with_the_public_key(api: Api) -> None:
    _some_history(api, 5)
    checkpoint = api.post("monitor", "/ledger/checkpoints")
    assert checkpoint.status_code == 201, checkpoint.text
    old = checkpoint.json()
    assert old["tree_size"] == 5
    pem = api.get("monitor", "/ledger/public-key")
    assert pem.headers["content-type"].startswith("application/x-pem-file")
    _verify_signature(old, pem.content)

    _some_history(api, 3)
    new = api.post("admin", "/ledger/checkpoints").json()
    _verify_signature(new, pem.content)
    assert new["tree_size"] == 8

    inclusion = api.get(
        "monitor", "/ledger/proofs/inclusion", params={"seq": 3, "tree_size": 5}
    ).json()
    verify_inclusion(
        inclusion["leaf_index"],
        5,
        bytes.fromhex(inclusion["leaf_hash"]),
        [bytes.fromhex(node) for node in inclusion["audit_path"]],
        bytes.fromhex(old["root_hash"]),
    )
    event = api.get("monitor", "/ledger/events/3").json()
    assert event["leaf_hash"] == inclusion["leaf_hash"]

    consistency = api.get(
        "monitor", "/ledger/proofs/consistency", params={"old_size": 5, "new_size": 8}
    ).json()
    verify_consistency(
        5,
        8,
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(node) for node in consistency["proof"]],
    )

    held = api.get("monitor", "/ledger/checkpoints").json()
    assert held["total"] == 2
    assert [c["tree_size"] for c in held["items"]] == [5, 8]
    for stored in held["items"]:
        _verify_signature(stored, pem.content)


def test_verify_reports_an_intact_ledger_and_projection(api: Api) -> None:
    _some_history(api, 3)
    api.post("admin", "/ledger/checkpoints")

    report = api.get("monitor", "/ledger/verify").json()

    assert report["ledger"]["ok"] is True
    assert report["ledger"]["events"] == 3
    assert report["ledger"]["checkpoints_checked"] == 1
    assert report["projection"] == {"ok": True, "events": 3, "persons": 3, "mismatches": []}


def test_only_admins_and_monitors_may_ask_for_a_checkpoint(api: Api) -> None:
    _some_history(api, 1)

    assert_problem(api.post("custody_officer", "/ledger/checkpoints"), 403)
    assert_problem(api.post("planner", "/ledger/checkpoints"), 403)
    assert api.get("monitor", "/ledger/checkpoints").json()["total"] == 0


def test_an_empty_ledger_has_nothing_to_checkpoint(api: Api) -> None:
    problem = assert_problem(api.post("admin", "/ledger/checkpoints"), 422)

    assert "empty" in problem["detail"]


def test_proofs_outside_the_ledger_are_refused(api: Api) -> None:
    _some_history(api, 2)

    beyond = api.get("monitor", "/ledger/proofs/inclusion", params={"seq": 3})
    older = api.get("monitor", "/ledger/proofs/consistency", params={"old_size": 9})

    assert "3" in assert_problem(beyond, 422)["detail"]
    assert_problem(older, 422)
    assert_problem(api.get("monitor", "/ledger/events/99"), 404)


def test_ledger_events_filter_and_paginate_newest_first(api: Api) -> None:
    ids = _some_history(api, 4)
    api.event(
        {"type": "TRANSFER_OUT", "person_id": ids[0], "destination_facility_id": api.world.camp}
    )
    api.post(
        "custody_officer",
        "/roll-calls",
        json={"facility_id": api.world.prison_a, "person_ids": ids[1:]},
    )

    everything = api.get("monitor", "/ledger/events", params={"limit": 2}).json()
    intakes = api.get("monitor", "/ledger/events", params={"type": "INTAKE", "offset": 3}).json()
    at_camp = api.get("monitor", "/ledger/events", params={"facility_id": api.world.camp}).json()

    assert everything["total"] == 6
    assert [e["event_type"] for e in everything["items"]] == ["HEADCOUNT", "TRANSFER_OUT"]
    assert intakes["total"] == 4
    assert [e["person_id"] for e in intakes["items"]] == [ids[0]]
    assert at_camp["total"] == 0
    headcount = everything["items"][0]
    assert headcount["recorded_by"] == api.world.users["custody_officer"]
    assert headcount["payload"]["missing"] == []
