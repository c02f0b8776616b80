"""The synthetic population and its custody history, planned in memory from a seed.

Pure: no database. ``scenario.service`` writes the plan through the registry and custody
services, so the history lands in the ledger like any recorded event.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from custodia.registry.models import NameKind, PersonCategory, Script, Sex
from custodia.registry.schemas import DocumentIn, NameIn, PersonIn
from custodia.scenario import naming
from custodia.scenario.gazetteer import CAMPS, DETENTION_SITES, Site

UTC = dt.UTC
SURRENDER_WAVE = (dt.datetime(2019, 3, 1, tzinfo=UTC), dt.datetime(2019, 7, 1, tzinfo=UTC))
HISTORY_END = dt.datetime(2026, 10, 31, tzinfo=UTC)
RISK_TIER_WEIGHTS = (0.25, 0.35, 0.28, 0.12)
DUPLICATE_FRACTION = 0.04

_BIRTHPLACES = {
    "IQ": (
        "Mosul",
        "Baghdad",
        "Fallujah",
        "Ramadi",
        "Tikrit",
        "Kirkuk",
        "Tal Afar",
        "Baiji",
        "Hawija",
        "al-Qaim",
        "Samarra",
        "Baqubah",
    ),
    "SY": (
        "Raqqa",
        "Deir ez-Zor",
        "al-Mayadin",
        "Albu Kamal",
        "al-Hasakah",
        "Aleppo",
        "Manbij",
        "Idlib",
        "Homs",
        "al-Tabqa",
        "al-Bab",
    ),
    "TN": ("Tunis", "Ben Guerdane", "Bizerte", "Kasserine"),
    "SA": ("Riyadh", "Buraydah"),
    "MA": ("Tetouan", "Casablanca", "Fes"),
    "EG": ("Cairo", "Alexandria"),
    "JO": ("Zarqa", "Ma'an", "Amman"),
    "TR": ("Gaziantep", "Adiyaman", "Istanbul"),
    "RU": ("Makhachkala", "Grozny", "Khasavyurt"),
    "FR": ("Paris", "Nice", "Toulouse"),
    "DE": ("Hamburg", "Dinslaken", "Berlin"),
    "GB": ("London", "Portsmouth", "Cardiff"),
    "BE": ("Brussels", "Antwerp"),
    "UZ": ("Tashkent", "Namangan"),
    "TJ": ("Dushanbe",),
}


@dataclass
class PlannedPerson:
    person_in: PersonIn
    duplicate_of: int | None = None  # index of the true record
    duplicate_kind: str | None = None


@dataclass
class PlannedEvent:
    when: dt.datetime
    kind: str
    person: int
    facility: str | None = None
    destination: str | None = None
    payload: dict[str, str] = field(default_factory=dict)


@dataclass
class PlannedHousehold:
    camp: str
    label: str
    members: list[tuple[int, str]]  # (person index, relation to head); head first


@dataclass
class Plan:
    persons: list[PlannedPerson] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    households: list[PlannedHousehold] = field(default_factory=list)
    links: list[tuple[int, int, str, bool]] = field(default_factory=list)

    def add(self, person: PlannedPerson) -> int:
        self.persons.append(person)
        return len(self.persons) - 1


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    seconds = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.randrange(max(seconds, 1)))


def _dob_text(rng: random.Random, born: dt.date) -> str:
    """Dates of birth as records hold them: often only a year, sometimes a range."""
    roll = rng.random()
    if roll < 0.40:
        return born.isoformat()
    if roll < 0.52:
        return born.strftime("%Y-%m")
    if roll < 0.90:
        return str(born.year)
    return f"{born.year - rng.randint(1, 2)}/{born.year + rng.randint(1, 2)}"


def _birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1)
    days = (dt.date(last_year, 12, 31) - start).days
    return start + dt.timedelta(days=rng.randrange(days))


def _names(rng: random.Random, names: naming.PersonNames, *, alias: bool) -> list[NameIn]:
    primary = names.primary
    out = [
        NameIn(
            kind=NameKind.PRIMARY,
            script=Script.LATIN,
            full_name=primary.full_latin,
            ism=primary.ism,
            nasab=" ".join(primary.nasab) or None,
            nisba=primary.nisba,
            kunya=primary.kunya,
        )
    ]
    if primary.full_arabic:
        out.append(
            NameIn(
                kind=NameKind.PRIMARY,
                script=Script.ARABIC,
                full_name=primary.full_arabic,
                ism=primary.ism_arabic,
                nasab=" ".join(primary.nasab_arabic) or None,
                nisba=primary.nisba_arabic,
                kunya=primary.kunya_arabic,
            )
        )
    if primary.kunya:
        out.append(
            NameIn(
                kind=NameKind.KUNYA,
                script=Script.LATIN,
                full_name=primary.kunya,
                kunya=primary.kunya,
            )
        )
    if alias:
        record = naming.alias_record(rng, names)
        out.append(NameIn(kind=NameKind.NOM_DE_GUERRE, script=Script.LATIN, full_name=record.latin))
        out.append(
            NameIn(kind=NameKind.NOM_DE_GUERRE, script=Script.ARABIC, full_name=record.arabic)
        )
    return out


def _documents(rng: random.Random, nationality: str) -> list[DocumentIn]:
    if rng.random() > 0.35:
        return []
    kind = "national_id" if nationality in ("IQ", "SY") else "passport"
    number = "".join(rng.choice("0123456789") for _ in range(9))
    return [DocumentIn(kind=kind, number=number, issuing_country=nationality)]


def _person(
    rng: random.Random,
    *,
    category: PersonCategory,
    sex: str,
    nationality: str,
    born: dt.date,
    risk: int,
    alias: bool,
) -> tuple[PersonIn, naming.PersonNames]:
    names = naming.generate_person_name(rng, sex=sex, nationality=nationality)
    places = _BIRTHPLACES.get(nationality)
    person_in = PersonIn(
        category=category,
        sex=Sex(sex),
        date_of_birth=_dob_text(rng, born),
        nationalities=[nationality],
        risk_tier=risk,
        names=_names(rng, names, alias=alias),
        mother_name=names.mother_latin,
        place_of_birth=rng.choice(places) if places else None,
        documents=_documents(rng, nationality) if category is PersonCategory.DETAINEE else [],
    )
    return person_in, names


def _duplicate(rng: random.Random, original: PersonIn, names: naming.PersonNames) -> PlannedPerson:
    """The same man recorded again: another clerk's spelling, or only his nom de guerre."""
    kind = "spelling" if rng.random() < 0.7 else "alias"
    if kind == "spelling":
        variant = naming.spelling_variant_record(rng, names)
        new_names = [
            NameIn(
                full_name=variant.full_latin,
                ism=variant.ism,
                nasab=" ".join(variant.nasab) or None,
                nisba=variant.nisba,
            )
        ]
        if rng.random() < 0.5 and variant.full_arabic:
            new_names.append(NameIn(script=Script.ARABIC, full_name=variant.full_arabic))
    else:
        alias = naming.alias_record(rng, names)
        new_names = [
            NameIn(kind=NameKind.PRIMARY, full_name=alias.latin),
            NameIn(kind=NameKind.NOM_DE_GUERRE, script=Script.ARABIC, full_name=alias.arabic),
        ]
    dob = original.date_of_birth
    if dob and rng.random() < 0.5:
        dob = dob[:4]
    copy = original.model_copy(
        update={
            "names": new_names,
            "date_of_birth": dob,
            "documents": [],
            "mother_name": original.mother_name if rng.random() < 0.4 else None,
            "nationalities": original.nationalities if rng.random() < 0.9 else [],
        }
    )
    return PlannedPerson(person_in=copy, duplicate_kind=kind)


