"""Boundary models of the ledger room: events as recorded, signed checkpoints, proofs and
verification reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class LedgerEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    event_id: str
    event_type: str
    person_id: int | None
    facility_id: int | None
    authority_id: int | None
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    recorded_by: int | None
    corrects_seq: int | None
    payload: dict[str, Any]
    leaf_hash: str = Field(description="RFC 6962 leaf hash of the canonical (RFC 8785) body")
    chain_hash: str


class CheckpointOut(BaseModel):
    """A signed tree head: keep it, and later ask for a consistency proof against it."""

    format: str
    log: str
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str = Field(description="base64 Ed25519 signature of the other fields (RFC 8785)")


class InclusionProofOut(BaseModel):
    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    audit_path: list[str]


class ConsistencyProofOut(BaseModel):
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str]


class LedgerCheckOut(BaseModel):
    ok: bool
    events: int
    root_hash: str
    chain_head: str
    first_bad_seq: int | None = None
    problem: str | None = None
    checkpoints_checked: int
    checkpoint_proved: bool | None = None


class ProjectionCheckOut(BaseModel):
    ok: bool
    events: int
    persons: int
    mismatches: list[dict[str, Any]]


class LedgerAuditOut(BaseModel):
    ledger: LedgerCheckOut = Field(description="hashes, chain and stored checkpoints recomputed")
    projection: ProjectionCheckOut = Field(
        description="the current-custody projection compared with a replay of the ledger"
    )
