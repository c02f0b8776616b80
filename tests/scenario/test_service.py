"""The generated detention system: deterministic, realistic, written through the ledger."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Engine, text

from custodia.custody import service as custody
from custodia.db import read_session, unit_of_work
from custodia.ledger import service as ledger
from custodia.registry import service as registry
from custodia.registry.schemas import PersonQuery
from custodia.scenario import service as scenario


def _generate(engine: Engine, seed: int) -> dict[str, int]:
    with unit_of_work(engine) as session:
        return scenario.generate(session=session, seed=seed, detainees=300, camp_residents=400)


def test_history_is_in_the_ledger_and_the_projection_equals_its_replay(engine: Engine) -> None:
    summary = _generate(engine, seed=3)
    with read_session(engine) as session:
        assert ledger.tree_size(session) == summary["ledger_events"]
        assert ledger.verify(session, log="test").ok
        assert custody.check_projection(session).ok
        kinds = Counter(e.event_type for e in ledger.iter_events(session))
    assert kinds["INTAKE"] == summary["persons"]
    assert kinds["TRANSFER_OUT"] == kinds["TRANSFER_IN"] > 0
    assert kinds["HEADCOUNT"] == 2


def test_the_system_looks_like_north_east_syria(engine: Engine) -> None:
    _generate(engine, seed=3)
    with read_session(engine) as session:
        facilities = registry.list_facilities(session)
        kinds = Counter(f.kind.value for f in facilities)
        detainees, total = registry.search_persons(
            session, query=PersonQuery(category="detainee", limit=500)
        )
        residents, _ = registry.search_persons(
            session, query=PersonQuery(category="camp_resident", limit=500)
        )
        truth = scenario.duplicate_truth(session=session)
    assert kinds["prison"] + kinds["holding_site"] == 25
    assert kinds["camp"] == 2 and kinds["receiving_facility"] == 1
    nationalities = Counter(p.nationalities[0] for p in detainees if p.nationalities)
    assert {c for c, _ in nationalities.most_common(2)} == {"IQ", "SY"}
    assert len(nationalities) >= 10
    assert all(p.sex.value == "M" for p in detainees)
    assert any(p.date_of_birth and len(p.date_of_birth) == 4 for p in detainees)
    assert any(any(n.script.value == "Arab" for n in p.names) for p in detainees)
    assert any(p.sex.value == "F" for p in residents)
    assert total == 300
    assert len(truth) == round(300 * 0.04)


def test_same_seed_gives_the_same_system(engine: Engine, tmp_path: pytest.TempPathFactory) -> None:
    _generate(engine, seed=11)
    with read_session(engine) as session:
        first = [
            (p.primary_name, p.date_of_birth)
            for p in registry.search_persons(session, query=PersonQuery(limit=200))[0]
        ]
        states = custody.status_counts(session)
    from custodia.scenario.population import plan_population

    plan = plan_population(11, 300, 400)
    assert [
        (p.person_in.names[0].full_name, p.person_in.date_of_birth) for p in plan.persons[:200]
    ] == first
    assert sum(states.values()) == len(plan.persons)


def test_on_postgresql_the_planner_knows_the_generated_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans without statistics")
    _generate(engine, seed=5)
    with read_session(engine) as session:
        rows = session.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'identity_name_key'")
        ).scalar_one()
    assert rows > 1000  # analysed: -1 (never analysed) before autovacuum's first pass
