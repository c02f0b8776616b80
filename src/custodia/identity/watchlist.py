"""Reading the UN Security Council consolidated list XML (sc-sanctions.xsd) into entries
with every name an individual is listed under.

An ALIAS_NAME often packs several names: variants separated by ``;`` or lettered
``a) ... b) ...``, and transliterations in parentheses after an original-script name, where
a ``;`` separates transliterations of one name (not different aliases). Splitting blindly
gives broken names, so text in and out of parentheses is split separately.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custodia.errors import Invalid

_LETTERED = re.compile(r"(?:^|\s)[a-z]\)\s")
# Editorial text that sits among the names: "previously listed as", ", born 5 Feb. 1970 in".
_NOT_A_NAME = re.compile(
    r"^(?:(?:previously|formerly|originally) listed as|combat name|nom de guerre|also known as)$",
    re.IGNORECASE,
)
_BORN = re.compile(r",?\s+born\b.*$", re.IGNORECASE)

# The list's nationalities are demonyms or country names; the registry keeps ISO codes.
NATIONALITY_CODES = {
    "afghan": "AF", "afghanistan": "AF", "iraq": "IQ", "iraqi": "IQ", "tunisian": "TN",
    "tunisia": "TN", "algerian": "DZ", "algeria": "DZ", "pakistani": "PK", "pakistan": "PK",
    "indonesian": "ID", "indonesia": "ID", "congolese": "CD", "egyptian": "EG", "egypt": "EG",
    "saudi arabian": "SA", "saudi arabia": "SA", "filipino": "PH", "philippines": "PH",
    "syrian": "SY", "syrian arab republic": "SY", "libyan": "LY", "libya": "LY",
    "jordanian": "JO", "jordan": "JO", "moroccan": "MA", "morocco": "MA", "yemeni": "YE",
    "yemen": "YE", "kuwaiti": "KW", "kuwait": "KW", "somali": "SO", "somalia": "SO",
    "sudanese": "SD", "sudan": "SD", "lebanese": "LB", "lebanon": "LB", "turkish": "TR",
    "turkey": "TR", "russian": "RU", "russian federation": "RU", "french": "FR",
    "british": "GB", "german": "DE", "iranian": "IR", "iran (islamic republic of)": "IR",
    "iran": "IR", "qatari": "QA", "qatar": "QA", "bahraini": "BH", "emirati": "AE",
    "united arab emirates": "AE", "omani": "OM", "mauritanian": "MR", "malian": "ML",
    "nigerian": "NG", "kenyan": "KE", "eritrean": "ER", "ethiopian": "ET", "uzbek": "UZ",
    "uzbekistan": "UZ", "tajik": "TJ", "kyrgyz": "KG", "kazakh": "KZ", "chechen": "RU",
    "azerbaijani": "AZ", "georgian": "GE", "bosnian": "BA", "albanian": "AL",
    "malaysian": "MY", "singaporean": "SG", "bangladeshi": "BD", "indian": "IN",
    "palestinian": "PS", "belgian": "BE", "danish": "DK", "swedish": "SE", "dutch": "NL",
    "spanish": "ES", "italian": "IT", "american": "US", "canadian": "CA", "australian": "AU",
    "north korean": "KP", "democratic people's republic of korea": "KP", "ivorian": "CI",
    "rwandan": "RW", "ugandan": "UG", "burundian": "BI", "liberian": "LR", "chadian": "TD",
    "central african": "CF", "south sudanese": "SS", "zimbabwean": "ZW",
}  # fmt: skip


@dataclass
class ListedName:
    name: str
    quality: str  # primary | original_script | good | low


@dataclass
class ListedIndividual:
    reference: str
    list_type: str
    name: str
    names: list[ListedName]
    dates_of_birth: list[str] = field(default_factory=list)
    dob_ranges: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    # references under which the list names the same individual again (link_double_listings)
    also_listed_as: list[str] = field(default_factory=list)
    # a person's mother, where a file of people to check gives it (no list does)
    mother_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "also_listed_as": self.also_listed_as,
            "list_type": self.list_type,
            "names": [{"name": n.name, "quality": n.quality} for n in self.names],
            "dates_of_birth": self.dates_of_birth,
            "dob_ranges": [[a.isoformat(), b.isoformat()] for a, b in self.dob_ranges],
            "nationalities": self.nationalities,
            "places_of_birth": self.places_of_birth,
        }


def split_alias(text: str) -> list[str]:
    """The names packed into one ALIAS_NAME."""
    inside: list[str] = []
    outside: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            if depth == 0:
                outside.append("".join(current))
                current = []
            else:
                current.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                inside.append("".join(current))
                current = []
            else:
                current.append(ch)
        else:
            current.append(ch)
    (inside if depth > 0 else outside).append("".join(current))  # an unclosed "(" still counts
    names: list[str] = []
    for chunk in outside:
        for piece in _LETTERED.split(" " + chunk):
            names.extend(p for p in piece.split(";"))
    for chunk in inside:
        names.extend(chunk.split(";"))
    out: list[str] = []
    for name in names:
        cleaned = re.sub(r"^\s*[a-z]\)\s*", "", name)
        cleaned = _BORN.sub("", cleaned).strip(" ,.;:\u2019\u2018'\"")
        if _NOT_A_NAME.match(cleaned):
            continue
        if len(cleaned) >= 2 and cleaned not in out:
            out.append(cleaned)
    return out


def _text(node: ET.Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _dob(node: ET.Element) -> tuple[str, tuple[dt.date, dt.date]] | None:
    kind = _text(node.find("TYPE_OF_DATE")).upper()
    date = _text(node.find("DATE"))
    year = _text(node.find("YEAR"))
    start, end = _text(node.find("FROM_YEAR")), _text(node.find("TO_YEAR"))
    try:
        if date:
            day = dt.date.fromisoformat(date[:10])
            if kind == "APPROXIMATELY":
                return date[:4], (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
            return day.isoformat(), (day, day)
        if year:
            y = int(year)
            if kind == "APPROXIMATELY":  # "approximately 1975": a year either side
                return f"{y - 1}/{y + 1}", (dt.date(y - 1, 1, 1), dt.date(y + 1, 12, 31))
            return str(y), (dt.date(y, 1, 1), dt.date(y, 12, 31))
        if start and end:
            a, b = sorted((int(start), int(end)))
            return f"{a}/{b}", (dt.date(a, 1, 1), dt.date(b, 12, 31))
    except ValueError:
        return None
    return None


def parse_un_xml(data: bytes) -> list[ListedIndividual]:
    """Every INDIVIDUAL of a consolidated-list XML document."""
    if b"<!ENTITY" in data:
        raise Invalid("the XML declares entities; a consolidated list never does: refused")
    try:
        root = ET.fromstring(data)  # noqa: S314 -- entity declarations refused above
    except ET.ParseError as exc:
        raise Invalid(f"not well-formed XML: {exc}") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise Invalid(f"expected a UN SC CONSOLIDATED_LIST document, found <{root.tag}>")
    out: list[ListedIndividual] = []
    for ind in root.iter("INDIVIDUAL"):
        reference = _text(ind.find("REFERENCE_NUMBER")) or _text(ind.find("DATAID"))
        parts = [
            _text(ind.find(tag))
            for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        primary = " ".join(p for p in parts if p)
        if not reference or not primary:
            continue
        names = [ListedName(primary, "primary")]
        original = _text(ind.find("NAME_ORIGINAL_SCRIPT"))
        if original:
            names.append(ListedName(original, "original_script"))
        for alias in ind.findall("INDIVIDUAL_ALIAS"):
            quality = "low" if _text(alias.find("QUALITY")).lower() == "low" else "good"
            for name in split_alias(_text(alias.find("ALIAS_NAME"))):
                names.append(ListedName(name, quality))
        entry = ListedIndividual(
            reference=reference,
            list_type=_text(ind.find("UN_LIST_TYPE")),
            name=primary,
            names=names,
        )
        for node in ind.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            parsed = _dob(node)
            if parsed:
                entry.dates_of_birth.append(parsed[0])
                entry.dob_ranges.append(parsed[1])
        for value in ind.iterfind("NATIONALITY/VALUE"):
            code = NATIONALITY_CODES.get(_text(value).lower())
            if code and code not in entry.nationalities:
                entry.nationalities.append(code)
        for place in ind.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
            text = ", ".join(
                _text(place.find(t)) for t in ("CITY", "COUNTRY") if _text(place.find(t))
            )
            if text:
                entry.places_of_birth.append(text)
        out.append(entry)
    link_double_listings(out)
    return out


def link_double_listings(entries: list[ListedIndividual]) -> None:
    """Mark the entries that list one individual under several sanctions regimes (Hassan
    Dahir Aweys is QDi.042 and SOi.002): the same primary name and the same dates of birth.
    A name alone is not enough (namesakes), nor is an entry without a date of birth."""
    groups: dict[tuple[str, tuple[str, ...]], list[ListedIndividual]] = defaultdict(list)
    for entry in entries:
        if entry.dates_of_birth:
            name = " ".join(entry.name.casefold().split())
            groups[name, tuple(sorted(entry.dates_of_birth))].append(entry)
    for group in groups.values():
        for entry in group:
            entry.also_listed_as = [o.reference for o in group if o is not entry]


def read_un_xml(path: Path) -> list[ListedIndividual]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror}") from exc
    return parse_un_xml(data)
