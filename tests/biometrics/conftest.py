"""Synthetic fingers shared by the biometrics tests (grown once per session: a master takes
a tenth of a second)."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from custodia.biometrics import synth
from custodia.biometrics.schemas import FingerIn
from tests.api.conftest import api  # noqa: F401 -- the API client fixture, for test_api

SEED = 5


@cache
def impression(finger: int, k: int, level: str = "low") -> npt.NDArray[np.uint8]:
    master = _master(finger)
    grey, _ = synth.make_impression(master, SEED, k, synth.Distortion.named(level))
    return grey


@cache
def _master(finger: int) -> synth.Master:
    return synth.make_master(SEED, finger)


def png(grey: npt.NDArray[np.uint8]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="PNG")
    return buffer.getvalue()


def finger(position: int, finger_id: int, k: int) -> FingerIn:
    return FingerIn(position=position, data=png(impression(finger_id, k)))


@pytest.fixture
def blank_png() -> bytes:
    """A grey card with a little noise: no finger on the sensor."""
    rng = np.random.default_rng(1)
    return png(np.clip(rng.normal(200, 3, (300, 300)), 0, 255).astype(np.uint8))
