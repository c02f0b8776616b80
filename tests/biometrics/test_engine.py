"""The engine without a database: generator, extractor, matcher, index, template formats."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custodia.biometrics import extract, iso19794, lsh, mcc, service, synth, xyt
from tests.biometrics.conftest import SEED, impression

VERIFY = service.FINGER_THRESHOLDS[service.VERIFY_FMR]


def _template(finger: int, k: int) -> mcc.Template:
    return mcc.template(extract.extract(impression(finger, k)).minutiae.as_array())


def test_the_generator_is_reproducible_and_impressions_of_a_finger_differ() -> None:
    again, truth = synth.make_impression(
        synth.make_master(SEED, 0), SEED, 0, synth.Distortion.named("low")
    )
    assert np.array_equal(again, impression(0, 0))
    assert not np.array_equal(impression(0, 0), impression(0, 1))
    assert truth.finger == 0
    assert truth.pattern in {"arch", "tented_arch", "left_loop", "right_loop", "whorl"}
    assert abs(truth.rotation_deg) <= 10


def test_a_clear_impression_gives_plenty_of_minutiae_and_good_quality() -> None:
    result = extract.extract(impression(1, 0))
    assert 20 <= len(result.minutiae) <= 120
    assert result.quality >= extract.RECAPTURE_BELOW
    assert 6 <= result.period <= 14


def test_an_empty_sensor_asks_for_a_recapture() -> None:
    rng = np.random.default_rng(3)
    blank = np.clip(rng.normal(200, 3, (300, 300)), 0, 255).astype(np.uint8)
    assert extract.extract(blank).quality < extract.RECAPTURE_BELOW


def test_two_impressions_of_a_finger_match_and_different_fingers_do_not() -> None:
    assert mcc.score(_template(0, 0), _template(0, 1)) >= VERIFY
    assert mcc.score(_template(1, 0), _template(1, 1)) >= VERIFY
    assert mcc.score(_template(0, 0), _template(1, 1)) < VERIFY
    assert mcc.score(_template(2, 0), _template(0, 0)) < VERIFY


@settings(max_examples=15, deadline=None)
@given(angle=st.floats(-1.2, 1.2), dx=st.floats(-40, 40), dy=st.floats(-40, 40))
def test_the_score_does_not_depend_on_where_the_finger_lies(  # MCC assumes |rotation| < 90 deg
    angle: float, dx: float, dy: float
) -> None:
    m = extract.extract(impression(1, 0)).minutiae.as_array()
    c, s = math.cos(angle), math.sin(angle)
    moved = m.copy()
    moved[:, 0] = c * m[:, 0] - s * m[:, 1] + dx
    moved[:, 1] = s * m[:, 0] + c * m[:, 1] + dy
    moved[:, 2] = np.mod(m[:, 2] + angle, 2 * math.pi)
    original = mcc.score(mcc.template(m), mcc.template(m))
    assert mcc.score(mcc.template(m), mcc.template(moved)) > 0.8 * original


def test_the_index_ranks_the_mate_first_before_and_after_folding_in_enrolments() -> None:
    index = lsh.Index()
    for i in range(300):
        index.add(1000 + i, lsh.keys(mcc.template(synth.synthetic_minutiae(SEED, i))), bulk=True)
    for f in range(2):
        index.add(f, lsh.keys(_template(f, 0)), bulk=True)
    index.compact()
    index.add(2, lsh.keys(_template(2, 0)))  # enrolled later: still in the append buffer
    assert index.pending_keys
    for f in range(3):
        shortlist = [owner for owner, _ in index.shortlist(lsh.keys(_template(f, 1)), 10)]
        assert f in shortlist[:3]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 499),
            st.integers(0, 499),
            st.floats(0, 2 * math.pi, exclude_max=True),
            st.sampled_from([extract.ENDING, extract.BIFURCATION]),
            st.integers(0, 100),
        ),
        max_size=60,
    ),
    position=st.integers(1, 10),
)
def test_an_iso_record_reads_back_what_was_written(
    rows: list[tuple[int, int, float, int, int]], position: int
) -> None:
    m = extract.Minutiae.from_rows([tuple(map(float, r)) for r in rows], 500, 500)  # type: ignore[misc]
    (view,) = iso19794.decode(iso19794.encode([iso19794.FingerView(position, 77, m)]))
    assert (view.position, view.quality, len(view.minutiae)) == (position, 77, len(rows))
    assert np.array_equal(view.minutiae.x, m.x) and np.array_equal(view.minutiae.y, m.y)
    assert np.array_equal(view.minutiae.kind, m.kind)
    diff = np.abs((view.minutiae.angle - m.angle + math.pi) % (2 * math.pi) - math.pi)
    assert np.all(diff <= 2 * math.pi / 256)


def test_a_truncated_iso_record_is_refused() -> None:
    m = extract.extract(impression(0, 0)).minutiae
    record = iso19794.encode([iso19794.FingerView(2, 80, m)])
    try:
        iso19794.decode(record[:-10])
    except iso19794.FormatError as exc:
        assert "length" in str(exc) or "truncated" in str(exc)
    else:
        raise AssertionError("a truncated record was accepted")


def test_xyt_round_trip_keeps_positions_and_angles_to_a_degree() -> None:
    m = extract.extract(impression(0, 0)).minutiae
    back = xyt.decode(xyt.encode(m), width=m.width, height=m.height)
    assert np.allclose(back.x, np.round(m.x)) and np.allclose(back.y, np.round(m.y))
    diff = np.abs((back.angle - m.angle + math.pi) % (2 * math.pi) - math.pi)
    assert np.all(diff <= math.radians(0.6))
