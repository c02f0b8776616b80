"""Fingerprints and names weighed together in the identity review queue: fingers that
match lift a pair whose names share nothing, fingers that differ sink namesakes, and a man
the scenario recorded twice is enrolled with the same fingers under both records."""

from __future__ import annotations

from sqlalchemy import Engine, insert

from custodia.biometrics import calibration, worker
from custodia.biometrics import service as biometrics
from custodia.biometrics.models import BiometricJob
from custodia.db import read_session, unit_of_work, utc_now
from custodia.identity import service as identity
from custodia.identity.schemas import ReviewItemOut
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.identity.side import SIDE_THRESHOLD
from custodia.registry import service as registry
from custodia.registry.schemas import NameIn, PersonIn
from custodia.scenario.models import DuplicateTruth
from tests.biometrics.conftest import finger
from tests.conftest import World


def _person(engine: Engine, name: str, dob: str = "1984-03-02") -> int:
    with unit_of_work(engine) as session:
        return registry.register_person(
            session,
            person_in=PersonIn(
                category="detainee",
                names=[NameIn(full_name=name)],
                date_of_birth=dob,
                nationalities=["IQ"],
            ),
        ).id


def _enrol(engine: Engine, person: int, finger_ids: tuple[int, int], k: int) -> int:
    with unit_of_work(engine) as session:
        out = biometrics.enroll(
            session,
            person_id=person,
            fingers=[finger(2, finger_ids[0], k), finger(7, finger_ids[1], k)],
            actor_id=None,
        )
    return out.weighed_pairs


def _names_propose(engine: Engine, a: int, b: int, score: float) -> None:
    with unit_of_work(engine) as session:
        identity.propose_pair(
            session,
            person_a_id=a,
            person_b_id=b,
            score=score,
            source="names",
            evidence={"explanation": ["names agree part by part"]},
        )


def _item(engine: Engine, person: int) -> ReviewItemOut:
    with read_session(engine) as session:
        (item,) = identity.list_queue(session, status=None, person_id=person).items
    return item


def test_one_finger_score_reads_as_bits_genuine_above_zero_impostor_below() -> None:
    assert calibration.finger_bits(0.12) == calibration.FINGER_CAP
    assert calibration.finger_bits(0.045) > 8
    assert calibration.finger_bits(0.017) < -6  # a typical score of two different fingers
    # A print that does not match is bounded by the chance of a failed capture: one finger
    # never proves two records are two men.
    assert calibration.finger_bits(0.0) >= calibration.TOTAL_FLOOR / 3
    scores = [0.0, 0.02, 0.03, 0.035, 0.04, 0.05, 0.1]
    bits = [calibration.finger_bits(s) for s in scores]
    assert bits == sorted(bits)
    assert calibration.evidence_bits({p: 0.2 for p in range(1, 11)}) == calibration.TOTAL_CAP
    assert calibration.evidence_bits({p: 0.0 for p in range(1, 11)}) == calibration.TOTAL_FLOOR


def test_fingers_that_differ_sink_a_pair_the_names_proposed(world: World) -> None:
    engine = world.engine
    a, b = _person(engine, "Omar Khalid Haddad"), _person(engine, "Umar Khaled Hadad")
    proposed = _item(engine, a)  # intake found the spelling variant
    assert proposed.sources == ["intake"] and proposed.score >= 0.85
    assert _enrol(engine, a, (10, 11), 0) == 0  # the other man is not enrolled yet
    assert _enrol(engine, b, (12, 13), 0) == 1
    item = _item(engine, a)
    assert item.sources == ["biometrics", "intake"]
    assert item.score < 0.01
    bio = item.evidence["biometrics"]
    assert bio["bits"] < -10
    assert bio["explanation"][0].startswith("fingerprints do not match")
    assert any("right index" in line for line in bio["explanation"])
    assert any("enrol more fingers" in line for line in bio["explanation"])
    # the names' evidence is kept beside it
    assert item.evidence["intake"]["score"] == proposed.score


def test_fingers_that_match_lift_a_pair_whose_names_share_nothing(world: World) -> None:
    engine = world.engine
    a, b = _person(engine, "Omar Khalid Haddad"), _person(engine, "Abu Hamza al-Iraqi")
    _enrol(engine, a, (20, 21), 0)
    _enrol(engine, b, (20, 21), 1)  # the same man's fingers, taken again
    item = _item(engine, a)
    assert set(item.sources) == {"biometrics", "names"}
    assert item.evidence["names"]["score"] < 0.5  # the reviewer sees the names disagree
    assert item.evidence["biometrics"]["bits"] > 20
    assert item.score > 0.999


