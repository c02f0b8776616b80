"""The identity routes: search, compare, the queue with decisions by role, watchlists."""

from __future__ import annotations

import httpx

from tests.api.conftest import Api
from tests.identity.test_queue import XML


def test_search_and_compare_routes(api: Api) -> None:
    first = api.register("Khalid Hamza al-Jubouri")
    api.register("Yusuf Bilal al-Tunisi", nationalities=("TN",))
    found = api.get("monitor", "/identity/search", params={"name": "خالد حمزة الجبوري"})
    assert found.status_code == 200, found.text
    assert found.json()["candidates"][0]["person_id"] == first
    assert found.json()["warnings"] == []  # the index was built by this name model
    compared = api.get(
        "analyst", "/identity/compare", params={"name1": "Mohammed Ali", "name2": "Muhammad Aly"}
    )
    assert compared.status_code == 200 and compared.json()["match"] is True
    bad = api.get("analyst", "/identity/search", params={"name": "Sheikh", "dob": "1990-13"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    # "2090" for "1990": a slip that would count against every candidate is refused
    later = api.get("analyst", "/identity/search", params={"name": "Khalid", "dob": "2090"})
    assert later.status_code == 422
    assert later.json()["detail"] == "date of birth '2090' is in the future"


def test_search_says_where_custody_holds_each_candidate(api: Api) -> None:
    held = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971")
    api.intake(held, api.world.prison_b)
    free = api.register("Khaled Hamzah al-Jubouri", date_of_birth="1975")
    found = api.get("analyst", "/identity/search", params={"name": "Khalid Hamza al-Jubouri"})
    where = {c["person_id"]: c["custody"] for c in found.json()["candidates"]}
    assert where == {held: "in custody at QAM-01 Qamishli prison", free: "not held"}


def test_search_route_weighs_the_mother_and_the_birthplace(api: Api) -> None:
    api.register("Khalid Hamza al-Jubouri", mother_name="Khadija Hussein", place_of_birth="Samarra")
    found = api.get(
        "monitor",
        "/identity/search",
        params={"name": "Khaled Hamza", "mother": "Khadija", "place_of_birth": "Samarra"},
    )
    assert found.status_code == 200, found.text
    why = found.json()["candidates"][0]["explanation"]
    assert "mother's name agrees" in why and "place of birth agrees" in why
    blank = api.get("monitor", "/identity/search", params={"name": "Khaled", "mother": "--"})
    assert blank.status_code == 422
    assert "mother's name" in blank.json()["detail"]


def test_a_nom_de_guerre_searched_with_a_birth_year_lists_the_men_it_may_stand_for(
    api: Api,
) -> None:
    # "Abu Hamza al-Ustrali, born 1971" shares no name with Khaled's record: his birth year
    # and nationality find him; a woman of that year and nationality is no "Abu"; a man
    # born in 1985 is not in the running
    khaled = api.register(
        "Khaled bin Hussein Alkhateeb", nationalities=("AU",), date_of_birth="1971"
    )
    woman = api.register(
        "Emily Rossi", nationalities=("AU",), date_of_birth="1971-02", sex="F",
        category="camp_resident",
    )  # fmt: skip
    api.register("Daniel Peters", nationalities=("AU",), date_of_birth="1985")
    asked = {"name": "Abu Hamza al-Ustrali", "dob": "1971", "nationality": "AU"}
    found = api.get("analyst", "/identity/search", params=asked).json()
    behind = found["behind_the_nom_de_guerre"]
    assert [c["person_id"] for c in behind][:1] == [khaled]
    assert woman not in [c["person_id"] for c in behind]
    assert any("nationality agrees" in line for line in behind[0]["explanation"])
    assert behind[0]["custody"] == "not held"
    # a real name, or a nom de guerre without a birth year, is searched by its names alone
    named = api.get("analyst", "/identity/search", params={**asked, "name": "Khaled Hussein"})
    assert named.json()["behind_the_nom_de_guerre"] == []
    no_year = api.get("analyst", "/identity/search", params={**asked, "dob": None})
    assert no_year.json()["behind_the_nom_de_guerre"] == []


def test_a_nom_de_guerre_already_recorded_alone_does_not_hide_the_man_behind_it(
    api: Api,
) -> None:
    # the registry holds a record known only as "Abu Hamza al-Ustrali" (its name lists it)
    # and Khaled, of his year and nationality: that record's kunya, year and nationality
    # agree with the query's too, yet it may be another record of Khaled, not a rival to him
    for i, given in enumerate(["Omar", "Yasin", "Bilal", "Talal", "Firas"] * 6):
        api.register(f"{given} Hassan al-Ubaidi", date_of_birth=str(1960 + i))
    khaled = api.register(
        "Khaled bin Hussein Alkhateeb", nationalities=("AU",), date_of_birth="1971"
    )
    alone = api.register(
        "-", names=[{"full_name": "Abu Hamza al-Ustrali", "kind": "nom_de_guerre"}],
        nationalities=("AU",), date_of_birth="1971",
    )  # fmt: skip
    asked = {"name": "Abu Hamza al-Ustrali", "dob": "1971", "nationality": "AU"}
    found = api.get("analyst", "/identity/search", params=asked).json()
    assert [c["person_id"] for c in found["candidates"]][:1] == [alone]
    behind = found["behind_the_nom_de_guerre"]
    assert [c["person_id"] for c in behind] == [khaled]


def test_queue_decisions_are_for_reviewers_and_recorded(api: Api) -> None:
    a = api.register("Khalid Hamza al-Jubouri")
    b = api.register("Khaled Hamzah Aljubouri")
    from custodia.db import unit_of_work
    from custodia.identity import service as identity

    with unit_of_work(api.world.engine) as session:
        item = identity.propose_pair(
            session,
            person_a_id=a,
            person_b_id=b,
            score=0.9,
            source="biometrics",
            evidence={"finger": "L1", "score": 0.9},
        )
    queue = api.get("monitor", "/identity/queue")
    assert queue.status_code == 200 and queue.json()["total"] == 1
    assert queue.json()["items"][0]["evidence"]["biometrics"]["finger"] == "L1"
    url = f"/identity/queue/{item}/decisions"
    denied = api.post("monitor", url, json={"decision": "same", "note": "x"})
    assert denied.status_code == 403
    done = api.post("analyst", url, json={"decision": "same", "note": "same photo"})
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["person_b"]["survivor_id"] == a
    assert body["decisions"][0]["decided_by"] == api.world.users["analyst"]
    again = api.post("analyst", url, json={"decision": "different"})
    assert again.status_code == 409
    split = api.post("analyst", f"/identity/queue/{item}/split", json={"note": "twins"})
    assert split.status_code == 201 and split.json()["person_b"]["survivor_id"] == b


def _import_list(api: Api) -> httpx.Response:
    imported = api.post(
        "analyst",
        "/watchlists/un-sc",
        content=XML.encode(),
        headers={"Content-Type": "application/xml"},
    )
    assert imported.status_code == 201, imported.text
    return imported


def test_watchlist_import_and_screen_routes(api: Api) -> None:
    api.register("Ibrahim Awad Ibrahim al-Badri")
    imported = _import_list(api)
    assert imported.json()["individuals"] == 1
    screened = api.post("analyst", "/watchlists/screen")
    assert screened.status_code == 200 and screened.json()["hits"] == 1
    broken = api.post("admin", "/watchlists/un-sc", content=b"<nope", headers={})
    assert broken.status_code == 422


def test_identity_route_shows_a_records_identity_and_refuses_an_unknown_one(api: Api) -> None:
    a = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971-03-02")
    b = api.register("خالد حمزة الجبوري", date_of_birth="1971-03-02")
    (item,) = api.get("monitor", "/identity/queue", params={"person_id": b}).json()["items"]
    done = api.post("analyst", f"/identity/queue/{item['id']}/decisions", json={"decision": "same"})
    assert done.status_code == 201, done.text
    shown = api.get("monitor", f"/identity/persons/{b}")
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["survivor_id"] == a
    assert [r["person_id"] for r in body["records"]] == [a, b]
    assert body["review_items"][0]["decisions"][0]["decided_by"] == api.world.users["analyst"]
    missing = api.get("monitor", "/identity/persons/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_identity_decisions_and_list_work_are_audited_with_the_acting_user(api: Api) -> None:
    a = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971-03-02")
    b = api.register("Khaled Hamzah Aljubouri", date_of_birth="1971")
    (item,) = api.get("monitor", "/identity/queue", params={"person_id": b}).json()["items"]
    url = f"/identity/queue/{item['id']}"
    assert api.post("analyst", f"{url}/decisions", json={"decision": "same"}).status_code == 201
    assert api.post("analyst", f"{url}/split", json={"note": "twins"}).status_code == 201
    _import_list(api)
    assert api.post("analyst", "/watchlists/screen").status_code == 200
    assert api.post("analyst", "/identity/dedupe").status_code == 200
    log = api.get("monitor", "/audit", params={"limit": 100}).json()["items"]
    analyst = api.world.users["analyst"]
    done = {(e["action"], e["subject"]) for e in log if e["actor_id"] == analyst}
    review = f"review:{item['id']}"
    assert {("identity.same", review), ("identity.split", review)} <= done
    assert {("watchlist.import", "watchlist:un-sc"), ("watchlist.screen", "persons:all")} <= done
    assert ("identity.dedupe", "persons:all") in done
    same = next(e for e in log if e["action"] == "identity.same")
    assert same["detail"] == f"person:{a} ~ person:{b}"
