"""Boundary models of the custody room: one input model per event type, and outputs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from custodia.custody.rules import EventType, Status
from custodia.registry.schemas import PersonOut

_ISO2 = r"^[A-Z]{2}$"


class EventRequest(BaseModel):
    """Any custody event, in the shape the service validates and the ledger records."""

    event_type: EventType
    person_id: int | None = None
    facility_id: int | None = None
    authority_id: int | None = None
    occurred_at: dt.datetime | None = None
    corrects_seq: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


class _PersonEvent(BaseModel):
    person_id: int
    occurred_at: dt.datetime | None = Field(default=None, description="default: now (UTC)")
    note: str = Field(default="", max_length=2000)

    def _request(
        self,
        event_type: EventType,
        *,
        facility_id: int | None = None,
        authority_id: int | None = None,
        **payload: Any,
    ) -> EventRequest:
        clean = {k: v for k, v in payload.items() if v not in (None, "")}
        if self.note:
            clean["note"] = self.note
        return EventRequest(
            event_type=event_type,
            person_id=self.person_id,
            facility_id=facility_id,
            authority_id=authority_id,
            occurred_at=self.occurred_at,
            payload=clean,
        )


class IntakeIn(_PersonEvent):
    type: Literal["INTAKE"] = "INTAKE"
    facility_id: int
    authority_id: int | None = Field(default=None, description="default: the facility's")

    def to_request(self) -> EventRequest:
        return self._request(
            EventType.INTAKE, facility_id=self.facility_id, authority_id=self.authority_id
        )


class SafeguardRefs(BaseModel):
    risk_assessment_ref: str | None = Field(
        default=None,
        description="pre-transfer (non-refoulement) risk assessment; required "
        "when custody passes to another authority",
    )
    monitor_notification_ref: str | None = Field(
        default=None,
        description="notification sent to the independent monitor; required "
        "when custody passes to another authority",
    )


class TransferOutIn(_PersonEvent, SafeguardRefs):
    type: Literal["TRANSFER_OUT"] = "TRANSFER_OUT"
    destination_facility_id: int
    movement_id: str | None = Field(default=None, max_length=64, description="e.g. a sortie")

    def to_request(self) -> EventRequest:
        return self._request(
            EventType.TRANSFER_OUT,
            destination_facility_id=self.destination_facility_id,
            movement_id=self.movement_id,
            risk_assessment_ref=self.risk_assessment_ref,
            monitor_notification_ref=self.monitor_notification_ref,
        )


class TransferInIn(_PersonEvent):
    type: Literal["TRANSFER_IN"] = "TRANSFER_IN"
    facility_id: int
    movement_id: str | None = None

    def to_request(self) -> EventRequest:
        return self._request(
            EventType.TRANSFER_IN, facility_id=self.facility_id, movement_id=self.movement_id
        )


class AuthorityHandoverIn(_PersonEvent, SafeguardRefs):
    type: Literal["AUTHORITY_HANDOVER"] = "AUTHORITY_HANDOVER"
    authority_id: int

    def to_request(self) -> EventRequest:
        return self._request(
            EventType.AUTHORITY_HANDOVER,
            authority_id=self.authority_id,
            risk_assessment_ref=self.risk_assessment_ref,
            monitor_notification_ref=self.monitor_notification_ref,
        )


class ReleaseIn(_PersonEvent):
    type: Literal["RELEASE"] = "RELEASE"
    reason: str = Field(min_length=1, max_length=500)

    def to_request(self) -> EventRequest:
        return self._request(EventType.RELEASE, reason=self.reason)


class RepatriationIn(_PersonEvent, SafeguardRefs):
    type: Literal["REPATRIATION"] = "REPATRIATION"
    country: str = Field(pattern=_ISO2, description="country of return, ISO 3166-1 alpha-2")

    def to_request(self) -> EventRequest:
        return self._request(
            EventType.REPATRIATION,
            country=self.country,
            risk_assessment_ref=self.risk_assessment_ref,
            monitor_notification_ref=self.monitor_notification_ref,
        )


class DeathIn(_PersonEvent):
    type: Literal["DEATH"] = "DEATH"
    cause: str = Field(default="", max_length=500)

    def to_request(self) -> EventRequest:
        return self._request(EventType.DEATH, cause=self.cause)


class EscapeIn(_PersonEvent):
    type: Literal["ESCAPE"] = "ESCAPE"

    def to_request(self) -> EventRequest:
        return self._request(EventType.ESCAPE)


class RecaptureIn(_PersonEvent):
    type: Literal["RECAPTURE"] = "RECAPTURE"
    facility_id: int

    def to_request(self) -> EventRequest:
        return self._request(EventType.RECAPTURE, facility_id=self.facility_id)


class ReplacementIn(BaseModel):
    type: EventType
    facility_id: int | None = None
    authority_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


class CorrectionIn(BaseModel):
    type: Literal["CORRECTION"] = "CORRECTION"
    corrects_seq: int = Field(description="sequence number of the event being corrected")
    reason: str = Field(min_length=3, max_length=2000)
    replacement: ReplacementIn | None = Field(
        default=None, description="what should have been recorded; omit to void the event"
    )
    occurred_at: dt.datetime | None = None

    def to_request(self) -> EventRequest:
        payload: dict[str, Any] = {"reason": self.reason}
        if self.replacement is not None:
            payload["replacement"] = self.replacement.model_dump(mode="json")
        return EventRequest(
            event_type=EventType.CORRECTION,
            corrects_seq=self.corrects_seq,
            occurred_at=self.occurred_at,
            payload=payload,
        )


CustodyEventIn = Annotated[
    IntakeIn
    | TransferOutIn
    | TransferInIn
    | AuthorityHandoverIn
    | ReleaseIn
    | RepatriationIn
    | DeathIn
    | EscapeIn
    | RecaptureIn
    | CorrectionIn,
    Field(discriminator="type"),
]


class CustodyOut(BaseModel):
    person_id: int
    status: Status
    facility_id: int | None = None
    authority_id: int | None = None
    movement_id: str | None = None
    origin_facility_id: int | None = None
    destination_facility_id: int | None = None
    last_seq: int | None = None
    since: dt.datetime | None = None


class EventOut(BaseModel):
    seq: int
    event_id: str
    type: str
    person_id: int | None
    facility_id: int | None
    authority_id: int | None
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    recorded_by: int | None
    corrects_seq: int | None
    payload: dict[str, Any]
    leaf_hash: str
    corrected_by: int | None = None


class PersonDetail(BaseModel):
    person: PersonOut
    custody: CustodyOut
    history: list[EventOut]
    household: dict[str, Any] | None = None
    facility_names: dict[int, str] = Field(
        default_factory=dict, description="code and name of every facility mentioned"
    )


class RollCallIn(BaseModel):
    facility_id: int
    person_ids: list[int]
    taken_at: dt.datetime | None = None


class DiscrepancyOut(BaseModel):
    id: int
    roll_call_id: int | None
    facility_id: int
    person_id: int | None
    kind: str
    detail: str
    opened_at: dt.datetime
    opened_by: int | None = None  # user id (GET /users)
    status: str
    resolved_at: dt.datetime | None = None
    resolved_by: int | None = None
    resolution: str | None = None


class RollCallOut(BaseModel):
    id: int
    facility_id: int
    taken_at: dt.datetime
    expected_count: int
    present_count: int
    missing: list[int]
    unexpected: list[int]
    count_difference: int
    headcount_seq: int
    discrepancies: list[DiscrepancyOut]


class ResolveIn(BaseModel):
    resolution: str = Field(min_length=3, max_length=2000)


class FacilityPopulation(BaseModel):
    facility_id: int
    in_custody: int
    inbound: int
    open_discrepancies: int
