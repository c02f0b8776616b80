"""Boundary models of the transfers room."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from custodia.biometrics.schemas import FingerUpload

# A plan's time limit unless the user sets one. The target is a plan of the default
# operation within 30 s: its pattern generation (the bound) converges in ~15 s on a quiet
# 2-core machine and the dive takes 5-8 s more; the rest is margin for a loaded machine.
PLAN_SECONDS = 25.0


class PlanSummary(BaseModel):
    id: int
    name: str
    parent_id: int | None
    created_at: dt.datetime
    solver_version: str
    objective: float
    lower_bound: float
    gap: float
    greedy_objective: float
    last_arrival_day: int | None
    sorties: int
    moved: int
    in_scope: int
    checker_ok: bool


class AssessmentIn(BaseModel):
    person_id: int
    ref: str = Field(min_length=1, max_length=64)
    outcome: Literal["cleared", "flagged"]
    note: str = Field(default="", max_length=2000)


class FingerCheck(BaseModel):
    """One finger taken from a person at the aircraft, checked 1:1 against their enrolment."""

    person_id: int
    finger: FingerUpload


class BoardingIn(BaseModel):
    person_ids: list[int] = Field(min_length=1, description="persons checked at the aircraft")
    occurred_at: dt.datetime | None = None
    fingerprints: list[FingerCheck] = Field(
        default_factory=list,
        description="when given, one per person boarded; anyone whose finger does not match "
        "their enrolment is refused and nobody boards",
    )


class ArrivalIn(BaseModel):
    received: list[int] = Field(description="persons counted off the aircraft")
    occurred_at: dt.datetime | None = None
    fingerprints: list[FingerCheck] = Field(
        default_factory=list,
        description="when given, one per person received; anyone whose finger does not "
        "match their enrolment counts as unexpected (a discrepancy), not as received",
    )


class TimeIn(BaseModel):
    occurred_at: dt.datetime | None = None


class SortieStatus(BaseModel):
    plan_id: int
    sortie: str
    movement_id: str
    status: str
    manifest: list[int]
    boarded: list[int]
    received: list[int]
    taken_in: list[int]
    left_behind: list[int] = Field(default_factory=list)
    missing: list[int] = Field(default_factory=list)
    unexpected: list[int] = Field(default_factory=list)
    discrepancy_ids: list[int] = Field(default_factory=list)
    departed_at: dt.datetime | None = None
    departed_by: int | None = None  # user id (GET /users) who recorded the departure
    arrived_at: dt.datetime | None = None
    arrived_by: int | None = None  # ... and the arrival's reconciliation
    monitor_notification_ref: str | None = None


class Notification(BaseModel):
    ref: str
    sortie: str
    day: int
    origin_facility_id: int | None
    destination_facility_id: int | None
    person_ids: list[int]
    risk_assessment_refs: dict[int, str | None]


class EventIn(BaseModel):
    """A re-planning event, as ``custodia.transfers.replan.PlanEvent``."""

    event: dict[str, Any]
    time_limit: float = Field(default=5.0, gt=0, le=600)
