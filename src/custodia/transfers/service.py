"""The transfers room's public functions: plan and re-plan (on documents, or stored by id),
pre-transfer assessments, and execution through the custody ledger - boarding
(TRANSFER_OUT), departure, arrival with the manifest reconciled in the same transaction, and
intake (TRANSFER_IN) - with the monitor notification list."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from custodia.biometrics import service as biometrics
from custodia.custody import service as custody
from custodia.custody.rules import EventType, Status
from custodia.custody.schemas import EventRequest
from custodia.db import utc_now
from custodia.errors import Conflict, Invalid, NotFound
from custodia.registry import service as registry
from custodia.transfers import checker, replan, solver
from custodia.transfers.models import (
    MonitorNotification,
    TransferAssessment,
    TransferManifestLine,
    TransferPlan,
    TransferSortie,
)
from custodia.transfers.operation import Operation, parse_operation
from custodia.transfers.schemas import (
    PLAN_SECONDS,
    AssessmentIn,
    FingerCheck,
    Notification,
    PlanSummary,
    SortieStatus,
)

Verifier = Callable[[int], bool]


def fingerprint_verifier(
    session: Session, *, checks: Sequence[FingerCheck], actor_id: int | None
) -> Verifier | None:
    """A verifier that checks each person's finger 1:1 against their enrolment (audited by
    the biometrics room); None when no finger was taken at all."""
    if not checks:
        return None
    captures = {check.person_id: check.finger.to_finger() for check in checks}

    def verify(person_id: int) -> bool:
        finger = captures.get(person_id)
        if finger is None:
            raise Invalid(
                f"no finger taken from person {person_id}: take one from everyone, or from no one"
            )
        result = biometrics.verify(
            session, person_id=person_id, position=finger.position, finger=finger, actor_id=actor_id
        )
        return result.match

    return verify


"""A 1:1 identity check at the aircraft (e.g. biometric): person id -> verified."""


# --- plans as documents (the CLI works on files) ---------------------------------------


def create_plan_document(
    *, operation: Operation, time_limit: float = PLAN_SECONDS
) -> dict[str, Any]:
    """Plan the operation and attach the independent checker's report."""
    document = solver.plan_operation(operation, time_limit=time_limit)
    document["checker"] = checker.check_plan(operation, document)
    return document


def replan_document(
    *,
    plan: dict[str, Any],
    event: replan.PlanEvent,
    time_limit: float = 5.0,
    moved_elsewhere: set[int] | None = None,
) -> dict[str, Any]:
    document, operation = replan.replan_with_operation(
        plan, event, time_limit=time_limit, moved_elsewhere=moved_elsewhere
    )
    document["checker"] = checker.check_plan(operation, document)
    return document


def find_sortie(plan: dict[str, Any], sortie: str) -> dict[str, Any]:
    for s in plan["sorties"]:
        if s["id"] == sortie:
            found: dict[str, Any] = s
            return found
    raise NotFound(f"the plan has no sortie {sortie!r} (see `custodia plan show`)")


# --- assessments ------------------------------------------------------------------------


def record_assessments(
    session: Session, *, assessments: Collection[AssessmentIn], actor_id: int | None
) -> int:
    now = utc_now()
    rows = [
        {
            "person_id": a.person_id,
            "ref": a.ref,
            "outcome": a.outcome,
            "assessed_at": now,
            "recorded_by": actor_id,
            "note": a.note,
        }
        for a in assessments
    ]
    if rows:
        unknown = registry.missing_person_ids(
            session, person_ids={a.person_id for a in assessments}
        )
        if unknown:
            raise NotFound(f"no person with id {', '.join(map(str, unknown[:10]))}")
        refs = [a.ref for a in assessments]
        repeated = sorted(ref for ref, times in Counter(refs).items() if times > 1)
        if repeated:
            raise Invalid(
                "each assessment needs its own ref; given more than once: "
                + ", ".join(repeated[:5])
            )
        taken = set(
            session.scalars(select(TransferAssessment.ref).where(TransferAssessment.ref.in_(refs)))
        )
        if taken:
            raise Conflict(f"assessment refs already recorded: {', '.join(sorted(taken)[:5])}")
        for start in range(0, len(rows), 5000):
            session.execute(insert(TransferAssessment), rows[start : start + 5000])
    return len(rows)


