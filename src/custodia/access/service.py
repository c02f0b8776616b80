"""The access room's public functions: record an action in the audit log, read the log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from custodia.access.models import AuditEntry
from custodia.access.schemas import AuditEntryOut
from custodia.db import utc_now


def record_action(
    session: Session, *, actor_id: int | None, action: str, subject: str, detail: str = ""
) -> None:
    """Note who did what, in the caller's transaction (``actor_id`` None: a local operator
    at the command line or the system itself)."""
    session.add(
        AuditEntry(at=utc_now(), actor_id=actor_id, action=action, subject=subject, detail=detail)
    )


def list_actions(
    session: Session, *, actor_id: int | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[AuditEntryOut], int]:
    query = select(AuditEntry)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return [AuditEntryOut.model_validate(row) for row in rows], total
