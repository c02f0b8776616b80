"""The biometrics room's service on both databases: enrolment, 1:N, 1:1, export/import,
the audit trail and the background queue."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from custodia.access import service as access
from custodia.biometrics import service as biometrics
from custodia.biometrics import synth, worker
from custodia.biometrics.models import BiometricJob, BiometricTemplate
from custodia.biometrics.schemas import FingerIn
from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid, NotFound
from custodia.identity import service as identity
from custodia.registry import service as registry
from custodia.registry.schemas import NameIn, PersonIn
from tests.biometrics.conftest import finger, png
from tests.conftest import World


def _person(engine: Engine, name: str) -> int:
    with unit_of_work(engine) as session:
        return registry.register_person(
            session,
            person_in=PersonIn(category="detainee", names=[NameIn(full_name=name)]),
        ).id


def _templates(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(BiometricTemplate)) or 0


def test_enrolment_shows_quality_and_a_second_identity_goes_to_review(world: World) -> None:
    engine = world.engine
    first, second = _person(engine, "Omar Haddad"), _person(engine, "Umar Hadad")
    with unit_of_work(engine) as session:
        enrolled = biometrics.enroll(
            session, person_id=first, fingers=[finger(2, 0, 0), finger(3, 1, 0)], actor_id=None
        )
    assert [f.position for f in enrolled.fingers] == [2, 3]
    assert all(f.quality >= 40 and not f.recapture for f in enrolled.fingers)
    assert enrolled.candidates == []
    # The same man comes back under another name: his fingers find the first record.
    with unit_of_work(engine) as session:
        again = biometrics.enroll(
            session, person_id=second, fingers=[finger(2, 0, 1), finger(3, 1, 1)], actor_id=None
        )
    assert again.candidates[0].person_id == first
    assert again.candidates[0].match
    assert again.proposed_pairs == 1
    with read_session(engine) as session:
        queue = identity.list_queue(session)
    (item,) = queue.items
    assert item.person_b is not None
    assert {item.person_a.person_id, item.person_b.person_id} == {first, second}
    assert "biometrics" in item.sources


def test_verify_accepts_the_enrolled_finger_and_refuses_another(world: World) -> None:
    engine = world.engine
    person = _person(engine, "Khalid Saleh")
    with unit_of_work(engine) as session:
        biometrics.enroll(
            session, person_id=person, fingers=[finger(7, 2, 0)], actor_id=None, search=False
        )
    with unit_of_work(engine) as session:
        same = biometrics.verify(
            session, person_id=person, position=7, finger=finger(7, 2, 1), actor_id=None
        )
        other = biometrics.verify(
            session, person_id=person, position=7, finger=finger(7, 3, 1), actor_id=None
        )
    assert same.match and same.score >= same.threshold
    assert not other.match
    assert same.false_match_rate == pytest.approx(0.001)
    with unit_of_work(engine) as session, pytest.raises(NotFound, match="no enrolled"):
        biometrics.verify(
            session, person_id=person, position=1, finger=finger(1, 2, 1), actor_id=None
        )


def test_every_read_of_biometric_data_is_audited(world: World) -> None:
    engine = world.engine
    officer = world.users["custody_officer"]
    person = _person(engine, "Yusuf Nasser")
    with unit_of_work(engine) as session:
        biometrics.enroll(
            session, person_id=person, fingers=[finger(1, 3, 0)], actor_id=officer, search=False
        )
    with unit_of_work(engine) as session:
        shown = biometrics.person_biometrics(session, person_id=person, actor_id=officer)
        biometrics.export_iso(session, person_id=person, actor_id=officer)
        image, media_type = biometrics.finger_image(
            session, person_id=person, position=1, actor_id=officer
        )
    assert shown.fingers[0].has_image and media_type == "image/png" and image[:4] == b"\x89PNG"
    with read_session(engine) as session:
        actions = {e.action for e in access.list_actions(session, actor_id=officer)[0]}
    assert {
        "biometrics.enroll",
        "biometrics.read",
        "biometrics.export",
        "biometrics.read_image",
    } <= actions


def test_an_exported_iso_record_enrols_and_is_found_again(world: World) -> None:
    engine = world.engine
    source, copy = _person(engine, "Bilal Mansour"), _person(engine, "B. Mansour")
    with unit_of_work(engine) as session:
        biometrics.enroll(
            session,
            person_id=source,
            fingers=[finger(1, 4, 0), finger(6, 5, 0)],
            actor_id=None,
            search=False,
        )
        record = biometrics.export_iso(session, person_id=source, actor_id=None)
    with unit_of_work(engine) as session:
        result = biometrics.enroll(
            session,
            person_id=copy,
            fingers=[FingerIn(position=0, format="iso19794", data=record)],
            actor_id=None,
        )
    assert sorted(f.position for f in result.fingers) == [1, 6]
    assert result.candidates[0].person_id == source
    with unit_of_work(engine) as session:
        found = biometrics.identify(session, fingers=[finger(6, 5, 1)], actor_id=None)
    assert {c.person_id for c in found.candidates if c.match} == {source, copy}


def test_a_bad_upload_enrols_nothing(world: World, blank_png: bytes) -> None:
    engine = world.engine
    person = _person(engine, "Ali Khalil")
    bad = [finger(1, 0, 0), FingerIn(position=2, data=b"not a picture")]
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="not a readable"):
        biometrics.enroll(session, person_id=person, fingers=bad, actor_id=None)
    twice = [finger(1, 0, 0), finger(1, 1, 0)]
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="twice"):
        biometrics.enroll(session, person_id=person, fingers=twice, actor_id=None)
    assert _templates(engine) == 0
    with unit_of_work(engine) as session:
        poor = biometrics.enroll(
            session,
            person_id=person,
            fingers=[FingerIn(position=4, data=blank_png)],
            actor_id=None,
        )
    assert poor.fingers[0].recapture


def test_the_worker_stops_between_batches_resumes_and_finds_a_known_man(world: World) -> None:
    engine = world.engine
    detainee, known = _person(engine, "Detainee One"), _person(engine, "Known Earlier")
    # The man was enrolled before under another record, from other impressions of the
    # fingers the worker will grow for the detainee.
    masters = [synth.make_master(3, worker.synthetic_finger_id(detainee, p)) for p in (1, 2)]
    earlier = [
        FingerIn(position=p, data=png(synth.make_impression(m, 3, 1)[0]))
        for p, m in zip((1, 2), masters, strict=True)
    ]
    with unit_of_work(engine) as session:
        biometrics.enroll(session, person_id=known, fingers=earlier, actor_id=None)
        queued = biometrics.enqueue_scenario(session, seed=3)
    assert queued == 10  # the detainee's ten fingers; the enrolled man is not queued
    calls = {"n": 0}

    def stop_after_one_batch() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    first = worker.run(engine=engine, processes=1, batch=4, should_stop=stop_after_one_batch)
    assert (first.done, first.pending) == (4, 6)
    final = worker.run(engine=engine, processes=2, batch=4, dedup=True)
    assert (final.done, final.pending, final.enrolled_fingers) == (10, 0, 12)
    with read_session(engine) as session:
        per_person = dict(
            session.execute(
                select(BiometricJob.person_id, func.count()).group_by(BiometricJob.person_id)
            ).all()
        )
        (item,) = identity.list_queue(session).items
    assert per_person == {detainee: 10}
    assert item.person_b is not None
    assert {item.person_a.person_id, item.person_b.person_id} == {detainee, known}