def assessments_of(session: Session, *, person_ids: Collection[int]) -> dict[int, tuple[str, bool]]:
    """Each person's latest assessment: (ref, flagged)."""
    ids = sorted(set(person_ids))
    out: dict[int, tuple[str, bool, int]] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(
                TransferAssessment.person_id,
                TransferAssessment.ref,
                TransferAssessment.outcome,
                TransferAssessment.id,
            ).where(TransferAssessment.person_id.in_(ids[start : start + 900]))
        )
        for pid, ref, outcome, row_id in rows:
            if pid not in out or row_id > out[pid][2]:
                out[pid] = (ref, outcome == "flagged", row_id)
    return {pid: (ref, flagged) for pid, (ref, flagged, _) in out.items()}


def with_recorded_assessments(session: Session, *, operation: Operation) -> Operation:
    """The description with each detainee's assessment as the database records it (a
    person with none recorded is not assessed, whatever the file said)."""
    ids = [d.id for s in operation.sites for d in s.detainees]
    known = assessments_of(session, person_ids=ids)
    data = operation.model_copy(deep=True)
    for site in data.sites:
        for d in site.detainees:
            ref, flagged = known.get(d.id, (None, False))
            d.assessment_ref, d.assessment_flagged = ref, flagged
    return data


# --- stored plans -----------------------------------------------------------------------


def create_plan(
    session: Session, *, operation: Operation, time_limit: float, actor_id: int | None
) -> PlanSummary:
    document = create_plan_document(
        operation=with_recorded_assessments(session, operation=operation), time_limit=time_limit
    )
    return store_plan(session, document=document, actor_id=actor_id)


def store_plan(
    session: Session,
    *,
    document: dict[str, Any],
    actor_id: int | None,
    parent_id: int | None = None,
) -> PlanSummary:
    """Keep a plan document (with its input snapshot, solver version and checker report)
    and its sorties, manifests and monitor notifications, ready to execute."""
    report = document.get("checker") or checker.check_plan(
        parse_operation(document["operation"]), document
    )
    if not report["ok"]:
        raise Invalid(f"the plan fails its feasibility check: {report['violations'][:3]}")
    row = TransferPlan(
        name=document["operation_name"],
        parent_id=parent_id,
        created_at=utc_now(),
        created_by=actor_id,
        solver_version=document["solver"],
        objective=document["objective"],
        lower_bound=document["lower_bound"],
        gap=document["gap"],
        document=json.dumps(document),
        checker_report=json.dumps(report),
    )
    session.add(row)
    session.flush()
    now = utc_now()
    started_in_parent: set[str] = set()
    if parent_id is not None:
        started_in_parent = set(
            session.scalars(
                select(TransferSortie.code).where(
                    TransferSortie.plan_id == parent_id, TransferSortie.status != "planned"
                )
            )
        )
    lines: list[dict[str, Any]] = []
    for s in document["sorties"]:
        sortie = TransferSortie(
            plan_id=row.id,
            code=s["id"],
            day=s["day"],
            aircraft=s["aircraft"],
            origin_facility_id=s.get("origin_facility_id"),
            destination_facility_id=s.get("destination_facility_id"),
            movement_id=f"P{row.id}-{s['id']}",
            # A sortie under way or flown under the parent plan stays the parent's to finish.
            status="superseded" if s["id"] in started_in_parent else "planned",
        )
        session.add(sortie)
        session.flush()
        lines.extend(
            {"sortie_id": sortie.id, "person_id": pid, "received": False} for pid in s["manifest"]
        )
        session.add(
            MonitorNotification(
                sortie_id=sortie.id,
                ref=f"MN-P{row.id}-{s['id']}",
                created_at=now,
                persons=json.dumps(s["manifest"]),
            )
        )
    for start in range(0, len(lines), 5000):
        session.execute(insert(TransferManifestLine), lines[start : start + 5000])
    session.flush()
    return _summary(row, document, report)


def _summary(row: TransferPlan, document: dict[str, Any], report: dict[str, Any]) -> PlanSummary:
    return PlanSummary(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        created_at=row.created_at,
        solver_version=row.solver_version,
        objective=row.objective,
        lower_bound=row.lower_bound,
        gap=row.gap,
        greedy_objective=document["greedy_objective"],
        last_arrival_day=document["last_arrival_day"],
        sorties=len(document["sorties"]),
        moved=document["moved"],
        in_scope=document["in_scope"],
        checker_ok=bool(report["ok"]),
    )


def _plan_row(session: Session, plan_id: int) -> TransferPlan:
    row = session.get(TransferPlan, plan_id)
    if row is None:
        raise NotFound(f"no transfer plan with id {plan_id}")
    return row