def _intake_time(rng: random.Random) -> dt.datetime:
    if rng.random() < 0.65:
        return _between(rng, *SURRENDER_WAVE)
    return _between(rng, SURRENDER_WAVE[1], dt.datetime(2025, 6, 30, tzinfo=UTC))


def plan_detainees(rng: random.Random, plan: Plan, count: int) -> list[int]:
    """Detainees, a known fraction recorded twice, with intakes, transfers and outcomes."""
    sites = list(DETENTION_SITES)
    weights = [s.capacity for s in sites]
    originals: list[int] = []
    n_duplicates = round(count * DUPLICATE_FRACTION)
    for _ in range(count - n_duplicates):
        nationality = naming.sample_nationality(rng)
        risk = rng.choices((1, 2, 3, 4), weights=RISK_TIER_WEIGHTS)[0]
        person_in, names = _person(
            rng,
            category=PersonCategory.DETAINEE,
            sex="M",
            nationality=nationality,
            born=_birth(rng, 1962, 2006),
            risk=risk,
            alias=rng.random() < 0.2,
        )
        index = plan.add(PlannedPerson(person_in=person_in))
        originals.append(index)
        site = rng.choices(sites, weights=weights)[0]
        _plan_detainee_history(rng, plan, index, site, sites, weights, nationality)
        if len(originals) <= n_duplicates:
            twin = _duplicate(rng, person_in, names)
            twin.duplicate_of = index
            twin_index = plan.add(twin)
            twin_site = rng.choices(sites, weights=weights)[0]
            plan.events.append(
                PlannedEvent(_intake_time(rng), "INTAKE", twin_index, twin_site.code)
            )
    return originals


