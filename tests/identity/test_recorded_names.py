"""A name learnt after registration (an alias given at interview, a kunya named in a report)
is recorded with its source, makes the record searchable by it at once, and screens the
record again: against the watchlists and against the registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from custodia.access.models import AuditEntry
from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict
from custodia.identity import index
from custodia.identity import models as im
from custodia.identity import service as identity
from custodia.registry import models as rm
from custodia.registry import service as registry
from custodia.registry.schemas import NameAddIn
from tests.api.conftest import Api, assert_problem
from tests.cli.test_cli import _run
from tests.conftest import World
from tests.identity.test_queue import at_once, person
from tests.identity.test_watchlist_csv import WARRANTS
from tests.web.test_review_pages import _sign_in


def _add(engine: Engine, person_id: int, name: str, **fields: Any) -> list[int]:
    name_in = NameAddIn(full_name=name, source=fields.pop("source", "interview"), **fields)
    with unit_of_work(engine) as session:
        added = registry.add_person_name(session, person_id=person_id, name_in=name_in)
    return added.review_items


def _search(engine: Engine, name: str) -> list[int]:
    with read_session(engine) as session:
        found = identity.search_persons(session, name=name)
    return [c.person_id for c in found.candidates]


def test_a_name_learnt_at_interview_finds_the_record_and_says_where_it_came_from(
    api: Api,
) -> None:
    held = api.register("Suleiman Khaled al-Kubaisi", date_of_birth="1984")
    assert held not in [
        c["person_id"]
        for c in api.get(
            "analyst", "/identity/search", params={"name": "Abu Gamal al-Iraqi"}
        ).json()["candidates"]
    ]
    added = api.post(
        "custody_officer",
        f"/persons/{held}/names",
        json={"full_name": "Abu  Gamal al-Iraqi", "kind": "kunya", "source": "interview 12/01"},
    )
    assert added.status_code == 201, added.text
    name = added.json()["names"][-1]
    assert (name["full_name"], name["kind"], name["script"]) == (
        "Abu Gamal al-Iraqi",
        "kunya",
        "Latn",
    )
    assert name["source"] == "interview 12/01" and name["recorded_at"]
    assert name["recorded_by"] == api.world.users["custody_officer"]
    assert added.json()["names"][0]["recorded_at"] is None  # captured at registration
    found = api.get("analyst", "/identity/search", params={"name": "Abu Gamal al-Iraqi"}).json()
    assert found["candidates"][0]["person_id"] == held
    # in Arabic script, the script is read from the letters
    arabic = api.post(
        "analyst",
        f"/persons/{held}/names",
        json={"full_name": "أبو جمال العراقي", "kind": "kunya", "source": "report R-17"},
    )
    assert arabic.status_code == 201 and arabic.json()["names"][-1]["script"] == "Arab"
    audit = api.get("admin", "/audit").json()["items"]
    assert {
        (e["action"], e["subject"], e["detail"]) for e in audit if e["action"] == "add_person_name"
    } == {
        ("add_person_name", f"person:{held}", "kunya 'Abu Gamal al-Iraqi' from interview 12/01"),
        ("add_person_name", f"person:{held}", "kunya 'أبو جمال العراقي' from report R-17"),
    }
    page = api.get("analyst", f"/identity/persons/{held}").json()
    (record,) = page["records"]
    later = {
        n["full_name"]: (n["kind"], n["source"], n["recorded_by"]) for n in record["recorded_later"]
    }
    assert later == {
        "Abu Gamal al-Iraqi": ("kunya", "interview 12/01", "custody-officer"),
        "أبو جمال العراقي": ("kunya", "report R-17", "analyst"),
    }


def test_the_real_name_of_a_listed_man_learnt_later_raises_a_watchlist_hit_at_once(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        (held,) = registry.register_persons(session, persons_in=[person("Samir Hassan al-Dulaimi")])
    with read_session(engine) as session:
        assert identity.list_queue(session, person_id=held).items == []
    raised = _add(engine, held, "Ibrahim Awwad Ibrahim al-Badri", source="seized ID card")
    with read_session(engine) as session:
        hits = identity.list_queue(session, person_id=held).items
    assert [i.id for i in hits] == raised
    (hit,) = hits
    assert hit.watchlist_entry is not None and hit.watchlist_entry.reference == "IQW-17"
    # what a later name raises is its own: the hit already queued is not raised again
    assert _add(engine, held, "Samir al-Anbari", source="interview") == []


def test_a_name_another_record_holds_queues_the_pair_but_not_once_they_are_merged(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as session:
        first, second = registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri", dob="1971-03-02"),
                person("Abu Hamza al-Mosuli", dob="1971-03-02"),
            ],
        )
    # the second record's man gives his real name at interview: the first record's
    (item,) = _add(engine, second, "Khaled Hamza al-Jbouri", source="interview")
    with read_session(engine) as session:
        pair = identity.get_review_item(session, item_id=item)
    assert pair.person_b is not None
    assert {pair.person_a.person_id, pair.person_b.person_id} == {first, second}
    assert pair.sources == ["new name"]
    with unit_of_work(engine) as session:
        identity.decide(session, item_id=item, decision="same")
    # once merged, another name of the man proposes no pair of his own records
    assert _add(engine, second, "Khalid Hamza Mohammed al-Jubouri", source="report") == []


def test_one_name_recorded_by_two_clerks_at_once_is_recorded_once(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(session, persons_in=[person("Omar Said al-Ali")])

    def record(source: str) -> Callable[[Session], object]:
        name_in = NameAddIn(full_name="Abu Omar al-Shami", kind="kunya", source=source)
        return lambda s: registry.add_person_name(s, person_id=held, name_in=name_in)

    errors = at_once(engine, record("interview"), record("report"))
    assert [type(e) for e in errors] == [Conflict]
    with read_session(engine) as session:
        names = [n.full_name for n in registry.get_person(session, person_id=held).names]
    assert names.count("Abu Omar al-Shami") == 1


def test_a_name_recorded_in_one_server_process_is_found_by_another(engine: Engine) -> None:
    """Each worker of ``custodia serve`` keeps its own counts of the index's name keys; a
    name recorded through one must be searchable through the others, whose counts were read
    before and do not hold its rare parts."""
    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(session, persons_in=[person("Omar Said al-Ali")])
        registry.register_persons(session, persons_in=[person("Hamid Saleh al-Obeidi")])
    assert _search(engine, "Abu Zubair al-Shishani") == []
    other_worker = dict(index._STATS._by_db)  # the counts another worker holds
    _add(engine, held, "Abu Zubair al-Shishani", kind="kunya")
    # this worker took the new name's keys into its counts at once, as a count afresh would
    with read_session(engine) as session:
        kept = index._STATS.get(session)
        afresh = index._counted(session, *kept.state[1:])
    assert (kept.df, kept.rank_df) == (afresh.df, afresh.rank_df)
    index._STATS._by_db.update(other_worker)
    assert _search(engine, "Abu Zubair al-Shishani")[:1] == [held]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"full_name": " ", "source": "interview"}, 422, "a name cannot be blank"),
        ({"full_name": "Abu Omar", "source": ""}, 422, "source"),
        ({"full_name": "Abu Omar"}, 422, "source"),
        ({"full_name": "Abu Omar", "source": "x", "kind": "primary"}, 422, "keeps the primary"),
        ({"full_name": "أبو عمر", "source": "x", "script": "Latn"}, 422, "Arabic letters"),
        ({"full_name": "omar  SAID al-ali", "source": "x"}, 409, "already has the name"),
    ],
)
def test_a_name_that_cannot_be_recorded_is_refused_and_nothing_changes(
    api: Api, body: dict[str, str], status: int, says: str
) -> None:
    held = api.register("Omar Said al-Ali", date_of_birth="1980")
    before = _state(api.world.engine, held)
    refused = api.post("analyst", f"/persons/{held}/names", json=body)
    assert says in assert_problem(refused, status)["detail"]
    assert _state(api.world.engine, held) == before


def test_who_may_record_a_name_and_for_whom(api: Api) -> None:
    held = api.register("Omar Said al-Ali", date_of_birth="1980")
    body = {"full_name": "Abu Omar", "source": "interview"}
    before = _state(api.world.engine, held)
    for role in ("monitor", "planner"):
        refused = assert_problem(api.post(role, f"/persons/{held}/names", json=body), 403)
        assert "recording a person's names" in refused["detail"]
    assert (
        "no person with id 999999"
        in assert_problem(api.post("analyst", "/persons/999999/names", json=body), 404)["detail"]
    )
    assert _state(api.world.engine, held) == before
    assert api.post("admin", f"/persons/{held}/names", json=body).status_code == 201


def _state(engine: Engine, person_id: int) -> tuple[int, ...]:
    """What a refused name must leave as it was: the record's names, search tokens and index
    keys, the review queue and the audit log."""
    with read_session(engine) as session:
        return tuple(
            int(session.scalar(q) or 0)
            for q in (
                select(func.count()).where(rm.PersonName.person_id == person_id),
                select(func.count()).where(rm.NameToken.person_id == person_id),
                select(func.count()).where(im.NameKey.person_id == person_id),
                select(func.count()).select_from(im.ReviewItem),
                select(func.count()).select_from(AuditEntry),
            )
        )


def test_a_name_is_recorded_from_the_command_line_and_a_refusal_is_one_line(
    world: World, tmp_path: Path
) -> None:
    engine = world.engine
    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(session, persons_in=[person("Omar Said al-Ali")])
    done = _run(
        engine,
        tmp_path,
        "person",
        "add-name",
        str(held),
        "أبو عمر الشامي",
        "--kind",
        "kunya",
        "--source",
        "interview 2026-12-01",
        "--user",
        "custody-officer",
    )
    assert done.returncode == 0, done.stderr
    assert f"person {held}: kunya 'أبو عمر الشامي' [Arab] recorded as name " in done.stdout
    assert "from interview 2026-12-01" in done.stdout
    again = _run(
        engine, tmp_path, "person", "add-name", str(held), "أبو عمر الشامي", "--source", "x"
    )
    assert again.returncode == 1 and "already has the name" in again.stderr
    blank = _run(engine, tmp_path, "person", "add-name", str(held), "Abu Omar", "--source", " ")
    assert blank.returncode == 1
    assert blank.stderr.strip() == "error: source: a source cannot be blank"
    monitor = _run(
        engine, tmp_path, "person", "add-name", str(held), "Abu Omar", "--source", "x",
        "--user", "monitor",
    )  # fmt: skip
    assert monitor.returncode == 1 and "is for the role" in monitor.stderr
    assert "Traceback" not in again.stderr + blank.stderr + monitor.stderr
    name_id = done.stdout.split("recorded as name ")[1].split(",")[0]
    shown = _run(engine, tmp_path, "person", "show", str(held))
    assert f"(name {name_id}, recorded 20" in shown.stdout
    who = _run(engine, tmp_path, "identity", "show", str(held))
    assert f"record {held}: kunya 'أبو عمر الشامي' (name {name_id}) recorded 20" in who.stdout
    withdrawn = _run(
        engine, tmp_path, "person", "withdraw-name", str(held), name_id, "--reason", "misheard"
    )
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert f"person {held}: 'أبو عمر الشامي' withdrawn: misheard" in withdrawn.stdout
    twice = _run(
        engine, tmp_path, "person", "withdraw-name", str(held), name_id, "--reason", "misheard"
    )
    assert twice.returncode == 1 and "withdrawn already" in twice.stderr
    assert "Traceback" not in twice.stderr


def test_an_analyst_records_a_name_from_the_identity_page(api: Api) -> None:
    held = api.register("Omar Said al-Ali", date_of_birth="1980")
    _sign_in(api, "analyst")
    page = api.client.get(f"/web/identity/persons/{held}")
    assert "Record a name learnt since registration" in page.text
    refused = api.client.post(
        f"/web/identity/persons/{held}/names",
        data={"full_name": "Abu Omar al-Shami", "kind": "kunya", "source": " "},
    )
    assert refused.status_code == 422 and "a source cannot be blank" in refused.text
    assert 'value="Abu Omar al-Shami"' in refused.text  # what was typed is kept
    recorded = api.client.post(
        f"/web/identity/persons/{held}/names",
        data={"full_name": "Abu Omar al-Shami", "kind": "kunya", "source": "report R-9"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    shown = api.client.get(recorded.headers["location"]).text
    assert "Abu Omar al-Shami" in shown and "by analyst, from report R-9" in shown
    (later,) = api.get("analyst", f"/identity/persons/{held}").json()["records"][0][
        "recorded_later"
    ]
    withdraw = f"/web/identity/persons/{held}/names/{later['name_id']}/withdraw"
    assert f'action="{withdraw}"' in shown
    blank = api.client.post(withdraw, data={"reason": ""})
    assert blank.status_code == 422 and "a reason cannot be blank" in blank.text
    done = api.client.post(withdraw, data={"reason": "misheard"}, follow_redirects=False)
    assert done.status_code == 303
    shown = api.client.get(done.headers["location"]).text
    assert '<del dir="auto">Abu Omar al-Shami</del>' in shown and "withdrawn 20" in shown
    assert f'action="{withdraw}"' not in shown  # nothing left to withdraw
    _sign_in(api, "monitor")
    assert "Record a name learnt" not in api.client.get(f"/web/identity/persons/{held}").text
    forbidden = api.client.post(
        f"/web/identity/persons/{held}/names",
        data={"full_name": "Abu Omar", "kind": "alias", "source": "x"},
    )
    assert forbidden.status_code == 403


def test_a_name_found_wrong_is_withdrawn_not_erased_and_no_longer_finds_the_record(
    api: Api,
) -> None:
    held = api.register("Omar Said al-Ali", date_of_birth="1991")
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    added = api.post(
        "analyst",
        f"/persons/{held}/names",
        json={"full_name": "Yusuf Bilal al-Tunisi", "source": "interview, interpreter A."},
    ).json()
    name_id = added["names"][-1]["id"]
    (hit,) = added["review_items"]  # IQW-18, listed born 1990-1992
    withdrawn = api.post(
        "analyst",
        f"/persons/{held}/names/{name_id}/withdraw",
        json={"reason": "the interpreter misheard: Yusuf Bilal al-Tunsi"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    (name,) = [n for n in withdrawn.json()["names"] if n["id"] == name_id]
    assert name["withdrawn_at"] and name["withdrawn_by"] == api.world.users["analyst"]
    assert name["withdrawal_reason"] == "the interpreter misheard: Yusuf Bilal al-Tunsi"
    search = api.get("analyst", "/identity/search", params={"name": "Yusuf Bilal al-Tunisi"})
    assert held not in [c["person_id"] for c in search.json()["candidates"]]
    words = api.get("analyst", "/persons", params={"name": "tunisi"}).json()
    assert held not in [p["id"] for p in words["items"]]
    assert api.get("analyst", "/persons", params={"name": "omar"}).json()["total"] == 1
    # the review item it raised stays, for the reviewer to decide
    assert api.get("analyst", f"/identity/queue/{hit}").status_code == 200
    (record,) = api.get("analyst", f"/identity/persons/{held}").json()["records"]
    assert record["names"] == ["Omar Said al-Ali"]
    assert record["recorded_later"][0]["withdrawal_reason"].startswith("the interpreter")
    assert record["recorded_later"][0]["withdrawn_by"] == "analyst"
    audit = api.get("admin", "/audit").json()["items"]
    assert any(
        e["action"] == "withdraw_person_name"
        and e["detail"]
        == "alias 'Yusuf Bilal al-Tunisi': the interpreter misheard: Yusuf Bilal al-Tunsi"
        for e in audit
    )
    # recorded again (it was right after all), it stands again
    again = api.post(
        "analyst",
        f"/persons/{held}/names",
        json={"full_name": "Yusuf Bilal al-Tunisi", "source": "second interview"},
    )
    assert again.status_code == 201
    search = api.get("analyst", "/identity/search", params={"name": "Yusuf Bilal al-Tunisi"})
    assert search.json()["candidates"][0]["person_id"] == held


def test_only_a_standing_name_recorded_later_can_be_withdrawn(api: Api) -> None:
    held = api.register("Omar Said al-Ali", date_of_birth="1980")
    other = api.register("Hamid Saleh al-Obeidi", date_of_birth="1980")
    body = {"full_name": "Abu Omar", "source": "interview"}
    later = api.post("analyst", f"/persons/{held}/names", json=body).json()["names"]
    registered_id, later_id = later[0]["id"], later[-1]["id"]
    reason = {"reason": "misheard"}
    url = f"/persons/{held}/names/{{}}/withdraw"
    before = _state(api.world.engine, held)
    for role, name_url, body_sent, status, says in [
        ("analyst", url.format(registered_id), reason, 409, "was registered under"),
        ("analyst", url.format(later_id), {"reason": " "}, 422, "a reason cannot be blank"),
        ("analyst", url.format(999999), reason, 404, "has no name with id 999999"),
        ("analyst", f"/persons/{other}/names/{later_id}/withdraw", reason, 404, "has no name"),
        ("monitor", url.format(later_id), reason, 403, "recording a person's names"),
    ]:
        refused = api.post(role, name_url, json=body_sent)
        assert says in assert_problem(refused, status)["detail"], name_url
    assert _state(api.world.engine, held) == before
    assert api.post("analyst", url.format(later_id), json=reason).status_code == 200
    twice = assert_problem(api.post("analyst", url.format(later_id), json=reason), 409)
    assert "was withdrawn already, on 20" in twice["detail"]


def test_names_typed_without_spaces_are_recorded_and_found_like_any_other(
    engine: Engine,
) -> None:
    # index keys are cut at 64 characters: two keys alike up to there are stored once
    run_on = "Abdulrahmanmuhammadibrahimalhassanalkubaisialtikritialbaghdadialjanabi"
    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(
            session, persons_in=[person("Suleiman Khaled al-Kubaisi")]
        )

    _add(engine, held, run_on, kind="alias")
    _add(engine, held, run_on + "alhashimi", kind="alias")

    with read_session(engine) as session:
        names = [n.full_name for n in registry.get_person(session, person_id=held).names]
    assert run_on in names and run_on + "alhashimi" in names
    assert held in _search(engine, "Suleiman Khaled al-Kubaisi")
    assert held in _search(engine, run_on + "alhashimi")


def test_a_name_longer_than_an_index_key_finds_its_record_by_itself(engine: Engine) -> None:
    # its skeleton is longer than the 64 characters a stored key keeps: the look-up cuts
    # its own keys alike, or it would ask for a key the index never holds
    run_on = "Abdulrahmanmuhammadibrahimalhassanalkubaisialtikritialbaghdadialjanabi" * 3
    with unit_of_work(engine) as session:
        held, _ = registry.register_persons(
            session, persons_in=[person(run_on), person("Omar Hassan al-Obeidi")]
        )

    assert _search(engine, run_on) == [held]
