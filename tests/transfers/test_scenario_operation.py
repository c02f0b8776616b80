"""``custodia scenario operation``: the default operation for the scenario in the database
is a valid description that names real facilities and the recorded assessments."""

from __future__ import annotations

from sqlalchemy import Engine

from custodia.custody import service as custody
from custodia.db import read_session, unit_of_work
from custodia.scenario import service as scenario
from custodia.scenario.operation import default_operation
from custodia.transfers import service


def test_default_operation_covers_every_detainee_held_at_a_site(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        scenario.generate(session=session, seed=3, detainees=150, camp_residents=40)
    with unit_of_work(engine) as session:
        first = default_operation(session, seed=3)
    with unit_of_work(engine) as session:
        again = default_operation(session, seed=3)
    # Assessments recorded by the first call do not change the second.
    assert again == first
    people = {d.id: s for s in first.sites for d in s.detainees}
    with read_session(engine) as session:
        states = custody.custody_states(session, person_ids=people)
        assessed = service.assessments_of(session, person_ids=people)
    assert people and all(
        states[pid].facility_id == site.facility_id for pid, site in people.items()
    )
    assert set(assessed) == set(people)
    assert first.receiving.facility_id is not None
    assert {a.base for a in first.aircraft} <= {p.code for p in first.staging}
    spouses = [d for s in first.sites for d in s.detainees if d.relatives_staying]
    assert spouses  # the scenario's camp wives: their transfers need a record
