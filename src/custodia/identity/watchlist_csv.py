"""An agency's own watchlist as a CSV file: a partner's wanted list, a national arrest-warrant
list, a court's list of persons of interest. Agencies keep such lists in spreadsheets, so the
format is the one a spreadsheet writes: UTF-8 (with or without a byte-order mark), a header
row, one listed individual a row.

Columns (the header names them, in any order):

- ``reference`` (required): the list's own identifier of the individual, unique in the file;
  a later import of the same list refreshes the entry with that reference.
- ``name`` (required): the name the list gives, in any script.
- ``aliases``: other names, ``;`` between them (weighed as good-quality aliases).
- ``weak_aliases``: names the list itself doubts, ``;`` between them (weighed as the UN's
  low-quality aliases: corroboration, not proof).
- ``date_of_birth``: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``YYYY/YYYY``; several with ``;``.
- ``nationality``: ISO 3166-1 alpha-2 codes, ``;`` between them.
- ``place_of_birth``: free text; several with ``;``.

Every row is checked before anything is written; a file with a bad row is refused whole,
with the row and column of each fault (at most ``MAX_FAULTS``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from custodia.errors import Invalid
from custodia.identity.names import parse_name
from custodia.identity.watchlist import ListedIndividual, ListedName
from custodia.registry.countries import check_country_codes
from custodia.registry.dates import parse_partial_date

REQUIRED = ("reference", "name")
OPTIONAL = ("aliases", "weak_aliases", "date_of_birth", "nationality", "place_of_birth")
MAX_FAULTS = 5
MAX_ROWS = 200_000
# A list's name is stored with each entry and shown with each hit: short, never the UN's,
# and never a word of the routes (POST /watchlists/csv/{name}, /watchlists/{name}/withdraw).
LIST_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
RESERVED = frozenset({"un-sc", "csv", "screen"})


def check_list_name(list_name: str) -> None:
    if not LIST_NAME.match(list_name):
        raise Invalid(
            f"list name {list_name!r}: 1 to 32 lower-case letters, digits and '-', "
            "starting with a letter or digit (e.g. 'iq-warrants')"
        )
    if list_name == "un-sc":
        raise Invalid(f"list name {list_name!r} is the UN list's: import it as un-sc")
    if list_name in RESERVED:
        raise Invalid(f"list name {list_name!r} is a word of the API's routes: choose another")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _header(fields: Sequence[str] | None, optional: tuple[str, ...]) -> list[str]:
    columns = [f.strip().lower() for f in fields or []]
    if not columns:
        raise Invalid("the CSV file is empty: it needs a header row naming its columns")
    unknown = [c for c in columns if c not in REQUIRED + optional]
    if unknown:
        raise Invalid(
            f"unknown column(s) {', '.join(map(repr, unknown))}: the columns are "
            f"{', '.join(REQUIRED + optional)}"
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise Invalid(f"the header lacks the required column(s) {', '.join(missing)}")
    if len(set(columns)) != len(columns):
        raise Invalid("the header names a column twice")
    return columns


def _names(row: dict[str, str]) -> list[ListedName]:
    names = [ListedName(row["name"].strip(), "primary")]
    names += [ListedName(n, "good") for n in _split(row.get("aliases"))]
    names += [ListedName(n, "low") for n in _split(row.get("weak_aliases"))]
    for n in names:
        if not parse_name(n.name).tokens:
            raise Invalid(f"the name {n.name!r} has no name parts (titles alone are not names)")
    return names


def _entry(row: dict[str, str], list_type: str) -> ListedIndividual:
    if not row["reference"].strip():
        raise Invalid("reference is empty")
    if not row["name"].strip():
        raise Invalid("name is empty")
    entry = ListedIndividual(
        reference=row["reference"].strip(),
        list_type=list_type,
        name=row["name"].strip(),
        names=_names(row),
    )
    for text in _split(row.get("date_of_birth")):
        dob = parse_partial_date(text)
        entry.dates_of_birth.append(dob.text)
        entry.dob_ranges.append((dob.earliest, dob.latest))
    entry.nationalities = [c.upper() for c in _split(row.get("nationality"))]
    check_country_codes(entry.nationalities)
    entry.places_of_birth = _split(row.get("place_of_birth"))
    entry.mother_name = (row.get("mother_name") or "").strip() or None
    return entry


def parse_csv_list(data: bytes, *, list_name: str) -> list[ListedIndividual]:
    """Every row of an agency's CSV watchlist, checked; Invalid names each faulty row."""
    check_list_name(list_name)
    return parse_csv_rows(data, list_type=list_name, refused="nothing imported")


def parse_csv_rows(
    data: bytes,
    *,
    list_type: str,
    refused: str,
    max_rows: int = MAX_ROWS,
    extra_columns: tuple[str, ...] = (),
) -> list[ListedIndividual]:
    """Every row of a CSV file of people in the list format (and ``extra_columns``),
    checked; Invalid names each faulty row, after ``refused`` ("nothing imported")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            f"the file is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8"
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = _header(reader.fieldnames, OPTIONAL + extra_columns)
    reader.fieldnames = columns
    entries: list[ListedIndividual] = []
    faults: list[str] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if len(entries) >= max_rows:
            raise Invalid(f"more than {max_rows} rows: split the file into several")
        if None in row:
            faults.append(f"line {line}: more cells than the header has columns")
            continue
        try:
            entry = _entry({k: v or "" for k, v in row.items()}, list_type)
        except Invalid as exc:
            faults.append(f"line {line}: {exc.detail}")
            continue
        if entry.reference in seen:
            faults.append(
                f"line {line}: reference {entry.reference!r} is on line {seen[entry.reference]} too"
            )
            continue
        seen[entry.reference] = line
        entries.append(entry)
    if faults:
        more = f" (and {len(faults) - MAX_FAULTS} more)" if len(faults) > MAX_FAULTS else ""
        raise Invalid(f"{refused}: " + "; ".join(faults[:MAX_FAULTS]) + more)
    if not entries:
        raise Invalid(f"the CSV file has a header but no rows: {refused}")
    return entries
