"""The operation description: what the planner is asked to move, with what, and under which
limits. A validated pydantic model with a published JSON schema; everything an impossible or
inconsistent description gets wrong is refused with a message that names the fix.

Pure: no database. ``routes`` turns the geography into sortie times; the validator uses it to
refuse a site no aircraft can reach.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from custodia.errors import Invalid

SCHEMA_VERSION = "custodia.operation/1"


class Place(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    facility_id: int | None = Field(default=None, description="the registry's facility id")


class Staging(Place):
    holding_capacity: int = Field(
        default=0,
        ge=0,
        description="detainees its secure holding area can hold at once (0 = no holding: "
        "aircraft only refuel and are based here). With holding, aircraft based here "
        "shuttle detainees from the nearest sites into it, and trunk them on to the "
        "receiving facility on a later day.",
    )


class Receiving(Place):
    intake_per_day: int = Field(ge=0, description="persons the receiving facility takes in a day")
    intake_changes: list[DayValue] = Field(
        default_factory=list, description="later changes of the daily intake, by day"
    )


class DayValue(BaseModel):
    day: int = Field(ge=0)
    value: int = Field(ge=0)


class AircraftType(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    seats: int = Field(ge=3, le=200, description="seats for detainees and guards together")
    speed_kmh: float = Field(gt=0, le=1000)
    range_km: float = Field(gt=0)
    max_flight_hours: float = Field(default=8.0, gt=0, le=24)


class Aircraft(BaseModel):
    tail: str = Field(min_length=1, max_length=32)
    type: str
    base: str = Field(
        description="code of the staging airfield or receiving facility it flies from"
    )
    unavailable_days: list[int] = Field(
        default_factory=list, description="maintenance or grounding days (0 = first day)"
    )


class Detainee(BaseModel):
    id: int = Field(description="registry person id")
    risk: int = Field(ge=1, le=100, description="individual risk score 1..100")
    minor: bool = False
    assessment_ref: str | None = Field(
        default=None, description="pre-transfer risk assessment; none = not yet assessed"
    )
    assessment_flagged: bool = Field(
        default=False, description="the assessment found a risk that forbids the transfer"
    )
    relatives_staying: list[int] = Field(
        default_factory=list,
        description="family members who stay under another authority: the move separates "
        "them and the plan must carry a record of it",
    )


class ThreatStep(BaseModel):
    day: int = Field(ge=0)
    level: float = Field(gt=0, le=100, description="threat factor from this day on")


class Site(Place):
    prep_per_day: int = Field(ge=0, description="detainees the site can prepare in a day")
    threat: list[ThreatStep] = Field(min_length=1)
    detainees: list[Detainee] = Field(default_factory=list)


class GuardPolicy(BaseModel):
    """Security tiers by risk score and the guards each needs (guards per detainee)."""

    tier_floors: list[int] = Field(default=[1, 40, 70, 90], min_length=1)
    guards_per_detainee: list[float] = Field(default=[0.25, 1 / 3, 0.5, 1.0], min_length=1)
    min_guards: int = Field(default=2, ge=0)

    @model_validator(mode="after")
    def _tiers(self) -> GuardPolicy:
        if len(self.tier_floors) != len(self.guards_per_detainee):
            raise ValueError("guards: one guards_per_detainee value per tier floor")
        if self.tier_floors != sorted(self.tier_floors) or self.tier_floors[0] != 1:
            raise ValueError("guards: tier_floors must rise and start at 1")
        return self

    def ratio(self, risk: int) -> float:
        return self.guards_per_detainee[self.tier(risk)]

    def tier(self, risk: int) -> int:
        # Called in the manifest step's hot loops: a table per policy, built once.
        return _tier_table(tuple(self.tier_floors))[risk]


@functools.lru_cache(maxsize=64)
def _tier_table(floors: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sum(1 for floor in floors if risk >= floor) - 1 for risk in range(101))


class Operation(BaseModel):
    """An airlift operation, day 0 = ``start_date``."""

    schema_: str = Field(default=SCHEMA_VERSION, alias="schema")
    name: str = Field(min_length=1, max_length=200)
    start_date: dt.date
    horizon_days: int = Field(ge=1, le=366)
    duty_start_hour: float = Field(default=6.0, ge=0, lt=24)
    duty_end_hour: float = Field(default=17.0, gt=0, le=24)
    load_hours: float = Field(default=0.75, ge=0)
    unload_hours: float = Field(default=0.5, ge=0)
    refuel_hours: float = Field(default=0.5, ge=0)
    tail_days: float = Field(
        default=10.0, ge=0, description="days of exposure charged for anyone left at the horizon"
    )
    receiving: Receiving
    staging: list[Staging] = Field(default_factory=list)
    aircraft_types: list[AircraftType] = Field(min_length=1)
    aircraft: list[Aircraft] = Field(min_length=1)
    sites: list[Site] = Field(min_length=1)
    guards: GuardPolicy = Field(default_factory=GuardPolicy)

    model_config = {"populate_by_name": True}

    @model_validator(mode="after")
    def _consistent(self) -> Operation:
        problems = consistency_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- derived values the planner and the checker share ---------------------------------

    @property
    def duty_hours(self) -> float:
        return self.duty_end_hour - self.duty_start_hour

    def intake_on(self, day: int) -> int:
        value = self.receiving.intake_per_day
        for change in sorted(self.receiving.intake_changes, key=lambda c: c.day):
            if change.day <= day:
                value = change.value
        return value

    def threat_on(self, site: Site, day: int) -> float:
        level = site.threat[0].level
        for step in sorted(site.threat, key=lambda s: s.day):
            if step.day <= day:
                level = step.level
        return level

    def airfields(self) -> dict[str, Place]:
        out: dict[str, Place] = {p.code: p for p in self.staging}
        out[self.receiving.code] = self.receiving
        return out


def consistency_problems(op: Operation) -> list[str]:
    """Everything that makes the description impossible to plan, in words."""
    from custodia.transfers.routes import sortie_leg_plan  # routes needs the classes above

    problems: list[str] = []
    if op.duty_end_hour <= op.duty_start_hour:
        problems.append("duty_end_hour must be after duty_start_hour")
    fields = op.airfields()
    codes = [s.code for s in op.sites] + list(fields)
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        problems.append(f"place codes used twice: {', '.join(dupes)}")
    types = {t.code: t for t in op.aircraft_types}
    tails = [a.tail for a in op.aircraft]
    if len(set(tails)) != len(tails):
        problems.append("aircraft tails must be unique")
    for plane in op.aircraft:
        if plane.type not in types:
            problems.append(f"aircraft {plane.tail}: unknown type {plane.type!r}")
        if plane.base not in fields:
            problems.append(
                f"aircraft {plane.tail}: base {plane.base!r} is not a staging airfield or the "
                "receiving facility"
            )
    if op.receiving.intake_per_day == 0 and not any(c.value for c in op.receiving.intake_changes):
        problems.append("the receiving facility's intake is zero on every day: nobody can arrive")
    seen: set[int] = set()
    for site in op.sites:
        ids = [d.id for d in site.detainees]
        if seen.intersection(ids):
            problems.append(f"site {site.code}: a detainee is listed at two sites")
        seen.update(ids)
        if site.detainees and site.prep_per_day == 0:
            problems.append(f"site {site.code}: prep_per_day is 0, its detainees can never leave")
    if problems:
        return problems
    usable_types = {a.type for a in op.aircraft}
    for site in op.sites:
        if not site.detainees:
            continue
        reachable = [
            plane.tail
            for plane in op.aircraft
            if plane.type in usable_types
            and sortie_leg_plan(op, types[plane.type], fields[plane.base], site) is not None
        ]
        if not reachable:
            problems.append(
                f"site {site.code}: no aircraft can reach it and fly on to "
                f"{op.receiving.code} within its range, duty window and flight hours "
                "(add a staging airfield nearer, or a longer-range type)"
            )
    for stage in op.staging:
        if stage.holding_capacity and stage.facility_id is None and op.receiving.facility_id:
            problems.append(
                f"staging airfield {stage.code}: a holding area needs the registry's "
                "facility_id, so that custody at the airfield can be recorded"
            )
    for t in types.values():
        minimum = op.guards.min_guards + 1
        if t.seats < minimum:
            problems.append(f"aircraft type {t.code}: {t.seats} seats leave no room for a detainee")
    return problems


def operation_schema() -> dict[str, Any]:
    """The published JSON schema of an operation description."""
    return Operation.model_json_schema(by_alias=True)


def parse_operation(data: Any) -> Operation:
    """An Operation from already-parsed YAML/JSON; Invalid with every problem listed."""
    try:
        return Operation.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors()[:12]:
            where = ".".join(str(p) for p in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{where}: {message}" if where else message)
        raise Invalid("the operation description is not valid: " + " | ".join(lines)) from exc


def load_operation(path: Path) -> Operation:
    """Read an operation description from a YAML or JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise Invalid(f"{path} is not valid YAML/JSON: {exc}") from exc
    return parse_operation(data)


def dump_operation(op: Operation) -> dict[str, Any]:
    return op.model_dump(mode="json", by_alias=True)


Receiving.model_rebuild()
