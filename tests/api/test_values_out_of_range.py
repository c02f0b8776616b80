"""A value no column can hold (an id of thirty digits typed or pasted by mistake, a NUL
character in a text) is the caller's mistake: every interface refuses it in words and
changes nothing, never a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.api.conftest import Api, assert_problem
from tests.clirun import run_cli
from tests.web.test_review_pages import _sign_in

HUGE = 10**24


@pytest.mark.parametrize(
    "url",
    [
        f"/persons/{HUGE}",
        f"/identity/persons/{HUGE}",
        f"/identity/queue/{HUGE}",
        f"/facilities/{HUGE}",
        f"/transfers/plans/{HUGE}/notifications",
        f"/persons?facility_id={HUGE}",
    ],
)
def test_an_id_too_large_for_any_record_is_refused_naming_the_parameter(api: Api, url: str) -> None:
    body = assert_problem(api.get("analyst", url), 422)

    assert "2147483647" in body["detail"]
    assert body["errors"][0]["location"] in ("path", "query")


def test_an_offset_past_any_count_is_refused_by_name(api: Api) -> None:
    body = assert_problem(api.get("analyst", f"/persons?offset={HUGE}"), 422)

    assert body["errors"][0]["field"] == "offset"


def test_a_huge_number_inside_a_body_is_a_clear_refusal_and_writes_nothing(api: Api) -> None:
    before = api.ledger_size()
    facility = api.world.prison_a

    response = api.event({"type": "INTAKE", "person_id": HUGE, "facility_id": facility})

    # SQLite cannot even bind the number (out of range); PostgreSQL finds no such person.
    body = assert_problem(response, response.status_code)
    assert response.status_code in (404, 422)
    assert "out of range" in body["detail"] or "no person" in body["detail"]
    assert api.ledger_size() == before


def test_a_body_that_is_not_utf8_text_is_refused_in_words(api: Api) -> None:
    response = api.post(
        "custody_officer",
        "/custody/events",
        content=b"\xff\xfe\x00{",
        headers={"Content-Type": "application/json"},
    )

    body = assert_problem(response, response.status_code)
    assert response.status_code in (400, 422)
    assert "UTF-8" in body["detail"] or "JSON" in body["detail"]


def test_the_command_line_refuses_a_huge_id_in_one_line(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)

    result = run_cli(tmp_path, "person", "show", str(HUGE), database_url=url)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: ")
    assert "out of range" in line or f"no person with id {HUGE}" in line


def test_a_page_for_a_huge_id_says_what_is_wrong(api: Api) -> None:
    _sign_in(api, "analyst")

    for url in (f"/web/identity/persons/{HUGE}", f"/web/identity/queue?page={HUGE}"):
        page = api.client.get(url, follow_redirects=False)
        assert page.status_code in (404, 422), url
        assert page.headers["content-type"].startswith("text/html"), url


def test_a_name_holding_a_nul_character_is_refused_on_both_databases(api: Api) -> None:
    response = api.post(
        "custody_officer",
        "/persons",
        json={
            "category": "detainee",
            "sex": "M",
            "nationalities": ["IQ"],
            "names": [{"full_name": "Ali\u0000 Hassan"}],
        },
    )

    body = assert_problem(response, 422)
    assert "control characters" in body["detail"]
    assert api.get("analyst", "/persons?name=Hassan").json()["total"] == 0


def test_a_note_holding_a_nul_character_is_refused_alike_on_both_databases(api: Api) -> None:
    a = api.register("Abd al-Rahman Khalid al-Baghdadi", date_of_birth="1981-02-03")
    api.register("Abdulrahman Khaled Albaghdadi", date_of_birth="1981-02-03")
    item = api.get("analyst", f"/identity/queue?person_id={a}").json()["items"][0]["id"]

    response = api.post(
        "analyst",
        f"/identity/queue/{item}/decisions",
        json={"decision": "different", "note": "checked\u0000"},
    )

    # PostgreSQL stores no NUL in text, so neither database takes one: a registry kept on
    # SQLite must be able to move to PostgreSQL whole.
    assert "NUL" in assert_problem(response, 422)["detail"]
    assert api.get("analyst", f"/identity/queue/{item}").json()["status"] == "open"