def get_plan(session: Session, *, plan_id: int) -> dict[str, Any]:
    """The stored plan document with its checker report."""
    row = _plan_row(session, plan_id)
    document: dict[str, Any] = json.loads(row.document)
    document["id"] = row.id
    document["checker"] = json.loads(row.checker_report)
    return document


def list_plans(session: Session) -> list[PlanSummary]:
    out = []
    for row in session.scalars(select(TransferPlan).order_by(TransferPlan.id)):
        document = json.loads(row.document)
        out.append(_summary(row, document, json.loads(row.checker_report)))
    return out


def replan_stored(
    session: Session,
    *,
    plan_id: int,
    event: replan.PlanEvent,
    time_limit: float,
    actor_id: int | None,
) -> PlanSummary:
    """Re-plan a stored plan from the ledger's state: persons no longer held at their site
    are out of the problem, sorties under way or flown are never moved (the new plan starts
    the day after the last of them at the earliest)."""
    document = get_plan(session, plan_id=plan_id)
    started = session.scalar(
        select(TransferSortie.day)
        .where(TransferSortie.plan_id == plan_id, TransferSortie.status != "planned")
        .order_by(TransferSortie.day.desc())
        .limit(1)
    )
    if started is not None and (event.day is None or event.day <= started):
        event = event.model_copy(update={"day": started + 1})
    operation = parse_operation(document["operation"])
    site_facility = {d.id: s.facility_id for s in operation.sites for d in s.detainees}
    states = custody.custody_states(session, person_ids=site_facility)
    gone = {
        pid
        for pid, facility in site_facility.items()
        if (state := states.get(pid)) is None
        or state.status != Status.IN_CUSTODY
        or (facility is not None and state.facility_id != facility)
    }
    new = replan_document(plan=document, event=event, time_limit=time_limit, moved_elsewhere=gone)
    return store_plan(session, document=new, actor_id=actor_id, parent_id=plan_id)


# --- execution --------------------------------------------------------------------------


def _sortie(session: Session, plan_id: int, code: str) -> TransferSortie:
    _plan_row(session, plan_id)
    row = session.scalar(
        select(TransferSortie).where(TransferSortie.plan_id == plan_id, TransferSortie.code == code)
    )
    if row is None:
        raise NotFound(f"plan {plan_id} has no sortie {code!r}")
    return row


def _lines(session: Session, sortie: TransferSortie) -> list[TransferManifestLine]:
    return list(
        session.scalars(
            select(TransferManifestLine)
            .where(TransferManifestLine.sortie_id == sortie.id)
            .order_by(TransferManifestLine.person_id)
        )
    )


def _notification_ref(session: Session, sortie: TransferSortie) -> str:
    ref = session.scalar(
        select(MonitorNotification.ref).where(MonitorNotification.sortie_id == sortie.id)
    )
    return ref or f"MN-P{sortie.plan_id}-{sortie.code}"


def sortie_status(session: Session, *, plan_id: int, sortie: str) -> SortieStatus:
    row = _sortie(session, plan_id, sortie)
    return _status(session, row)


def _status(session: Session, row: TransferSortie, **extra: Any) -> SortieStatus:
    lines = _lines(session, row)
    return SortieStatus(
        plan_id=row.plan_id,
        sortie=row.code,
        movement_id=row.movement_id,
        status=row.status,
        manifest=[line.person_id for line in lines],
        boarded=[line.person_id for line in lines if line.boarded_seq is not None],
        received=[line.person_id for line in lines if line.received],
        taken_in=[line.person_id for line in lines if line.intake_seq is not None],
        departed_at=row.departed_at,
        departed_by=row.departed_by,
        arrived_at=row.arrived_at,
        arrived_by=row.arrived_by,
        monitor_notification_ref=_notification_ref(session, row),
        **extra,
    )


def _require(row: TransferSortie, allowed: tuple[str, ...], verb: str) -> None:
    if row.status not in allowed:
        raise Conflict(f"cannot {verb} sortie {row.code}: it is {row.status}")
    if row.origin_facility_id is None or row.destination_facility_id is None:
        raise Invalid(
            f"sortie {row.code} names no registry facility: plan from a description with "
            "facility ids (`custodia scenario operation`) to execute it"
        )


