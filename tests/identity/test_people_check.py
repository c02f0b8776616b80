"""A partner's file of people (a wanted list, a manifest, a repatriation request) is checked
against the registry and the loaded watchlists without registering anyone: which rows may
be someone already held, and where, and which may be listed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid
from custodia.identity import service as identity
from custodia.identity.schemas import CheckResult
from custodia.registry import service as registry
from tests.api.conftest import Api
from tests.cli.test_cli import _run
from tests.identity.test_queue import person
from tests.identity.test_watchlist_csv import WARRANTS
from tests.web.test_review_pages import _sign_in

PARTNER = """reference,name,aliases,date_of_birth,nationality,place_of_birth
P-1,Khaled Hamzah al-Jbouri,,1971,IQ,
P-2,Yusuf Bilal al-Tunisi,,1991,TN,
P-3,إبراهيم عواد إبراهيم البدري,Abu Duaa,1971,IQ,Samarra
P-4,Jonathan Quincy Smith,,1980,GB,
"""


@pytest.fixture
def held(engine: Engine) -> dict[str, int]:
    """The agency list loaded, and two registered men, one of them listed."""
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        jubouri, badri = registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri"),
                person("Ibrahim Awad Ibrahim al-Badri"),
            ],
        )
    return {"jubouri": jubouri, "badri": badri}


def _check(engine: Engine, text: str, **kwargs: float) -> CheckResult:
    with read_session(engine) as session:
        return identity.check_people(session, data=text.encode(), **kwargs)


def test_each_row_is_answered_with_the_registered_and_the_listed_it_may_be(
    engine: Engine, held: dict[str, int]
) -> None:
    checked = _check(engine, PARTNER)
    assert (checked.rows, checked.registered, checked.listed) == (4, 2, 2)
    by_ref = {p.reference: p for p in checked.people}
    jubouri = by_ref["P-1"]
    assert [c.person_id for c in jubouri.registered] == [held["jubouri"]]
    assert jubouri.registered[0].custody and jubouri.listed == []
    tunisian = by_ref["P-2"]  # listed, not held
    assert tunisian.registered == [] and [c.reference for c in tunisian.listed] == ["IQW-18"]
    badri = by_ref["P-3"]  # written in Arabic script: held, and listed
    assert [c.person_id for c in badri.registered] == [held["badri"]]
    assert [c.reference for c in badri.listed] == ["IQW-17"]
    assert badri.listed[0].hits[0].person_id == held["badri"]  # intake raised the hit
    assert by_ref["P-4"].registered == by_ref["P-4"].listed == []
    assert [p.row for p in checked.people] == [1, 2, 3, 4]
    assert all(c.score >= checked.min_score for p in checked.people for c in p.registered)


def test_checking_registers_no_one_and_queues_nothing(engine: Engine, held: dict[str, int]) -> None:
    with read_session(engine) as session:
        before = (registry.count_persons(session), identity.list_queue(session).total)
    _check(engine, PARTNER)
    with read_session(engine) as session:
        assert (registry.count_persons(session), identity.list_queue(session).total) == before


def test_a_lower_score_shows_the_weaker_candidates_too(
    engine: Engine, held: dict[str, int]
) -> None:
    text = "reference,name\nP-9,Khalid al-Jubouri\n"
    strict = _check(engine, text, min_score=1.0).people[0]
    loose = _check(engine, text, min_score=0.5).people[0]
    assert len(loose.registered) >= len(strict.registered)
    assert [c.person_id for c in loose.registered][:1] == [held["jubouri"]]


def test_with_no_list_loaded_the_answer_says_so(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[person("Khalid Hamza al-Jubouri")])
    checked = _check(engine, PARTNER)
    assert checked.registered == 1 and checked.listed == 0
    assert "no watchlist is loaded" in checked.warnings[0]


def test_a_mothers_name_tells_namesakes_apart(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        _, zainabs = registry.register_persons(
            session,
            persons_in=[
                person("Muhammad Ahmad Hassan").model_copy(update={"mother_name": "Khadija"}),
                person("Muhammad Ahmad Hassan").model_copy(update={"mother_name": "Zainab"}),
            ],
        )
    text = "reference,name,date_of_birth,mother_name\nP-1,Muhammad Ahmad Hassan,1971,Zainab\n"
    (row,) = _check(engine, text).people
    assert [c.person_id for c in row.registered] == [zainabs]  # Khadija's son falls below
    assert any("mother" in line for line in row.registered[0].explanation)
    (loose,) = _check(engine, text, min_score=0.5).people
    assert [c.person_id for c in loose.registered][:1] == [zainabs] and len(loose.registered) == 2


def test_a_row_known_only_by_a_nom_de_guerre_lists_the_men_it_may_stand_for(api: Api) -> None:
    # as a name search lists them: his birth year and nationality point to Khaled
    khaled = api.register(
        "Khaled bin Hussein Alkhateeb", nationalities=("AU",), date_of_birth="1971"
    )
    api.register("Daniel Peters", nationalities=("AU",), date_of_birth="1985")
    text = "reference,name,date_of_birth,nationality\nP-1,Abu Hamza al-Ustrali,1971,AU\n"
    headers = {"Content-Type": "text/csv"}
    body = api.post("monitor", "/identity/check", content=text.encode(), headers=headers).json()
    (row,) = body["people"]
    assert row["registered"] == [] and body["registered"] == 0
    assert [c["person_id"] for c in row["behind_the_nom_de_guerre"]][:1] == [khaled]
    assert body["may_stand_for"] == 1


def test_a_watchlist_takes_no_mothers_name_column(engine: Engine) -> None:
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="unknown column"):
        identity.import_csv_list(
            session, data=b"reference,name,mother_name\nW-1,Ali,Zainab\n", list_name="w"
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "reference,name,date_of_birth\nP-1,,1971\nP-2,Ali Hassan,19x\n",
            "nothing checked: line 2: name is empty; line 3: date of birth '19x'",
        ),
        ("reference,name\nP-1,Ali\nP-1,Omar\n", "line 3: reference 'P-1' is on line 2 too"),
        ("name\nAli\n", "lacks the required column(s) reference"),
        ("reference,name\n", "no rows: nothing checked"),
    ],
)
def test_a_faulty_file_is_refused_whole_naming_each_fault(
    engine: Engine, text: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        _check(engine, text)


def test_a_score_outside_its_range_is_refused(engine: Engine) -> None:
    with pytest.raises(Invalid, match="min_score"):
        _check(engine, PARTNER, min_score=0.2)


def test_the_check_from_the_api(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    jubouri = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971")
    headers = {"Content-Type": "text/csv"}
    answer = api.post("monitor", "/identity/check", content=PARTNER.encode(), headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["rows"], body["registered"], body["listed"]) == (4, 1, 2)
    assert body["people"][0]["registered"][0]["person_id"] == jubouri
    faulty = api.post(
        "monitor", "/identity/check", content=b"reference,name\nP-1,\n", headers=headers
    )
    assert faulty.status_code == 422
    assert faulty.headers["content-type"].startswith("application/problem+json")
    assert "line 2: name is empty" in faulty.json()["detail"]
    many = "reference,name\n" + "".join(f"P-{i},Ali Hassan\n" for i in range(1001))
    too_many = api.post("monitor", "/identity/check", content=many.encode(), headers=headers)
    assert too_many.status_code == 422 and "more than 1000 rows" in too_many.json()["detail"]
    low = api.post("monitor", "/identity/check?min_score=0.1", content=PARTNER.encode())
    assert low.status_code == 422


def test_the_check_from_the_command_line(
    engine: Engine, held: dict[str, int], tmp_path: Path
) -> None:
    partner = tmp_path / "partner.csv"
    partner.write_text(PARTNER, encoding="utf-8")
    out = tmp_path / "answer.csv"
    done = _run(engine, tmp_path, "identity", "check", str(partner), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "4 rows: 2 may be registered, 2 may be listed" in done.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["reference"] for r in rows] == ["P-1", "P-2", "P-3", "P-4"]
    assert rows[0]["registered_as"] == str(held["jubouri"]) and rows[0]["custody"]
    assert rows[1]["listed_as"] == "iq-warrants IQW-18" and rows[3]["registered_as"] == ""
    as_json = _run(engine, tmp_path, "identity", "check", str(partner), "--json")
    assert json.loads(as_json.stdout)["listed"] == 2
    faulty = tmp_path / "faulty.csv"
    faulty.write_text("reference,name\nP-1,\n", encoding="utf-8")
    refused = _run(engine, tmp_path, "identity", "check", str(faulty))
    assert refused.returncode != 0
    assert (
        refused.stderr.strip().splitlines()[-1] == "error: nothing checked: line 2: name is empty"
    )


def test_the_check_on_the_web(api: Api) -> None:
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    jubouri = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971")
    _sign_in(api, "monitor")
    files = {"file": ("partner.csv", PARTNER.encode(), "text/csv")}
    page = api.client.post("/web/identity/check", files=files)
    assert page.status_code == 200
    assert "4 rows: 1 may be registered, 2 may be listed" in page.text
    assert f'href="/web/identity/persons/{jubouri}"' in page.text
    assert 'href="/web/watchlists/iq-warrants/IQW-18"' in page.text
    assert "Jonathan Quincy Smith" not in page.text  # a row that may be no one is only counted
    as_file = api.client.post("/web/identity/check", files=files, data={"answer": "csv"})
    assert as_file.status_code == 200
    assert as_file.headers["content-type"].startswith("text/csv")
    assert 'filename="partner-checked.csv"' in as_file.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_file.text)))
    assert [r["reference"] for r in rows] == ["P-1", "P-2", "P-3", "P-4"]
    assert rows[0]["registered_as"] == str(jubouri)
    bad = {"file": ("bad.csv", b"reference,name\nP-1,\n", "text/csv")}
    refused = api.client.post("/web/identity/check", files=bad)
    assert refused.status_code == 422 and "line 2: name is empty" in refused.text


def test_a_long_file_checked_by_two_processes_gets_the_same_answer_in_file_order(
    engine: Engine, held: dict[str, int]
) -> None:
    header, *rows = PARTNER.splitlines()
    # 240 rows, past the size worth forking for, each with a reference of its own
    many = [
        f"{row.split(',', 1)[0]}-{n}," + row.split(",", 1)[1] for n in range(60) for row in rows
    ]
    text = "\n".join([header, *many]) + "\n"

    alone = _check(engine, text)
    with read_session(engine) as session:
        shared = identity.check_people(session, data=text.encode(), workers=2)

    assert [p.row for p in shared.people] == list(range(1, 241))
    assert shared.model_dump(exclude={"seconds"}) == alone.model_dump(exclude={"seconds"})
    assert (shared.registered, shared.listed) == (120, 120)
