"""Partial dates of birth: what was known is kept as a range, never a fake January 1st."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodia.errors import Invalid
from custodia.registry.dates import PartialDate, parse_partial_date, read_partial_date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1990", dt.date(1990, 1, 1), dt.date(1990, 12, 31)),
        ("1990-05", dt.date(1990, 5, 1), dt.date(1990, 5, 31)),
        ("1992-02", dt.date(1992, 2, 1), dt.date(1992, 2, 29)),
        ("1990-02", dt.date(1990, 2, 1), dt.date(1990, 2, 28)),
        ("1990-05-17", dt.date(1990, 5, 17), dt.date(1990, 5, 17)),
        ("1990/1994", dt.date(1990, 1, 1), dt.date(1994, 12, 31)),
        ("1990/1990", dt.date(1990, 1, 1), dt.date(1990, 12, 31)),
        ("  2008-11 ", dt.date(2008, 11, 1), dt.date(2008, 11, 30)),
    ],
)
def test_partial_dates_are_kept_as_ranges(text: str, earliest: dt.date, latest: dt.date) -> None:
    assert parse_partial_date(text) == PartialDate(text.strip(), earliest, latest)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("90", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("1990-5", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("May 1990", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("1990/94", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("17/05/1990", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("1990-01-01T00:00", "must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"),
        ("1990-13", "is not a real date"),
        ("1990-00", "is not a real date"),
        ("1990-02-30", "is not a real date"),
        ("1991-02-29", "is not a real date"),
        ("0000", "is not a real date"),
        ("1994/1990", "ends before it starts"),
    ],
)
def test_bad_dates_are_refused_with_a_readable_message(text: str, says: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_partial_date(text)
    assert says in caught.value.detail
    assert repr(text.strip()) in caught.value.detail


@pytest.mark.parametrize("text", ["2090", "2026-12-05", "2027-01", "2027/2030"])
def test_a_date_of_birth_that_has_not_come_yet_is_refused(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_partial_date(text, today=dt.date(2026, 12, 4))
    assert caught.value.detail == f"date of birth {text!r} is in the future"


@pytest.mark.parametrize("text", ["2026-12-04", "2026-12", "2026", "2020/2030"])
def test_a_date_of_birth_that_may_have_come_is_taken(text: str) -> None:
    assert parse_partial_date(text, today=dt.date(2026, 12, 4)).text == text


def test_a_recorded_date_is_read_as_written_whatever_the_day() -> None:
    assert read_partial_date("2090").earliest == dt.date(2090, 1, 1)


def test_age_range_of_a_year_of_birth() -> None:
    born = parse_partial_date("2008")
    assert born.age_range_on(dt.date(2026, 6, 1)) == (17, 18)
    assert born.age_range_on(dt.date(2027, 1, 1)) == (18, 19)


def test_a_known_birthday_gives_one_age() -> None:
    born = parse_partial_date("2008-06-15")
    assert born.age_range_on(dt.date(2026, 6, 14)) == (17, 17)
    assert born.age_range_on(dt.date(2026, 6, 15)) == (18, 18)


@given(day=st.dates(min_value=dt.date(1000, 1, 1)))
def test_any_full_date_is_exactly_that_day(day: dt.date) -> None:
    parsed = read_partial_date(day.isoformat())
    assert parsed.earliest == parsed.latest == day


@given(day=st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_month_covers_exactly_its_days(day: dt.date) -> None:
    parsed = read_partial_date(day.strftime("%Y-%m"))
    assert parsed.earliest == day.replace(day=1)
    assert parsed.earliest <= day <= parsed.latest
    assert (parsed.latest + dt.timedelta(days=1)).month != day.month


@given(first=st.integers(1000, 9999), span=st.integers(0, 20))
def test_a_range_of_years_covers_every_day_in_it(first: int, span: int) -> None:
    last = min(first + span, 9999)
    parsed = read_partial_date(f"{first}/{last}")
    assert (parsed.earliest, parsed.latest) == (dt.date(first, 1, 1), dt.date(last, 12, 31))
    youngest, oldest = parsed.age_range_on(dt.date(9999, 12, 31))
    assert oldest - youngest == last - first
