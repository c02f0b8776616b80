"""Roll calls: count who is present at a facility, reconcile against the records, keep each
difference as a discrepancy until someone resolves it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from custodia.custody.models import CustodyRecord, Discrepancy, RollCall
from custodia.custody.rules import EventType, Status
from custodia.custody.schemas import DiscrepancyOut, RollCallIn, RollCallOut
from custodia.db import utc_now
from custodia.errors import Conflict, Invalid, NotFound
from custodia.ledger import service as ledger
from custodia.registry import service as registry

_CLOCK_SKEW = dt.timedelta(minutes=5)


def parse_roll_call_csv(text: str) -> list[int]:
    """Person ids from a CSV with a ``person_id`` column (or one id per line, no header)."""
    # newline="": a carriage return inside the text is the csv module's to read, as it asks
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise Invalid(f"line {reader.line_num}: not readable as CSV ({exc})") from None
    if not rows:
        raise Invalid("the roll call file is empty")
    header = [cell.strip().lower() for cell in rows[0][1]]
    column = header.index("person_id") if "person_id" in header else 0
    body = rows[1:] if "person_id" in header else rows
    ids: list[int] = []
    for line_no, row in body:
        value = row[column].strip() if column < len(row) else ""
        if not (value.isascii() and value.isdigit()):
            raise Invalid(f"line {line_no}: {value!r} is not a person id")
        ids.append(int(value))
    return ids


def _held_elsewhere(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    where: dict[int, str] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(CustodyRecord.person_id, CustodyRecord.status, CustodyRecord.facility_id).where(
                CustodyRecord.person_id.in_(ids[start : start + 900])
            )
        )
        for row in rows:
            at = f" at facility {row.facility_id}" if row.facility_id else ""
            where[row.person_id] = f"{row.status.replace('_', ' ')}{at}"
    return where


def record_roll_call(
    session: Session, *, roll_call_in: RollCallIn, actor_id: int | None
) -> RollCallOut:
    """Reconcile a count against the projection; record it as a HEADCOUNT ledger event and
    open a discrepancy for each person missing or unexpected and for a count difference."""
    from custodia.custody.service import held_at

    facility = registry.get_facility(session, facility_id=roll_call_in.facility_id)
    present = roll_call_in.person_ids
    duplicates = sorted(pid for pid, n in Counter(present).items() if n > 1)
    if duplicates:
        raise Invalid(f"person ids counted twice: {', '.join(map(str, duplicates[:20]))}")
    unknown = registry.missing_person_ids(session, person_ids=present)
    if unknown:
        raise Invalid(
            "these ids are not registered persons; fix the list: "
            + ", ".join(map(str, unknown[:20]))
        )
    now = utc_now()
    taken_at = roll_call_in.taken_at or now
    if taken_at.tzinfo is None:
        raise Invalid("taken_at must carry a timezone, e.g. 2026-11-25T06:00:00Z")
    if taken_at > now + _CLOCK_SKEW:
        raise Invalid(f"taken_at {taken_at.isoformat()} is in the future")
    expected = held_at(session, facility_id=facility.id)
    seen = set(present)
    missing = sorted(expected - seen)
    unexpected = sorted(seen - expected)
    payload = {
        "expected_count": len(expected),
        "present_count": len(seen),
        "missing": missing,
        "unexpected": unexpected,
        "present_digest": hashlib.sha256(",".join(map(str, sorted(seen))).encode()).hexdigest(),
    }
    (entry,) = ledger.append(
        session,
        entries=[
            ledger.NewEntry(
                event_type=EventType.HEADCOUNT.value,
                occurred_at=taken_at,
                facility_id=facility.id,
                authority_id=facility.authority_id,
                payload=payload,
            )
        ],
        recorded_by=actor_id,
    )
    roll_call = RollCall(
        facility_id=facility.id,
        taken_at=taken_at,
        recorded_by=actor_id,
        expected_count=len(expected),
        present_count=len(seen),
        missing_count=len(missing),
        unexpected_count=len(unexpected),
        headcount_seq=entry.seq,
    )
    session.add(roll_call)
    session.flush()
    _open_discrepancies(session, roll_call, missing, unexpected)
    return _roll_call_out(session, roll_call, missing, unexpected)


def _open_discrepancies(
    session: Session, roll_call: RollCall, missing: list[int], unexpected: list[int]
) -> None:
    elsewhere = _held_elsewhere(session, unexpected)
    # every difference this count found is opened at once, by whoever recorded the count
    opened = {
        "roll_call_id": roll_call.id,
        "facility_id": roll_call.facility_id,
        "opened_at": utc_now(),
        "opened_by": roll_call.recorded_by,
        "status": "open",
    }
    rows = [
        {
            **opened,
            "person_id": pid,
            "kind": "missing",
            "detail": "recorded as held here but not counted",
        }
        for pid in missing
    ]
    rows += [
        {
            **opened,
            "person_id": pid,
            "kind": "unexpected",
            "detail": "counted here but recorded as "
            + elsewhere.get(pid, Status.NOT_HELD.value.replace("_", " ")),
        }
        for pid in unexpected
    ]
    if roll_call.present_count != roll_call.expected_count:
        rows.append(
            {
                **opened,
                "person_id": None,
                "kind": "count",
                "detail": f"counted {roll_call.present_count}, records say "
                f"{roll_call.expected_count}",
            }
        )
    for start in range(0, len(rows), 5000):
        session.execute(insert(Discrepancy), rows[start : start + 5000])


def _roll_call_out(
    session: Session, roll_call: RollCall, missing: list[int], unexpected: list[int]
) -> RollCallOut:
    found = session.scalars(
        select(Discrepancy).where(Discrepancy.roll_call_id == roll_call.id).order_by(Discrepancy.id)
    )
    return RollCallOut(
        id=roll_call.id,
        facility_id=roll_call.facility_id,
        taken_at=roll_call.taken_at,
        expected_count=roll_call.expected_count,
        present_count=roll_call.present_count,
        missing=missing,
        unexpected=unexpected,
        count_difference=roll_call.present_count - roll_call.expected_count,
        headcount_seq=roll_call.headcount_seq,
        discrepancies=[_discrepancy_out(d) for d in found],
    )


def _discrepancy_out(row: Discrepancy) -> DiscrepancyOut:
    return DiscrepancyOut(
        id=row.id,
        roll_call_id=row.roll_call_id,
        facility_id=row.facility_id,
        person_id=row.person_id,
        kind=row.kind,
        detail=row.detail,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        status=row.status,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        resolution=row.resolution,
    )


def get_roll_call(session: Session, *, roll_call_id: int) -> RollCallOut:
    roll_call = session.get(RollCall, roll_call_id)
    if roll_call is None:
        raise NotFound(f"no roll call with id {roll_call_id}")
    payload = ledger.get_event(session, seq=roll_call.headcount_seq).payload
    return _roll_call_out(session, roll_call, payload["missing"], payload["unexpected"])


def list_discrepancies(
    session: Session,
    *,
    facility_id: int | None = None,
    status: str | None = "open",
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[DiscrepancyOut], int]:
    query = select(Discrepancy)
    if facility_id is not None:
        query = query.where(Discrepancy.facility_id == facility_id)
    if status:
        if status not in ("open", "resolved"):
            raise Invalid("status must be 'open' or 'resolved'")
        query = query.where(Discrepancy.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Discrepancy.id).limit(limit).offset(offset))
    return [_discrepancy_out(row) for row in rows], total


def resolve_discrepancy(
    session: Session, *, discrepancy_id: int, resolution: str, actor_id: int | None
) -> DiscrepancyOut:
    row = session.get(Discrepancy, discrepancy_id)
    if row is None:
        raise NotFound(f"no discrepancy with id {discrepancy_id}")
    if row.status == "resolved":
        raise Conflict(f"discrepancy {discrepancy_id} was already resolved at {row.resolved_at}")
    if not resolution.strip():
        raise Invalid("say how the discrepancy was resolved")
    row.status, row.resolution = "resolved", resolution.strip()
    row.resolved_at, row.resolved_by = utc_now(), actor_id
    session.flush()
    return _discrepancy_out(row)