def board(
    session: Session,
    *,
    plan_id: int,
    sortie: str,
    person_ids: Collection[int],
    actor_id: int | None,
    occurred_at: dt.datetime | None = None,
    verifier: Verifier | None = None,
    fingerprints: Sequence[FingerCheck] = (),
    everyone_left: bool = False,
) -> SortieStatus:
    """Board persons (``everyone_left``: all on the manifest not yet boarded): each is
    checked against the manifest, their pre-transfer assessment and (when given) the
    identity ``verifier``; then one TRANSFER_OUT each, all or none."""
    row = _sortie(session, plan_id, sortie)
    _require(row, ("planned", "boarding"), "board")
    lines = {line.person_id: line for line in _lines(session, row)}
    wanted = list(dict.fromkeys(person_ids))
    if everyone_left:
        wanted += [p for p, line in lines.items() if line.boarded_seq is None and p not in wanted]
    if not wanted:
        raise Invalid("name the persons being boarded (person ids)")
    stranger = [p for p in wanted if p not in lines]
    if stranger:
        raise Conflict(f"not on the manifest of {row.code}, do not board: {stranger[:10]}")
    again = [p for p in wanted if lines[p].boarded_seq is not None]
    if again:
        raise Conflict(f"already boarded on {row.code}: {again[:10]}")
    assessed = assessments_of(session, person_ids=wanted)
    unclear = [p for p in wanted if p not in assessed or assessed[p][1]]
    if unclear:
        raise Conflict(
            f"no clear pre-transfer risk assessment, do not board: {unclear[:10]} "
            "(record one, or re-plan without them)"
        )
    verifier = verifier or fingerprint_verifier(session, checks=fingerprints, actor_id=actor_id)
    if verifier is not None:
        failed = [p for p in wanted if not verifier(p)]
        if failed:
            raise Conflict(f"identity check failed at the aircraft, do not board: {failed[:10]}")
    notification = _notification_ref(session, row)
    requests = [
        EventRequest(
            event_type=EventType.TRANSFER_OUT,
            person_id=pid,
            facility_id=row.origin_facility_id,
            occurred_at=occurred_at,
            payload={
                "destination_facility_id": row.destination_facility_id,
                "movement_id": row.movement_id,
                "sortie": row.code,
                "transfer_plan_id": plan_id,
                "risk_assessment_ref": assessed[pid][0],
                "monitor_notification_ref": notification,
            },
        )
        for pid in wanted
    ]
    entries = custody.record_events(session, requests=requests, actor_id=actor_id)
    for entry in entries:
        if entry.person_id is not None:
            lines[entry.person_id].boarded_seq = entry.seq
    row.status = "boarding"
    session.flush()
    return _status(session, row)


def depart(
    session: Session,
    *,
    plan_id: int,
    sortie: str,
    actor_id: int | None,
    occurred_at: dt.datetime | None = None,
) -> SortieStatus:
    """The aircraft left: who boarded is final, who did not is left behind."""
    row = _sortie(session, plan_id, sortie)
    _require(row, ("boarding",), "record the departure of")
    row.status = "departed"
    row.departed_at = occurred_at or utc_now()
    row.departed_by = actor_id
    session.flush()
    status = _status(session, row)
    status.left_behind = sorted(set(status.manifest) - set(status.boarded))
    return status


def arrive(
    session: Session,
    *,
    plan_id: int,
    sortie: str,
    received: Collection[int],
    occurred_at: dt.datetime | None = None,
    verifier: Verifier | None = None,
    fingerprints: Sequence[FingerCheck] = (),
    actor_id: int | None = None,
) -> SortieStatus:
    """Reconcile who came off the aircraft with who the ledger has in transit on this
    sortie; a discrepancy opens for each one missing or unexpected, in this transaction."""
    row = _sortie(session, plan_id, sortie)
    _require(row, ("departed",), "record the arrival of")
    lines = {line.person_id: line for line in _lines(session, row)}
    unknown = registry.missing_person_ids(session, person_ids=set(received))
    if unknown:
        raise NotFound(f"no person with id {', '.join(map(str, unknown[:10]))}: check the count")
    counted = set(received)
    verifier = verifier or fingerprint_verifier(session, checks=fingerprints, actor_id=actor_id)
    if verifier is not None:
        counted = {p for p in counted if verifier(p)}
    states = custody.custody_states(session, person_ids=set(lines) | counted)
    expected = {
        pid
        for pid, state in states.items()
        if state.status == Status.IN_TRANSIT and state.movement_id == row.movement_id
    }
    missing = sorted(expected - counted)
    unexpected = sorted(counted - expected) + sorted(set(received) - counted)
    opened = [
        custody.open_discrepancy(
            session,
            facility_id=row.destination_facility_id or 0,
            person_id=pid,
            kind="missing",
            detail=f"boarded sortie {row.code} ({row.movement_id}) but not received",
            opened_by=actor_id,
        )
        for pid in missing
    ]
    opened += [
        custody.open_discrepancy(
            session,
            facility_id=row.destination_facility_id or 0,
            person_id=pid,
            kind="unexpected",
            detail=f"came off sortie {row.code} ({row.movement_id}) but was not boarded "
            "on it, or failed the identity check",
            opened_by=actor_id,
        )
        for pid in unexpected
    ]
    for pid in counted & expected:
        lines[pid].received = True
    row.status = "arrived"
    row.arrived_at = occurred_at or utc_now()
    row.arrived_by = actor_id
    session.flush()
    return _status(session, row, missing=missing, unexpected=unexpected, discrepancy_ids=opened)


