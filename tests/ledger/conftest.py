"""Fixtures of the ledger tests: a world with a few ledger events and a signing key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, text

from custodia.db import unit_of_work
from custodia.ledger import service as ledger
from custodia.ledger.signing import load_or_create_signing_key
from custodia.registry import service as registry
from custodia.registry.schemas import NameIn, PersonIn
from tests.conftest import World

LOG = "custodia-ledger"
T0 = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


@dataclass
class LedgerWorld:
    world: World
    persons: list[int]
    events: list[ledger.Entry]

    @property
    def engine(self) -> Engine:
        return self.world.engine


def new_entries(
    world: World, persons: list[int], count: int, start: int = 0
) -> list[ledger.NewEntry]:
    """Varied events: every nullable column is filled somewhere, payloads hold Arabic text
    and nested objects whose keys are out of order."""
    facilities = [world.prison_a, world.prison_b, world.camp]
    entries = []
    for i in range(start, start + count):
        entries.append(
            ledger.NewEntry(
                event_type=["INTAKE", "TRANSFER_OUT", "HEADCOUNT", "RELEASE"][i % 4],
                occurred_at=T0 + dt.timedelta(minutes=7 * i, microseconds=i),
                person_id=None if i % 4 == 2 else persons[i % len(persons)],
                facility_id=facilities[i % len(facilities)],
                authority_id=world.guard_force,
                corrects_seq=1 if i % 5 == 4 else None,
                payload={"z": i, "a": {"y": [1, "two"], "b": None}, "note": "نُقل إلى الحسكة"},
            )
        )
    return entries


def append(lw: LedgerWorld, count: int, *, actor: str = "custody_officer") -> list[ledger.Entry]:
    with unit_of_work(lw.engine) as session:
        recorded = ledger.append(
            session,
            entries=new_entries(lw.world, lw.persons, count, start=len(lw.events)),
            recorded_by=lw.world.users[actor],
        )
    lw.events.extend(recorded)
    return recorded


@pytest.fixture
def lworld(world: World) -> LedgerWorld:
    with unit_of_work(world.engine) as session:
        persons = registry.register_persons(
            session,
            persons_in=[
                PersonIn(category="detainee", names=[NameIn(full_name=f"Detainee {n}")])
                for n in range(3)
            ],
        )
    lw = LedgerWorld(world=world, persons=persons, events=[])
    append(lw, 3)
    append(lw, 5, actor="admin")
    return lw


@pytest.fixture
def signing_key(tmp_path: Path) -> Ed25519PrivateKey:
    return load_or_create_signing_key(tmp_path / "keys" / "ledger-signing-key.pem")


def drop_append_only_triggers(engine: Engine, *, checkpoints: bool = False) -> None:
    """What someone with the database owner's rights could do before tampering."""
    tables = ["ledger_event", *(["ledger_checkpoint"] if checkpoints else [])]
    with engine.begin() as conn:
        for table in tables:
            if engine.dialect.name == "sqlite":
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
            else:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