def _plan_detainee_history(
    rng: random.Random,
    plan: Plan,
    index: int,
    site: Site,
    sites: list[Site],
    weights: list[int],
    nationality: str,
) -> None:
    when = _intake_time(rng)
    plan.events.append(PlannedEvent(when, "INTAKE", index, site.code))
    transfers = rng.choices((0, 1, 2), weights=(0.77, 0.20, 0.03))[0]
    for _ in range(transfers):
        when = _between(rng, when + dt.timedelta(days=30), HISTORY_END - dt.timedelta(days=60))
        destination = rng.choices(sites, weights=weights)[0]
        if destination.code == site.code:
            continue
        movement = f"MV-{when:%Y%m%d}-{index:05d}"
        plan.events.append(
            PlannedEvent(
                when, "TRANSFER_OUT", index, site.code, destination.code, {"movement_id": movement}
            )
        )
        when += dt.timedelta(hours=rng.randint(3, 30))
        plan.events.append(
            PlannedEvent(
                when, "TRANSFER_IN", index, destination.code, payload={"movement_id": movement}
            )
        )
        site = destination
    _plan_outcome(rng, plan, index, site, when, nationality)


def _plan_outcome(
    rng: random.Random, plan: Plan, index: int, site: Site, after: dt.datetime, nationality: str
) -> None:
    roll = rng.random()
    when = _between(rng, after + dt.timedelta(days=10), HISTORY_END)
    if roll < 0.015:
        plan.events.append(
            PlannedEvent(
                when,
                "RELEASE",
                index,
                site.code,
                payload={"reason": "released to tribal guarantee"},
            )
        )
    elif roll < 0.020:
        plan.events.append(
            PlannedEvent(when, "DEATH", index, site.code, payload={"cause": "illness"})
        )
    elif roll < 0.024:
        plan.events.append(PlannedEvent(when, "ESCAPE", index, site.code))
        if rng.random() < 0.5:
            later = _between(rng, when + dt.timedelta(days=1), when + dt.timedelta(days=40))
            if later < HISTORY_END:
                plan.events.append(PlannedEvent(later, "RECAPTURE", index, site.code))
    elif roll < 0.034 and nationality not in ("IQ", "SY"):
        plan.events.append(
            PlannedEvent(
                when,
                "REPATRIATION",
                index,
                site.code,
                payload=_repatriation_payload(index, nationality),
            )
        )


def _repatriation_payload(index: int, country: str) -> dict[str, str]:
    return {
        "country": country,
        "risk_assessment_ref": f"RA-{index:06d}",
        "monitor_notification_ref": f"MN-{index:06d}",
    }


def plan_camps(rng: random.Random, plan: Plan, count: int, detainees: list[int]) -> None:
    """Households of women and children in al-Hol and Roj; children born in the camp
    enter its records at birth; some households are repatriated or released."""
    hol, roj = CAMPS
    roj_room = int(roj.capacity * 0.9)
    made = 0
    while made < count:
        nationality = naming.sample_nationality(rng, camp=True)
        foreign = nationality not in ("IQ", "SY")
        camp = roj if foreign and roj_room > 0 else hol
        arrival = (
            _between(rng, *SURRENDER_WAVE)
            if rng.random() < 0.8
            else _between(rng, SURRENDER_WAVE[1], dt.datetime(2021, 12, 31, tzinfo=UTC))
        )
        members = _plan_household(rng, plan, nationality, arrival, camp, count - made, detainees)
        made += len(members)
        if camp is roj:
            roj_room -= len(members)
        plan.households.append(
            PlannedHousehold(camp.code, f"{camp.code}-H{len(plan.households) + 1:05d}", members)
        )
        _plan_household_outcome(rng, plan, members, camp, nationality)


