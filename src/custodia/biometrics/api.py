"""Routes of the biometrics room. Finger data travels base64-encoded in JSON. Reading
biometric data is audited, so even the reads here run in a writing transaction (the audit
entry must commit). Raw images are for the roles that capture them (custody officers) and
administrators; templates and scores for those who search and verify."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from custodia.api.deps import PathId, WriteSession, allow, current_actor
from custodia.api.problems import problem_responses
from custodia.biometrics import service as biometrics
from custodia.biometrics.schemas import (
    CompareOut,
    EnrolmentOut,
    FingerUpload,
    IdentifyOut,
    PersonBiometrics,
    VerifyOut,
    WeighResult,
    WorkerStatus,
)
from custodia.registry.policy import (
    ENROL_FINGERPRINTS,
    READ_FINGER_IMAGES,
    READ_FINGER_TEMPLATES,
    SEARCH_FINGERPRINTS,
)
from custodia.registry.schemas import Actor

# ISO/IEC 19794-2 finger positions: 1 right thumb to 10 left little finger
FingerPosition = Annotated[int, Path(ge=1, le=10)]

router = APIRouter(
    tags=["biometrics"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 403, 422),
)

Enroller = Annotated[Actor, Depends(allow(ENROL_FINGERPRINTS))]
Searcher = Annotated[Actor, Depends(allow(SEARCH_FINGERPRINTS))]
ImageReader = Annotated[Actor, Depends(allow(READ_FINGER_IMAGES))]
TemplateReader = Annotated[Actor, Depends(allow(READ_FINGER_TEMPLATES))]


class EnrolIn(BaseModel):
    fingers: list[FingerUpload] = Field(min_length=1, max_length=10)
    search: bool = True


class IdentifyIn(BaseModel):
    fingers: list[FingerUpload] = Field(min_length=1, max_length=10)
    limit: int = Field(default=10, ge=1, le=100)


class VerifyIn(BaseModel):
    person_id: int
    finger: FingerUpload


class CompareIn(BaseModel):
    a: FingerUpload
    b: FingerUpload


@router.post(
    "/biometrics/persons/{person_id}/fingers",
    status_code=201,
    responses=problem_responses(404, 409),
)
def enroll(
    person_id: PathId, body: EnrolIn, actor: Enroller, session: WriteSession
) -> EnrolmentOut:
    """Enrol up to ten fingers; the answer shows each finger's quality (recapture when
    poor) and the already enrolled persons the fingers match."""
    return biometrics.enroll(
        session,
        person_id=person_id,
        fingers=[f.to_finger() for f in body.fingers],
        actor_id=actor.user_id,
        search=body.search,
    )


@router.get("/biometrics/persons/{person_id}", responses=problem_responses(404))
def person_biometrics(
    person_id: PathId, actor: TemplateReader, session: WriteSession
) -> PersonBiometrics:
    """Which fingers are enrolled, with quality (audited)."""
    return biometrics.person_biometrics(session, person_id=person_id, actor_id=actor.user_id)


@router.get(
    "/biometrics/persons/{person_id}/iso19794",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}, **problem_responses(404)},
)
def export_iso(person_id: PathId, actor: TemplateReader, session: WriteSession) -> Response:
    """The person's fingers as one ISO/IEC 19794-2 record (audited)."""
    record = biometrics.export_iso(session, person_id=person_id, actor_id=actor.user_id)
    return Response(content=record, media_type="application/octet-stream")


@router.get(
    "/biometrics/persons/{person_id}/fingers/{position}/image",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **problem_responses(404)},
)
def finger_image(
    person_id: PathId, position: FingerPosition, actor: ImageReader, session: WriteSession
) -> Response:
    """The raw capture (audited; custody officers and administrators only)."""
    data, media_type = biometrics.finger_image(
        session, person_id=person_id, position=position, actor_id=actor.user_id
    )
    return Response(content=data, media_type=media_type)


@router.post("/biometrics/identify")
def identify(body: IdentifyIn, actor: Searcher, session: WriteSession) -> IdentifyOut:
    """1:N search: ranked persons whose fingers match."""
    return biometrics.identify(
        session,
        fingers=[f.to_finger() for f in body.fingers],
        actor_id=actor.user_id,
        limit=body.limit,
    )


@router.post("/biometrics/verify", responses=problem_responses(404))
def verify_finger(body: VerifyIn, actor: Searcher, session: WriteSession) -> VerifyOut:
    """1:1 at a checkpoint: person + one finger -> match or not, score, threshold FMR."""
    return biometrics.verify(
        session,
        person_id=body.person_id,
        position=body.finger.position,
        finger=body.finger.to_finger(),
        actor_id=actor.user_id,
    )


@router.post("/biometrics/compare")
def compare_fingers(body: CompareIn, _actor: Searcher) -> CompareOut:
    """1:1 of two captures; nothing is stored."""
    return biometrics.compare(a=body.a.to_finger(), b=body.b.to_finger())


@router.get(
    "/biometrics/synthetic/{finger}/{impression}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def synthetic_impression(
    finger: int,
    impression: int,
    seed: Annotated[int, Query()] = 1,
    distortion: Annotated[str, Query()] = "moderate",
) -> Response:
    """One synthetic impression (for demos and tests; the same numbers give the same image)."""
    png = biometrics.synthetic_png(
        seed=seed, finger=finger, impression=impression, distortion=distortion
    )
    return Response(content=png, media_type="image/png")


@router.post("/biometrics/weigh-queue")
def weigh_queue(actor: Searcher, session: WriteSession) -> WeighResult:
    """Compare the fingers of both records of every same-person pair under review or merged
    where both are enrolled; each pair's score then fuses names and fingers. Merges the
    fingers contradict are listed (``doubted_merges``)."""
    return biometrics.weigh_queue(session, actor_id=actor.user_id)


@router.get("/biometrics/worker")
def worker_status(session: WriteSession) -> WorkerStatus:
    """The background enrolment queue: pending, done, failed."""
    return biometrics.worker_status(session)
