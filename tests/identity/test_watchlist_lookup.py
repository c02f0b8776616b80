"""Is this name listed? An analyst looks a name up on the loaded watchlists without
registering anyone, scored as screening scores a person, and reads a listed entry whole
with the review items it raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid, NotFound
from custodia.identity import service as identity
from custodia.identity.schemas import ListSearchResult
from custodia.registry import service as registry
from tests.api.conftest import Api
from tests.cli.test_cli import _run
from tests.identity.test_queue import TWICE_LISTED, person
from tests.identity.test_watchlist_csv import WARRANTS
from tests.web.test_review_pages import _sign_in

TN_WANTED = """reference,name,aliases,weak_aliases,date_of_birth,nationality,place_of_birth
TNW-3,Ibrahim Awad al-Badri,,,1971,IQ,
TNW-4,Salim Ferjani Ben Ali,,,1985,TN,Sfax
"""


def _look_up(engine: Engine, name: str, **kwargs: str) -> ListSearchResult:
    with read_session(engine) as session:
        return identity.search_watchlists(session, name=name, **kwargs)


def _load(engine: Engine, *lists: tuple[str, str]) -> None:
    with unit_of_work(engine) as session:
        for name, text in lists:
            identity.import_csv_list(session, data=text.encode(), list_name=name)


def test_a_name_is_found_on_the_list_in_either_script_with_the_evidence(engine: Engine) -> None:
    _load(engine, ("iq-warrants", WARRANTS))
    for query in ("Ibrahim Awad Ibrahim al-Badri", "إبراهيم عواد إبراهيم البدري"):
        found = _look_up(engine, query, date_of_birth="1971")
        top = found.candidates[0]
        assert (top.list_name, top.reference) == ("iq-warrants", "IQW-17")
        assert top.would_be_a_hit and top.score >= found.threshold
        assert top.dates_of_birth == ["1971"] and top.nationalities == ["IQ"]
        assert top.explanation[0].startswith("name ")  # which listed name matched, and how
    # a bare kunya the list gives as a weak alias finds him, weighed as corroboration
    kunya = _look_up(engine, "Abu Duaa").candidates[0]
    assert kunya.reference == "IQW-17" and kunya.score < top.score
    assert any("corroboration" in line for line in kunya.explanation)
    # a name no list holds finds nothing that screening would queue
    assert not any(c.would_be_a_hit for c in _look_up(engine, "Jonathan Smith").candidates)


def test_a_birth_date_far_from_the_listed_one_weighs_against(engine: Engine) -> None:
    _load(engine, ("iq-warrants", WARRANTS))
    same = _look_up(engine, "Yusuf Bilal al-Tunisi", date_of_birth="1991").candidates[0]
    apart = _look_up(engine, "Yusuf Bilal al-Tunisi", date_of_birth="1960").candidates[0]
    assert same.reference == apart.reference == "IQW-18"
    assert apart.score < same.score
    assert any("apart" in line for line in apart.explanation)


def test_the_lookup_keeps_to_one_list_when_asked(engine: Engine) -> None:
    _load(engine, ("iq-warrants", WARRANTS), ("tn-wanted", TN_WANTED))
    both = _look_up(engine, "Ibrahim Awad al-Badri", date_of_birth="1971").candidates
    assert {c.list_name for c in both[:2]} == {"iq-warrants", "tn-wanted"}
    one = _look_up(engine, "Ibrahim Awad al-Badri", list_name="tn-wanted").candidates
    assert one and {c.list_name for c in one} == {"tn-wanted"}
    with pytest.raises(NotFound, match=r"'nope' \(loaded: iq-warrants, tn-wanted\)"):
        _look_up(engine, "Ibrahim", list_name="nope")


def test_a_man_listed_under_two_regimes_is_one_candidate(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_text(TWICE_LISTED, encoding="utf-8")
    with unit_of_work(engine) as session:
        identity.import_un_sc_list(session, path=path)
    found = _look_up(engine, "Hassan Dahir Aweys", date_of_birth="1935").candidates
    assert found[0].reference in ("QDi.042", "SOi.002")
    assert found[0].also_listed_as == [({"QDi.042", "SOi.002"} - {found[0].reference}).pop()]
    assert sorted(c.reference for c in found) == sorted([found[0].reference, "SOi.099"])


def test_the_lookup_shows_what_screening_raised_already(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        (badri,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")]
        )
    top = _look_up(engine, "Ibrahim al-Badri").candidates[0]
    assert [(h.person_id, h.status) for h in top.hits] == [(badri, "open")]
    assert top.hits[0].person_name == "Ibrahim Awad Ibrahim al-Badri"
    assert top.hits[0].custody  # where the records say he is, in words


def test_a_withdrawn_entry_is_not_looked_up_but_can_still_be_read(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        (badri,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")]
        )
        identity.withdraw_watchlist(session, list_name="iq-warrants")
    found = _look_up(engine, "Ibrahim Awad Ibrahim al-Badri")
    assert found.candidates == [] and "no watchlist is loaded" in found.warnings[0]
    with read_session(engine) as session:
        entry = identity.watchlist_entry(session, list_name="iq-warrants", reference="IQW-17")
    assert entry.withdrawn_at is not None and entry.screened_at is None
    assert [(n.name, n.quality) for n in entry.names] == [
        ("Ibrahim Awwad Ibrahim al-Badri", "primary"),
        ("إبراهيم عواد إبراهيم البدري", "good"),
        ("Abu Duaa", "low"),
    ]
    assert entry.places_of_birth == ["Samarra"]
    assert [h.person_id for h in entry.hits] == [badri]


def test_an_entry_shows_the_hits_on_the_same_individuals_other_listing(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "list.xml"
    path.write_text(TWICE_LISTED, encoding="utf-8")
    with unit_of_work(engine) as session:
        identity.import_un_sc_list(session, path=path)
        (aweys,) = registry.register_persons(
            session, persons_in=[person("Hassan Dahir Aweys", dob="1935", nationality="SO")]
        )
    with read_session(engine) as session:
        one = identity.watchlist_entry(session, list_name="un-sc", reference="QDi.042")
        other = identity.watchlist_entry(session, list_name="un-sc", reference="SOi.002")
    assert one.list_type == "Al-Qaida" and one.also_listed_as == ["SOi.002"]
    assert [h.person_id for h in one.hits] == [h.person_id for h in other.hits] == [aweys]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "no name parts"),
        ({"name": "Ibrahim", "nationality": "XX"}, "XX"),
        ({"name": "Ibrahim", "date_of_birth": "1971-13"}, "1971-13"),
        ({"name": "Ibrahim", "limit": 0}, "limit"),
    ],
)
def test_a_faulty_lookup_is_refused_with_a_reason(
    engine: Engine, kwargs: dict[str, object], message: str
) -> None:
    _load(engine, ("iq-warrants", WARRANTS))
    with read_session(engine) as session, pytest.raises(Invalid, match=message):
        identity.search_watchlists(session, **kwargs)  # type: ignore[arg-type]


def test_an_unknown_entry_is_not_found(engine: Engine) -> None:
    _load(engine, ("iq-warrants", WARRANTS))
    with read_session(engine) as session, pytest.raises(NotFound, match="IQW-99"):
        identity.watchlist_entry(session, list_name="iq-warrants", reference="IQW-99")


def test_the_lookup_and_the_entry_from_the_api(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    found = api.get("monitor", "/watchlists/search", params={"name": "Ibrahim al-Badri"})
    assert found.status_code == 200
    top = found.json()["candidates"][0]
    assert top["reference"] == "IQW-17" and top["hits"][0]["person_id"] == badri
    entry = api.get("monitor", "/watchlists/iq-warrants/entries/IQW-17")
    assert entry.status_code == 200 and entry.json()["hits"][0]["person_id"] == badri
    missing = api.get("monitor", "/watchlists/iq-warrants/entries/IQW-99")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert "IQW-99" in missing.json()["detail"]
    unknown = api.get("analyst", "/watchlists/search", params={"name": "x", "list_name": "nope"})
    assert unknown.status_code == 404 and "nope" in unknown.json()["detail"]
    # an empty list name, as a form's "any list" sends it, looks in every list
    every = api.get(
        "analyst", "/watchlists/search", params={"name": "Ibrahim al-Badri", "list_name": ""}
    )
    assert every.json()["candidates"][0]["reference"] == "IQW-17"
    assert api.get("analyst", "/watchlists/search").status_code == 422  # no name
    bad = api.get("analyst", "/watchlists/search", params={"name": "Ibrahim", "dob": "1971-13"})
    assert bad.status_code == 422 and "1971-13" in bad.json()["detail"]


def test_the_lookup_and_the_entry_from_the_command_line(engine: Engine, tmp_path: Path) -> None:
    _load(engine, ("iq-warrants", WARRANTS))
    looked = _run(engine, tmp_path, "watchlist", "search", "Ibrahim al-Badri", "--dob", "1971")
    assert looked.returncode == 0, looked.stderr
    first = looked.stdout.splitlines()[1]
    assert first.startswith(" 1. iq-warrants IQW-17") and "a hit" in first
    shown = _run(engine, tmp_path, "watchlist", "show", "iq-warrants", "IQW-17")
    assert shown.returncode == 0, shown.stderr
    assert "low             Abu Duaa" in shown.stdout and "in: Samarra" in shown.stdout
    assert "review items naming it: none" in shown.stdout
    missing = _run(engine, tmp_path, "watchlist", "show", "iq-warrants", "IQW-99")
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines() == ["error: 'iq-warrants' lists no entry 'IQW-99'"]


def test_the_lookup_and_the_entry_on_the_web(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    _sign_in(api, "monitor")
    page = api.client.get("/web/watchlists", params={"name": "إبراهيم البدري"})
    assert page.status_code == 200
    assert 'href="/web/watchlists/iq-warrants/IQW-17"' in page.text
    assert f'href="/web/identity/persons/{badri}"' in page.text
    assert "Search the registry.</a>" in page.text
    searched = api.client.get("/web/identity/search", params={"name": "Ibrahim al-Badri"})
    assert 'href="/web/watchlists?name=Ibrahim%20al-Badri"' in searched.text
    entry = api.client.get("/web/watchlists/iq-warrants/IQW-17")
    assert entry.status_code == 200
    assert "Abu Duaa" in entry.text and "corroboration only" in entry.text
    assert f'href="/web/identity/persons/{badri}"' in entry.text
    item = api.get("analyst", "/identity/queue", params={"kind": "watchlist"}).json()["items"][0]
    review = api.client.get(f"/web/identity/queue/{item['id']}")
    assert 'href="/web/watchlists/iq-warrants/IQW-17"' in review.text
    refused = api.client.get("/web/watchlists", params={"name": "Ibrahim", "nationality": "XX"})
    assert refused.status_code == 422 and "XX" in refused.text
    assert api.client.get("/web/watchlists/iq-warrants/IQW-99").status_code == 404