def _plan_household(
    rng: random.Random,
    plan: Plan,
    nationality: str,
    arrival: dt.datetime,
    camp: Site,
    room: int,
    detainees: list[int],
) -> list[tuple[int, str]]:
    child_headed = rng.random() < 0.02
    head_born = _birth(rng, 2008, 2010) if child_headed else _birth(rng, 1968, 2004)
    head_in, _ = _person(
        rng,
        category=PersonCategory.CAMP_RESIDENT,
        sex="F",
        nationality=nationality,
        born=head_born,
        risk=rng.choice((1, 1, 1, 2)),
        alias=False,
    )
    head = plan.add(PlannedPerson(person_in=head_in))
    plan.events.append(PlannedEvent(arrival, "INTAKE", head, camp.code))
    members = [(head, "head")]
    if not child_headed and detainees and rng.random() < 0.25:
        plan.links.append((head, rng.choice(detainees), "spouse", True))
    n_children = min(
        rng.choices((0, 1, 2, 3, 4, 5, 6), weights=(8, 15, 20, 20, 16, 12, 9))[0], room - 1
    )
    for _ in range(max(n_children, 0)):
        born = _child_birth(rng, head_born, child_headed, arrival)
        child_in, _ = _person(
            rng,
            category=PersonCategory.CAMP_RESIDENT,
            sex=rng.choice("MF"),
            nationality=nationality,
            born=born.date(),
            risk=1,
            alias=False,
        )
        child = plan.add(PlannedPerson(person_in=child_in))
        plan.events.append(PlannedEvent(max(arrival, born), "INTAKE", child, camp.code))
        relation = "sibling" if child_headed else "child"
        members.append((child, relation))
        if not child_headed:
            plan.links.append((head, child, "mother", False))
    return members


def _child_birth(
    rng: random.Random, mother_born: dt.date, child_headed: bool, arrival: dt.datetime
) -> dt.datetime:
    """Most children came with their mothers, some were born in the camp; today they are
    0-17 and some 15-18, approaching fighting age."""
    if child_headed:
        first = dt.datetime(2010, 1, 1, tzinfo=UTC)
    else:
        first = dt.datetime(max(mother_born.year + 15, 2008), 1, 1, tzinfo=UTC)
    if first < arrival and rng.random() < 0.7:
        return _between(rng, first, arrival)
    return _between(rng, max(first, arrival), dt.datetime(2026, 9, 30, tzinfo=UTC))


def _plan_household_outcome(
    rng: random.Random, plan: Plan, members: list[tuple[int, str]], camp: Site, nationality: str
) -> None:
    # Iraq has taken back whole households from al-Hol by the thousand; Syrians leave
    # mostly through tribal sponsorship; few foreign states repatriate.
    repatriation = {"IQ": 0.40, "SY": 0.0}.get(nationality, 0.12)
    release = 0.18 if nationality == "SY" else 0.0
    roll = rng.random()
    if roll >= repatriation + release:
        return
    last_intake = max(e.when for e in plan.events[-len(members) :])
    when = _between(
        rng,
        max(last_intake, dt.datetime(2020, 6, 1, tzinfo=UTC)) + dt.timedelta(days=1),
        HISTORY_END,
    )
    for person, _ in members:
        if roll < repatriation:
            plan.events.append(
                PlannedEvent(
                    when,
                    "REPATRIATION",
                    person,
                    camp.code,
                    payload=_repatriation_payload(person, nationality),
                )
            )
        else:
            plan.events.append(
                PlannedEvent(
                    when, "RELEASE", person, camp.code, payload={"reason": "sponsorship release"}
                )
            )


def plan_population(seed: int, detainees: int, camp_residents: int) -> Plan:
    """Everything the scenario will record, deterministically from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    plan = Plan()
    originals = plan_detainees(rng, plan, detainees)
    plan_camps(rng, plan, camp_residents, originals)
    plan.events.sort(key=lambda e: (e.when, e.person))
    return plan
