"""What the biometrics room takes and gives at its boundary."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from custodia.errors import Invalid

TemplateFormat = Literal["image", "iso19794", "xyt"]

FINGER_NAMES = {
    1: "right thumb",
    2: "right index",
    3: "right middle",
    4: "right ring",
    5: "right little",
    6: "left thumb",
    7: "left index",
    8: "left middle",
    9: "left ring",
    10: "left little",
}


class FingerIn(BaseModel):
    """One capture: an image (PNG or other Pillow-readable grey image), or a minutiae
    template in ISO/IEC 19794-2 or NIST xyt form. ``position`` is ANSI/NIST 1-10; an ISO
    record carries its own positions (0 here means: take them from the record)."""

    position: int = Field(ge=0, le=10)
    format: TemplateFormat = "image"
    data: bytes


class FingerOut(BaseModel):
    position: int
    finger: str
    quality: int
    minutiae: int
    recapture: bool  # quality too low: take another impression of this finger
    template_id: int


class Candidate(BaseModel):
    person_id: int
    score: float  # fused MCC score, mean over the probe's fingers
    match: bool  # above the identification threshold
    finger_scores: dict[int, float]  # finger position (or probe number) -> score
    compared: list[int] = []  # the positions this person has enrolled: the scores that count
    bits: float = 0.0  # log2 likelihood ratio of the compared fingers (calibration.py)


class EnrolmentOut(BaseModel):
    person_id: int
    fingers: list[FingerOut]
    candidates: list[Candidate]  # other persons this person matches (1:N de-duplication)
    proposed_pairs: int  # sent to the identity review queue
    weighed_pairs: int = 0  # pairs already in question whose fingers were compared
    doubted_merges: list[int] = []  # review items: merges these fingers contradict


class IdentifyOut(BaseModel):
    fingers: int
    gallery_fingers: int
    threshold: float
    candidates: list[Candidate]


class VerifyOut(BaseModel):
    person_id: int
    position: int
    match: bool
    score: float
    threshold: float
    false_match_rate: float  # of the threshold, measured on synthetic impostors


class CompareOut(BaseModel):
    score: float
    match: bool
    threshold: float
    false_match_rate: float
    minutiae: tuple[int, int]
    quality: tuple[int, int]


class EnrolledFinger(BaseModel):
    position: int
    finger: str
    quality: int
    minutiae: int
    source: str
    has_image: bool
    enrolled_at: dt.datetime


class PersonBiometrics(BaseModel):
    person_id: int
    fingers: list[EnrolledFinger]


class WorkerStatus(BaseModel):
    pending: int
    done: int
    failed: int
    enrolled_fingers: int


class FingerUpload(BaseModel):
    """One capture as it travels in JSON."""

    position: int = Field(ge=0, le=10, description="ANSI/NIST 1-10; 0: unknown / from record")
    format: TemplateFormat = "image"
    data_base64: str = Field(description="the image (PNG) or template bytes, base64")

    def to_finger(self) -> FingerIn:
        try:
            data = base64.b64decode(self.data_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Invalid(f"finger {self.position}: data_base64 is not base64") from exc
        return FingerIn(position=self.position, format=self.format, data=data)


class WeighResult(BaseModel):
    """Pairs in question (under review or merged) whose two records' fingers were compared."""

    weighed_pairs: int = 0
    doubted_merges: list[int] = Field(
        default_factory=list,
        description="review items decided 'same' that the fingers now contradict: split them "
        "if the records are two men",
    )
