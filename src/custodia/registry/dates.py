"""Partial dates of birth: a full date, a month, a year, or a range of years.

Stored as the earliest and latest possible day, so "1990" is evidence ("born in 1990")
rather than a fake January 1st.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from custodia.errors import Invalid

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True)
class PartialDate:
    text: str
    earliest: dt.date
    latest: dt.date

    def age_range_on(self, day: dt.date) -> tuple[int, int]:
        """(youngest possible age, oldest possible age) on ``day``."""
        return _age(self.latest, day), _age(self.earliest, day)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def parse_partial_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``YYYY/YYYY``; a date that cannot
    have come yet (after ``today``, by default the day it is) is refused: it is a typing
    slip ("2090" for "1990"), and as evidence it would count against every candidate."""
    parsed = read_partial_date(text)
    if parsed.earliest > (today or dt.date.today()):
        raise Invalid(f"date of birth {parsed.text!r} is in the future")
    return parsed


def read_partial_date(text: str) -> PartialDate:
    """A date of birth as recorded, parsed as it is written (a record is evidence as it
    stands, whatever the day it is read)."""
    value = text.strip()
    try:
        if m := _DAY.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return PartialDate(value, day, day)
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return PartialDate(value, dt.date(year, month, 1), dt.date(year, month, last))
        if m := _YEAR.match(value):
            year = int(m[1])
            return PartialDate(value, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := _RANGE.match(value):
            first, last_year = int(m[1]), int(m[2])
            if first > last_year:
                raise Invalid(f"date of birth range {value!r} ends before it starts")
            return PartialDate(value, dt.date(first, 1, 1), dt.date(last_year, 12, 31))
    except ValueError as exc:
        raise Invalid(f"date of birth {value!r} is not a real date") from exc
    raise Invalid(f"date of birth {value!r} must be YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY")
