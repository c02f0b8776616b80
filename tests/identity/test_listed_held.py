"""Once a reviewer confirms a watchlist hit, the man is known as listed wherever his record
is shown, and the operations cell can list the listed individuals it holds, and where."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.api.conftest import Api
from tests.cli.test_cli import _run
from tests.identity.test_queue import TWICE_LISTED
from tests.identity.test_watchlist_csv import WARRANTS
from tests.web.test_review_pages import _sign_in


def _confirm_hit(api: Api, person_id: int, decision: str = "same") -> int:
    items = api.get(
        "analyst", "/identity/queue", params={"kind": "watchlist", "person_id": person_id}
    ).json()["items"]
    (item,) = items
    done = api.post(
        "analyst", f"/identity/queue/{item['id']}/decisions", json={"decision": decision}
    )
    assert done.status_code == 201, done.text
    return int(item["id"])


def test_a_confirmed_hit_marks_the_identity_as_listed(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    before = api.get("monitor", f"/identity/persons/{badri}").json()
    assert before["listed_as"] == []  # a hit awaiting review is not a listing
    item = _confirm_hit(api, badri)
    listed = api.get("monitor", f"/identity/persons/{badri}").json()["listed_as"]
    assert [(x["list_name"], x["reference"], x["item_id"]) for x in listed] == [
        ("iq-warrants", "IQW-17", item)
    ]
    assert listed[0]["confirmed_by"] == "analyst" and listed[0]["person_id"] == badri


def test_a_hit_decided_different_is_no_listing(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    namesake = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    _confirm_hit(api, namesake, "different")
    assert api.get("monitor", f"/identity/persons/{namesake}").json()["listed_as"] == []
    held = api.get("monitor", "/watchlists/held").json()
    assert held == {"persons": [], "held": 0, "open_hits": 0}


def test_the_listed_individuals_held_come_first_with_where_they_are(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    tunisian = api.register("Yusuf Bilal al-Tunisi", date_of_birth="1991", nationalities=("TN",))
    waiting = api.register("Ibrahim Awwad al-Badri", date_of_birth="1971")  # a second record
    api.intake(tunisian, api.world.prison_b)
    _confirm_hit(api, badri)
    _confirm_hit(api, tunisian)
    held = api.get("monitor", "/watchlists/held").json()
    assert [p["survivor_id"] for p in held["persons"]] == [tunisian, badri]
    assert [p["held"] for p in held["persons"]] == [True, False]
    assert held["persons"][0]["custody"] == "in custody at QAM-01 Qamishli prison"
    assert held["held"] == 1
    open_hits = api.get(
        "analyst", "/identity/queue", params={"kind": "watchlist", "person_id": waiting}
    ).json()["total"]
    assert held["open_hits"] == open_hits == 1
    one_list = api.get("monitor", "/watchlists/held", params={"list_name": "other"}).json()
    assert one_list["persons"] == []


def test_merged_records_are_one_listed_identity(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    first = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    second = api.register("Ibrahim Awwad Ibrahim al-Badri", date_of_birth="1971")
    pair = api.get("analyst", "/identity/queue", params={"kind": "duplicate"}).json()["items"]
    (item,) = [
        i
        for i in pair
        if {i["person_a"]["person_id"], i["person_b"]["person_id"]} == {first, second}
    ]
    api.post("analyst", f"/identity/queue/{item['id']}/decisions", json={"decision": "same"})
    _confirm_hit(api, first)
    _confirm_hit(api, second)
    held = api.get("monitor", "/watchlists/held").json()["persons"]
    assert len(held) == 1 and len(held[0]["listed_as"]) == 2
    assert held[0]["survivor_id"] == min(first, second)


def test_the_listing_on_the_command_line_and_the_web(api: Api, tmp_path: Path) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    item = _confirm_hit(api, badri)
    engine = api.world.engine
    shown = _run(engine, tmp_path, "person", "show", str(badri))
    assert shown.returncode == 0, shown.stderr
    assert "listed: iq-warrants IQW-17 (confirmed " in shown.stdout
    assert f"by analyst, item {item})" in shown.stdout
    ident = _run(engine, tmp_path, "identity", "show", str(badri))
    assert "listed: iq-warrants IQW-17" in ident.stdout
    out = tmp_path / "held.csv"
    held = _run(engine, tmp_path, "watchlist", "held", "--out", str(out))
    assert held.returncode == 0, held.stderr
    assert "1 identity confirmed listed, 0 of them held; 0 watchlist hits awaiting" in held.stdout
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert (row["identity"], row["list"], row["reference"]) == (str(badri), "iq-warrants", "IQW-17")
    assert (row["held"], row["confirmed_by"], row["review_item"]) == ("no", "analyst", str(item))
    _sign_in(api, "monitor")
    page = api.client.get(f"/web/identity/persons/{badri}")
    assert 'Listed: <a href="/web/watchlists/iq-warrants/IQW-17">' in page.text
    lists = api.client.get("/web/watchlists")
    assert "Listed individuals we hold" in lists.text
    assert f'<a href="/web/identity/persons/{badri}">{badri}</a>' in lists.text
    sheet = api.client.get("/web/watchlists/held.csv")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert [r["reference"] for r in csv.DictReader(io.StringIO(sheet.text))] == ["IQW-17"]


def _hit_of(api: Api, person_id: int) -> dict[str, Any]:
    """The watchlist hit naming ``person_id``, whatever its status."""
    items = api.get("monitor", f"/identity/persons/{person_id}").json()["review_items"]
    (item,) = [
        i for i in items if i["kind"] == "watchlist" and i["person_a"]["person_id"] == person_id
    ]
    return dict(item)


def test_a_listed_man_confirmed_on_another_record_is_named_on_the_next_hit(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    first = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    api.intake(first, api.world.prison_b)
    _confirm_hit(api, first)
    assert _hit_of(api, first)["warnings"] == []
    second = api.register("Ibrahim Awwad Ibrahim al-Badri", date_of_birth="1971")
    (warning,) = _hit_of(api, second)["warnings"]
    assert warning.startswith(f"iq-warrants IQW-17 is already confirmed as person {first} (in")
    assert "Qamishli" in warning and "the two records are one man" in warning
    # confirmed on both records: one listed individual as two identities
    _confirm_hit(api, second)
    for record in (first, second):
        (twice,) = _hit_of(api, record)["warnings"]
        assert "is confirmed as more than one identity" in twice
    # the two records merged: one identity, nothing left to square
    pairs = api.get("analyst", "/identity/queue", params={"person_id": second, "kind": "duplicate"})
    (pair,) = pairs.json()["items"]
    api.post("analyst", f"/identity/queue/{pair['id']}/decisions", json={"decision": "same"})
    assert _hit_of(api, first)["warnings"] == _hit_of(api, second)["warnings"] == []


def test_a_confirmation_on_the_individuals_other_listing_counts(api: Api) -> None:
    imported = api.post(
        "analyst",
        "/watchlists/un-sc",
        content=TWICE_LISTED.encode(),
        headers={"Content-Type": "application/xml"},
    )
    assert imported.status_code == 201, imported.text
    first = api.register("Hassan Dahir Aweys", date_of_birth="1935", nationalities=("SO",))
    _confirm_hit(api, first)
    second = api.register("Hasan Dahir Awes", date_of_birth="1935", nationalities=("SO",))
    hit = _hit_of(api, second)
    (warning,) = hit["warnings"]
    assert f"is already confirmed as person {first}" in warning
    api.post("analyst", f"/identity/queue/{hit['id']}/decisions", json={"decision": "different"})
    assert _hit_of(api, second)["warnings"] == []


ALIAS_LIST = """reference,name,aliases,date_of_birth,nationality
IQW-40,Ibrahim Awwad Ibrahim al-Badri,Abu Bakr al-Baghdadi,1971,IQ
"""


def _pairs_of(api: Api, person_id: int, status: str = "open") -> list[dict[str, Any]]:
    found = api.get(
        "analyst",
        "/identity/queue",
        params={"kind": "duplicate", "person_id": person_id, "status": status},
    )
    return list(found.json()["items"])


def test_a_record_hitting_a_confirmed_listing_is_paired_with_the_confirmed_record(
    api: Api,
) -> None:
    # the real name is confirmed as the listed man; a record under the listing's alias
    # shares no name part with it, so only the listing can bring the two together
    api.post("analyst", "/watchlists/csv/iq-warrants", content=ALIAS_LIST.encode())
    real = api.register("Ibrahim Awwad Ibrahim al-Badri", date_of_birth="1971")
    _confirm_hit(api, real)
    alias = api.register("Abu Bakr al-Baghdadi", date_of_birth="1971")
    assert _hit_of(api, alias)["status"] == "open"
    (pair,) = _pairs_of(api, alias)
    assert {pair["person_a"]["person_id"], pair["person_b"]["person_id"]} == {real, alias}
    assert pair["sources"] == ["listing"]
    (reason,) = pair["evidence"]["listing"]["explanation"]
    assert f"record {real} was confirmed as him" in reason and "iq-warrants IQW-40" in reason


def test_confirming_the_second_hit_pairs_the_records_too(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=ALIAS_LIST.encode())
    real = api.register("Ibrahim Awwad Ibrahim al-Badri", date_of_birth="1971")
    alias = api.register("Abu Bakr al-Baghdadi", date_of_birth="1971")
    assert _pairs_of(api, alias) == []  # neither hit confirmed yet: nothing joins them
    _confirm_hit(api, alias)
    _confirm_hit(api, real)
    (pair,) = _pairs_of(api, alias)
    assert pair["sources"] == ["listing"] and pair["status"] == "open"
    # decided different, the pair is not proposed again by a later screening
    api.post("analyst", f"/identity/queue/{pair['id']}/decisions", json={"decision": "different"})
    assert api.post("analyst", "/watchlists/screen", params={"every": "true"}).status_code == 200
    assert _pairs_of(api, alias) == []
    assert [p["id"] for p in _pairs_of(api, alias, "different")] == [pair["id"]]