def test_a_pair_named_after_both_were_enrolled_is_weighed_on_request(world: World) -> None:
    engine = world.engine
    a, b = _person(engine, "Omar Khalid Haddad"), _person(engine, "Abu Hamza al-Iraqi")
    _enrol(engine, a, (30, 31), 0)
    _enrol(engine, b, (32, 33), 0)
    _names_propose(engine, a, b, 0.9)
    assert _item(engine, a).score == 0.9
    with unit_of_work(engine) as session:
        weighed = biometrics.weigh_queue(session, actor_id=None)
    assert (weighed.weighed_pairs, weighed.doubted_merges) == (1, [])
    assert _item(engine, a).score < 0.01


def test_a_man_the_scenario_recorded_twice_has_his_fingers_under_both_records(
    world: World,
) -> None:
    engine = world.engine
    true, twin = _person(engine, "Omar Khalid Haddad"), _person(engine, "Abu Hamza al-Iraqi")
    with unit_of_work(engine) as session:
        session.execute(
            insert(DuplicateTruth).values(person_id=twin, true_person_id=true, kind="alias", seed=1)
        )
        now = utc_now()
        for person in (true, twin):
            session.execute(
                insert(BiometricJob).values(
                    person_id=person,
                    position=2,
                    kind="synthetic",
                    seed=4,
                    status="pending",
                    created_at=now,
                )
            )
    worker.run(engine=engine, processes=1, batch=10, dedup=True)
    item = _item(engine, twin)
    assert {item.person_a.person_id, item.person_b.person_id if item.person_b else 0} == {
        true,
        twin,
    }
    assert item.evidence["biometrics"]["bits"] > 10


def test_a_merge_the_fingers_contradict_is_put_in_doubt_not_undone(world: World) -> None:
    engine = world.engine
    a, b = _person(engine, "Omar Khalid Haddad"), _person(engine, "Umar Khaled Hadad")
    item = _item(engine, a)
    with unit_of_work(engine) as session:
        identity.decide(session, item_id=item.id, decision="same", note="same names, same day")
    _enrol(engine, a, (60, 61), 0)
    with unit_of_work(engine) as session:
        out = biometrics.enroll(
            session,
            person_id=b,
            fingers=[finger(2, 62, 0), finger(7, 63, 0)],
            actor_id=None,
        )
    assert out.doubted_merges == [item.id]
    doubted = _item(engine, a)
    assert doubted.status == "same"  # a reviewer decides: the fingers only raise the doubt
    assert doubted.score < 0.01
    assert "put this merge in doubt" in doubted.warnings[0]
    with read_session(engine) as session:
        listed = identity.list_queue(session, status="same", doubted=True)
        assert [i.id for i in listed.items] == [item.id]
        assert identity.list_queue(session, status="open", doubted=True).total == 0


def test_a_nom_de_guerre_merge_is_doubted_against_the_cut_it_was_proposed_at(
    world: World,
) -> None:
    # A record known only by a nom de guerre was merged with the man it was likeliest to be
    # (0.6, a probability: proposed from 0.5). Fingers that lean his way a little do not put
    # the merge in doubt, though the score stays under the review threshold of name scores;
    # fingers that say two men do.
    engine = world.engine
    a, b = _person(engine, "Omar Khalid Haddad"), _person(engine, "Abu Hamza al-Iraqi")

    def weigh(source: str, score: float, evidence: dict[str, object]) -> None:
        with unit_of_work(engine) as session:
            identity.propose_pair(
                session, person_a_id=a, person_b_id=b, score=score, source=source, evidence=evidence
            )

    weigh("names", 0.6, {"side_posterior": 0.6, "explanation": ["same town and birth year"]})
    item = _item(engine, a)
    with unit_of_work(engine) as session:
        identity.decide(session, item_id=item.id, decision="same", note="his brother says so")
    weigh("biometrics", 0.0, {"bits": 1.0, "explanation": ["fingers lean his way"]})
    leaning = _item(engine, a)
    assert SIDE_THRESHOLD <= leaning.score < REVIEW_THRESHOLD
    assert not leaning.warnings
    weigh("biometrics", 0.0, {"bits": -3.0, "explanation": ["fingers of another man"]})
    against = _item(engine, a)
    assert against.score < SIDE_THRESHOLD
    assert "put this merge in doubt" in against.warnings[0]
