"""An agency's own watchlist as a CSV file: imported, refreshed, screened like the UN list,
and refused whole when a row is faulty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid
from custodia.identity import models as m
from custodia.identity import service as identity
from custodia.identity.watchlist_csv import parse_csv_list
from custodia.registry import service as registry
from tests.api.conftest import Api
from tests.cli.test_cli import _run
from tests.identity.test_queue import XML, person

WARRANTS = """reference,name,aliases,weak_aliases,date_of_birth,nationality,place_of_birth
IQW-17,Ibrahim Awwad Ibrahim al-Badri,إبراهيم عواد إبراهيم البدري,Abu Duaa,1971,IQ,Samarra
IQW-18,Yusuf Bilal al-Tunisi,,,1990/1992,tn;iq,
"""


def _write(tmp_path: Path, text: str, name: str = "warrants.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _entries(engine: Engine) -> list[tuple[str, str, str]]:
    with read_session(engine) as session:
        rows = session.execute(
            select(m.WatchlistEntry.list_name, m.WatchlistEntry.reference, m.WatchlistEntry.data)
        ).tuples()
        return sorted(rows)


def test_an_agency_list_is_screened_beside_the_un_list_and_its_hits_say_which_list(
    engine: Engine, tmp_path: Path
) -> None:
    un = _write(tmp_path, XML, "un.xml")
    with unit_of_work(engine) as session:
        (badri,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")]
        )
        identity.import_un_sc_list(session, path=un)
        result = identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        assert (result.list_name, result.individuals, result.names) == ("iq-warrants", 2, 4)
        screened = identity.screen_all_persons(session)
    with read_session(engine) as session:
        loaded = [(w.list_name, w.individuals) for w in identity.list_watchlists(session)]
    assert loaded == [("iq-warrants", 2), ("un-sc", 1)]
    # one man, on two lists: a hit on each, each saying which list holds him
    assert (screened.entries, screened.hits) == (3, 2)
    with read_session(engine) as session:
        hits = identity.list_queue(session, kind="watchlist").items
    listed = {
        (i.watchlist_entry.list_name, i.watchlist_entry.reference)
        for i in hits
        if i.watchlist_entry
    }
    assert listed == {("un-sc", "QDi.299"), ("iq-warrants", "IQW-17")}
    assert {i.person_a.person_id for i in hits} == {badri}
    with read_session(engine) as session:
        on_list = {
            name: [
                i.watchlist_entry.reference
                for i in identity.list_queue(session, list_name=name).items
                if i.watchlist_entry
            ]
            for name in ("iq-warrants", "un-sc", "nosuch")
        }
    assert on_list == {"iq-warrants": ["IQW-17"], "un-sc": ["QDi.299"], "nosuch": []}
    entry = next(i.watchlist_entry for i in hits if i.watchlist_entry.list_name == "iq-warrants")
    assert entry.dates_of_birth == ["1971"] and entry.nationalities == ["IQ"]
    # a record registered later is screened at intake against the agency's list too
    with unit_of_work(engine) as session:
        (tunisian,) = registry.register_persons(
            session, persons_in=[person("Yusuf Bilal al-Tunisi", dob="1991", nationality="TN")]
        )
    with read_session(engine) as session:
        raised = identity.list_queue(session, kind="watchlist", person_id=tunisian).items
    assert [i.watchlist_entry.reference for i in raised if i.watchlist_entry] == ["IQW-18"]


def test_a_list_imported_again_is_refreshed_by_reference(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
    corrected = WARRANTS.replace("1990/1992", "1991-04-02")
    with unit_of_work(engine) as session:
        again = identity.import_csv_list(session, data=corrected.encode(), list_name="iq-warrants")
    assert again.replaced == 2
    entries = _entries(engine)
    assert [(name, ref) for name, ref, _ in entries] == [
        ("iq-warrants", "IQW-17"),
        ("iq-warrants", "IQW-18"),
    ]
    assert json.loads(entries[1][2])["dates_of_birth"] == ["1991-04-02"]


def test_a_list_with_a_faulty_row_is_refused_whole_and_changes_nothing(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
    before = _entries(engine)
    faulty = WARRANTS.replace("IQ,Samarra", "IQ,Mosul") + "IQW-19,Omar Hadid,,,2090,IQ,\n"
    with pytest.raises(Invalid) as caught, unit_of_work(engine) as session:
        identity.import_csv_list(session, data=faulty.encode(), list_name="iq-warrants")
    assert caught.value.detail == (
        "nothing imported: line 4: date of birth '2090' is in the future"
    )
    assert _entries(engine) == before  # the good rows were not written either
    with read_session(engine) as session:
        held = session.scalar(select(func.count()).select_from(m.WatchlistEntry))
    assert held == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "the CSV file is empty: it needs a header row naming its columns"),
        ("reference,name\n", "the CSV file has a header but no rows: nothing imported"),
        ("reference,name,dob\nA,Ali Hassan,1990\n", "unknown column(s) 'dob': the columns are"),
        ("name\nAli Hassan\n", "the header lacks the required column(s) reference"),
        ("reference,name\nA,Ali Hassan,x\n", "line 2: more cells than the header has columns"),
        ("reference,name\n,Ali Hassan\n", "line 2: reference is empty"),
        ("reference,name,nationality\nA,Ali,XX\n", "line 2: 'XX' is not an ISO 3166-1"),
        ("reference,name,date_of_birth\nA,Ali,1990-13\n", "line 2: date of birth '1990-13' is"),
        ("reference,name\nA,Ali\nA,Omar\n", "line 3: reference 'A' is on line 2 too"),
    ],
)
def test_a_faulty_file_is_one_readable_line(text: str, says: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_csv_list(text.encode(), list_name="iq-warrants")
    assert says in caught.value.detail


def test_a_spreadsheet_export_with_a_byte_order_mark_and_quoted_commas_is_read() -> None:
    data = '\ufeffReference,Name,Nationality\r\nA,"AL-BADRI, Ibrahim",iq\r\n'.encode()
    (entry,) = parse_csv_list(data, list_name="iq-warrants")
    assert (entry.reference, entry.name, entry.nationalities) == ("A", "AL-BADRI, Ibrahim", ["IQ"])
    with pytest.raises(Invalid, match="not UTF-8 text"):
        parse_csv_list("reference,name\nA,Ibrahím\n".encode("latin-1"), list_name="x")


@pytest.mark.parametrize("name", ["UN Warrants", "un-sc", "csv", "", "-x", "x" * 33])
def test_a_list_needs_a_short_name_of_its_own(name: str) -> None:
    with pytest.raises(Invalid, match="list name"):
        parse_csv_list(WARRANTS.encode(), list_name=name)


def test_the_csv_import_route_takes_the_file_as_its_body(api: Api) -> None:
    api.register("Yusuf Bilal al-Tunisi", date_of_birth="1991", nationalities=("TN",))
    url = "/watchlists/csv/iq-warrants"
    headers = {"Content-Type": "text/csv"}
    imported = api.post("analyst", url, content=WARRANTS.encode(), headers=headers)
    assert imported.status_code == 201, imported.text
    assert imported.json()["individuals"] == 2
    assert api.post("analyst", "/watchlists/screen").json()["hits"] == 1
    hits = api.get("monitor", "/identity/queue", params={"list_name": "iq-warrants"}).json()
    assert [i["watchlist_entry"]["reference"] for i in hits["items"]] == ["IQW-18"]
    assert api.get("monitor", "/identity/queue", params={"list_name": "un-sc"}).json()["total"] == 0
    bad = api.post("analyst", url, content=b"reference,name\nA,Ali,x\n", headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "line 2" in bad.json()["detail"]
    denied = api.post("monitor", url, content=WARRANTS.encode(), headers=headers)
    assert denied.status_code == 403
    (loaded,) = api.get("monitor", "/watchlists").json()
    assert (loaded["list_name"], loaded["individuals"]) == ("iq-warrants", 2)
    log = api.get("monitor", "/audit", params={"limit": 100}).json()["items"]
    imports = [e for e in log if e["action"] == "watchlist.import"]
    assert [(e["subject"], e["actor_id"]) for e in imports] == [
        ("watchlist:iq-warrants", api.world.users["analyst"])
    ]


def test_the_csv_import_command_says_what_it_did_or_one_line_why_not(
    engine: Engine, tmp_path: Path
) -> None:
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")])
    path = _write(tmp_path, WARRANTS)
    done = _run(engine, tmp_path, "watchlist", "import", "csv", str(path), "--list", "iq-warrants")
    assert done.returncode == 0, done.stderr
    assert "iq-warrants: 2 individuals with 4 names (0 refreshed)" in done.stdout
    shown = _run(engine, tmp_path, "watchlist", "list", "--json")
    assert [(w["list_name"], w["individuals"]) for w in json.loads(shown.stdout)] == [
        ("iq-warrants", 2)
    ]
    assert _run(engine, tmp_path, "watchlist", "screen").returncode == 0
    hits = _run(engine, tmp_path, "identity", "queue", "list", "--list", "iq-warrants")
    assert "listed iq-warrants IQW-17: Ibrahim Awwad Ibrahim al-Badri born 1971" in hits.stdout
    assert hits.stdout.startswith("1 item\n")
    faulty = _write(tmp_path, "reference,name,dob\nA,Ali,1990\n", "faulty.csv")
    failed = _run(engine, tmp_path, "watchlist", "import", "csv", str(faulty), "--list", "x")
    assert failed.returncode == 1 and "unknown column(s) 'dob'" in failed.stderr
    assert "Traceback" not in failed.stderr
    unnamed = _run(engine, tmp_path, "watchlist", "import", "csv", str(path))
    assert unnamed.returncode == 2 and "--list NAME goes with csv" in unnamed.stderr


def test_an_entry_the_list_no_longer_holds_is_withdrawn_and_its_hit_says_so(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as session:
        (badri,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")]
        )
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        assert identity.screen_all_persons(session).hits == 1
    without_badri = "\n".join(line for line in WARRANTS.splitlines() if "IQW-17" not in line)
    with unit_of_work(engine) as session:
        result = identity.import_csv_list(
            session, data=without_badri.encode(), list_name="iq-warrants"
        )
    assert (result.individuals, result.withdrawn) == (1, 1)
    with unit_of_work(engine) as session:
        assert [w.individuals for w in identity.list_watchlists(session)] == [1]
        assert identity.screen_all_persons(session).hits == 0  # IQW-17 is no longer screened
        (again,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awwad Ibrahim al-Badri")]
        )
    with read_session(engine) as session:
        assert identity.list_queue(session, kind="watchlist", person_id=again).items == []
        (item,) = identity.list_queue(session, kind="watchlist", person_id=badri).items
    assert item.watchlist_entry is not None and item.watchlist_entry.withdrawn_at is not None
    # listed again: screened again
    with unit_of_work(engine) as session:
        relisted = identity.import_csv_list(
            session, data=WARRANTS.encode(), list_name="iq-warrants"
        )
        assert relisted.withdrawn == 0
        assert identity.screen_all_persons(session).hits == 2
    with read_session(engine) as session:
        (item,) = identity.list_queue(session, kind="watchlist", person_id=badri).items
    assert item.watchlist_entry is not None and item.watchlist_entry.withdrawn_at is None


def test_a_withdrawn_list_is_no_longer_screened_and_the_withdrawal_is_audited(api: Api) -> None:
    api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    headers = {"Content-Type": "text/csv"}
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode(), headers=headers)
    assert api.post("monitor", "/watchlists/iq-warrants/withdraw").status_code == 403
    withdrawn = api.post("analyst", "/watchlists/iq-warrants/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {"list_name": "iq-warrants", "withdrawn": 2}
    assert api.get("monitor", "/watchlists").json() == []
    again = api.post("analyst", "/watchlists/iq-warrants/withdraw")
    assert again.status_code == 404 and "no loaded watchlist" in again.json()["detail"]
    screened = api.post("analyst", "/watchlists/screen")
    assert screened.status_code == 409  # nothing is loaded any more
    log = api.get("monitor", "/audit", params={"limit": 100}).json()["items"]
    assert ("watchlist.withdraw", "watchlist:iq-warrants", "2 entries") in {
        (e["action"], e["subject"], e["detail"]) for e in log
    }


def test_the_withdraw_command_says_how_many_entries_left_the_screening(
    engine: Engine, tmp_path: Path
) -> None:
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")])
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        identity.screen_all_persons(session)
    done = _run(engine, tmp_path, "watchlist", "withdraw", "iq-warrants")
    assert done.returncode == 0, done.stderr
    assert "iq-warrants: 2 entries withdrawn" in done.stdout
    hits = _run(engine, tmp_path, "identity", "queue", "list", "--kind", "watchlist")
    assert "listed iq-warrants IQW-17 (withdrawn from the list 20" in hits.stdout
    twice = _run(engine, tmp_path, "watchlist", "withdraw", "iq-warrants")
    assert twice.returncode == 1 and "no loaded watchlist is named 'iq-warrants'" in twice.stderr
