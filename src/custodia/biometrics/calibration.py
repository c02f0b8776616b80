"""What a fingerprint comparison says, in bits: log2 of the likelihood ratio of a finger's
MCC score (the same finger against two different fingers), summed over the fingers
compared. The identity review queue adds these bits to the odds of the names-and-dates
evidence of the pair, so a reviewer reads one score with both kinds of evidence behind it.

The model of one finger's score, fitted by ``benchmarks/biometrics_calibration.py`` on
synthetic impressions (400 fingers, two impressions each, moderate distortion, seed 23):

* different fingers: above their 90th percentile ``IMPOSTOR_T90`` the scores fall off
  exponentially (``IMPOSTOR_TAIL`` per e-fold, read between the 90th and 99.9th
  percentiles); below it the density is taken as that at ``IMPOSTOR_T90``, which only
  makes a low score's verdict milder;
* the same finger: log-normal (``GENUINE_LOG_MEAN``, ``GENUINE_LOG_SD``), mixed with a
  share ``FAILED_CAPTURE`` of captures that look like another finger (a smudged print, the
  wrong finger put down). So one finger that does not match counts at most
  ``log2(FAILED_CAPTURE)``, about -6.6 bits, and never proves on its own that two records
  are two men.

One finger counts at most ``FINGER_CAP`` bits: beyond the impostor scores measured
(24,000 pairs) the exponential tail is an extrapolation. The sum is held within
``TOTAL_FLOOR``..``TOTAL_CAP``. The figures are synthetic, not a real population's: a
deployment refits them on its own genuine and impostor pairs (the benchmark shows how).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

IMPOSTOR_T90 = 0.0203
IMPOSTOR_TAIL = 0.00175
GENUINE_LOG_MEAN = -1.971
GENUINE_LOG_SD = 0.348
FAILED_CAPTURE = 0.01
FINGER_CAP = 16.0
TOTAL_CAP = 40.0
TOTAL_FLOOR = -20.0


def _impostor_density(score: float) -> float:
    beyond = max(score, IMPOSTOR_T90) - IMPOSTOR_T90
    return 0.1 / IMPOSTOR_TAIL * math.exp(-beyond / IMPOSTOR_TAIL)


def _genuine_density(score: float) -> float:
    if score <= 0:
        return 0.0
    z = (math.log(score) - GENUINE_LOG_MEAN) / GENUINE_LOG_SD
    return math.exp(-0.5 * z * z) / (score * GENUINE_LOG_SD * math.sqrt(2 * math.pi))


def finger_bits(score: float) -> float:
    """log2 likelihood ratio of one finger's MCC score, within log2(FAILED_CAPTURE) and
    ``FINGER_CAP``."""
    impostor = _impostor_density(score)
    genuine = (1 - FAILED_CAPTURE) * _genuine_density(score) + FAILED_CAPTURE * impostor
    return min(FINGER_CAP, math.log2(genuine / impostor))


def evidence_bits(finger_scores: Mapping[int, float]) -> float:
    """The bits of the fingers compared (finger position -> MCC score), summed: one man's
    fingers are independent of another man's."""
    total = sum(finger_bits(s) for s in finger_scores.values())
    return max(TOTAL_FLOOR, min(TOTAL_CAP, total))


def posterior(bits: float) -> float:
    """The probability ``bits`` give two records at even odds (what the fingers say alone)."""
    return float(1.0 / (1.0 + 2.0**-bits))