def take_in(
    session: Session,
    *,
    plan_id: int,
    sortie: str,
    actor_id: int | None,
    occurred_at: dt.datetime | None = None,
) -> SortieStatus:
    """Intake at the destination: one TRANSFER_IN for each person received off the sortie."""
    row = _sortie(session, plan_id, sortie)
    _require(row, ("arrived",), "take in")
    lines = [line for line in _lines(session, row) if line.received and line.intake_seq is None]
    requests = [
        EventRequest(
            event_type=EventType.TRANSFER_IN,
            person_id=line.person_id,
            facility_id=row.destination_facility_id,
            occurred_at=occurred_at,
            payload={"movement_id": row.movement_id, "sortie": row.code},
        )
        for line in lines
    ]
    entries = custody.record_events(session, requests=requests, actor_id=actor_id)
    by_person = {e.person_id: e.seq for e in entries}
    for line in lines:
        line.intake_seq = by_person[line.person_id]
    row.status = "closed"
    session.flush()
    return _status(session, row)


def notifications(session: Session, *, plan_id: int) -> list[Notification]:
    """The monitor notification list: every transfer to the receiving authority, by sortie,
    with the pre-transfer assessment of each person."""
    _plan_row(session, plan_id)
    rows = session.execute(
        select(MonitorNotification, TransferSortie)
        .join(TransferSortie, TransferSortie.id == MonitorNotification.sortie_id)
        .where(TransferSortie.plan_id == plan_id)
        .order_by(TransferSortie.day, TransferSortie.code)
    ).all()
    persons = {n.id: json.loads(n.persons) for n, _ in rows}
    assessed = assessments_of(session, person_ids={p for ps in persons.values() for p in ps})
    return [
        Notification(
            ref=n.ref,
            sortie=s.code,
            day=s.day,
            origin_facility_id=s.origin_facility_id,
            destination_facility_id=s.destination_facility_id,
            person_ids=persons[n.id],
            risk_assessment_refs={p: assessed.get(p, (None, False))[0] for p in persons[n.id]},
        )
        for n, s in rows
    ]


def executed_moves(session: Session, *, plan_id: int) -> dict[int, int]:
    """Person id -> plan day of the sortie they actually boarded (for the burndown)."""
    rows = session.execute(
        select(TransferManifestLine.person_id, TransferSortie.day)
        .join(TransferSortie, TransferSortie.id == TransferManifestLine.sortie_id)
        .where(TransferSortie.plan_id == plan_id, TransferManifestLine.boarded_seq.is_not(None))
    )
    out: dict[int, int] = {}
    for pid, day in rows.tuples().all():
        # Shuttled through holding: the person left the site on the earlier sortie.
        out[pid] = min(day, out.get(pid, day))
    return out


# --- pictures and paper -----------------------------------------------------------------


def manifest_document(plan: dict[str, Any], *, sortie: str) -> bytes:
    """The sortie's manifest PDF from a plan document (no registry names)."""
    from custodia.transfers.pdf import manifest_pdf

    return manifest_pdf(plan, find_sortie(plan, sortie))


def stored_manifest(session: Session, *, plan_id: int, sortie: str) -> bytes:
    """The manifest PDF of a stored plan's sortie, with the registry's names."""
    from custodia.transfers.pdf import manifest_pdf

    plan = get_plan(session, plan_id=plan_id)
    chosen = find_sortie(plan, sortie)
    persons = registry.get_persons(session, person_ids=chosen["manifest"])
    names = {pid: p.primary_name for pid, p in persons.items()}
    return manifest_pdf(plan, chosen, names)


def plan_chart(plan: dict[str, Any]) -> bytes:
    from custodia.transfers.charts import burndown_png

    return burndown_png(plan)


def stored_chart(session: Session, *, plan_id: int) -> bytes:
    """Burndown of a stored plan, planned and as boarded so far."""
    from custodia.transfers.charts import burndown_png

    return burndown_png(
        get_plan(session, plan_id=plan_id), executed_moves(session, plan_id=plan_id)
    )
