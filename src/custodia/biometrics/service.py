"""The biometrics room's public functions: enrol fingers (images or minutiae templates),
identify 1:N, verify 1:1, compare two captures, export/import ISO/IEC 19794-2, and the
background enrolment queue. Every read of biometric data is written to the audit log."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from custodia.access import service as access
from custodia.biometrics import calibration, extract, iso19794, lsh, mcc, synth, xyt
from custodia.biometrics.gallery import Gallery, PersonHit, Probe
from custodia.biometrics.models import BiometricImage, BiometricJob, BiometricTemplate
from custodia.biometrics.schemas import (
    FINGER_NAMES,
    Candidate,
    CompareOut,
    EnrolledFinger,
    EnrolmentOut,
    FingerIn,
    FingerOut,
    IdentifyOut,
    PersonBiometrics,
    VerifyOut,
    WeighResult,
    WorkerStatus,
)
from custodia.db import utc_now
from custodia.errors import Invalid, NotFound
from custodia.identity import service as identity
from custodia.registry import service as registry

log = logging.getLogger(__name__)

# Score thresholds of one finger pair and their false-match rates, read off 249,500
# synthetic impostor pairs (benchmarks/biometrics_accuracy.py). Verification: FMR 0.1 %.
FINGER_THRESHOLDS = {0.01: 0.0245, 0.001: 0.0286, 0.0001: 0.0324}
VERIFY_FMR = 0.001
# A ten-print probe's fused score (mean over its fingers) at FMR 0.01 %, from 39,800
# impostor person pairs: the mean of ten impostor scores spreads far less than one. A
# probe of fewer fingers keeps the stricter one-finger threshold.
FUSED_THRESHOLD = 0.0207
IDENTIFY_FMR = 0.0001
FEW_FINGERS = 3  # fewer compared fingers than this, and a non-match asks for more
_MAX_SIDE = 2000
_TEMPLATE = cast(Table, BiometricTemplate.__table__)


@dataclass(frozen=True)
class Capture:
    """A decoded finger: minutiae plus what enrolment stores with them."""

    position: int
    minutiae: extract.Minutiae
    quality: int
    source: str
    image: bytes | None = None


def _grey(data: bytes) -> npt.NDArray[np.uint8]:
    try:
        with Image.open(io.BytesIO(data)) as img:
            if max(img.size) > _MAX_SIDE or min(img.size) < 64:
                raise Invalid(
                    f"a finger image must be 64 to {_MAX_SIDE} pixels a side, got "
                    f"{img.size[0]}x{img.size[1]}"
                )
            return np.asarray(img.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as exc:
        raise Invalid("the finger image is not a readable picture (PNG expected)") from exc


def decode(finger: FingerIn) -> list[Capture]:
    """Minutiae of one upload (an ISO record may carry several fingers)."""
    if finger.format == "image":
        ex = extract.extract(_grey(finger.data))
        return [Capture(finger.position, ex.minutiae, ex.quality, "image", finger.data)]
    if finger.format == "xyt":
        try:
            m = xyt.decode(finger.data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Invalid(f"not a readable xyt template: {exc}") from exc
        return [Capture(finger.position, m, _template_quality(m), "xyt")]
    try:
        views = iso19794.decode(finger.data)
    except iso19794.FormatError as exc:
        raise Invalid(str(exc)) from exc
    if finger.position and len(views) == 1:
        views = [iso19794.FingerView(finger.position, views[0].quality, views[0].minutiae)]
    return [Capture(v.position, v.minutiae, v.quality, "iso19794") for v in views]


def _template_quality(m: extract.Minutiae) -> int:
    """A template alone carries no image: judge it by its minutiae count and their quality."""
    if len(m) == 0:
        return 0
    return round(min(1.0, len(m) / 18) * float(np.mean(m.quality)))


def _pack(m: extract.Minutiae) -> bytes:
    rows = np.stack([m.x, m.y, m.angle, m.kind, m.quality], axis=1).astype(np.float32)
    return rows.tobytes()


def _unpack(blob: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(blob, dtype=np.float32).reshape(-1, 5)


def _keys_of(blob: bytes) -> npt.NDArray[np.uint32]:
    return np.frombuffer(blob, dtype=np.uint32).reshape(lsh.TABLES, -1)


def template_row(
    *, person_id: int, capture: Capture, image_id: int | None, actor_id: int | None
) -> dict[str, object]:
    keys = lsh.keys(mcc.template(capture.minutiae.as_array()))
    return {
        "person_id": person_id,
        "position": capture.position,
        "active": True,
        "source": capture.source,
        "quality": capture.quality,
        "minutiae_count": len(capture.minutiae),
        "width": capture.minutiae.width,
        "height": capture.minutiae.height,
        "minutiae": _pack(capture.minutiae),
        "lsh_keys": keys.tobytes(),
        "image_id": image_id,
        "enrolled_at": utc_now(),
        "enrolled_by": actor_id,
    }


# --- the in-memory gallery, one per database --------------------------------------------

_galleries: dict[str, Gallery] = {}
_lock = threading.Lock()


def _gallery(session: Session) -> Gallery:
    """The process's gallery of this database, brought up to date with the table."""
    url = str(session.get_bind().engine.url)
    gallery = _galleries.get(url)
    if gallery is None:
        gallery = _galleries[url] = Gallery(loader=lambda ids: {})
    rows = session.execute(
        select(_TEMPLATE.c.id, _TEMPLATE.c.person_id, _TEMPLATE.c.position, _TEMPLATE.c.lsh_keys)
        .where(_TEMPLATE.c.active, _TEMPLATE.c.id > gallery.last_id)
        .order_by(_TEMPLATE.c.id)
    ).all()
    bulk = len(rows) > 50
    for row in rows:
        gallery.add(row.id, row.person_id, row.position, _keys_of(row.lsh_keys), bulk=bulk)
    if bulk:
        gallery.compact()
    active = session.scalar(select(func.count()).where(_TEMPLATE.c.active)) or 0
    if active != len(gallery):
        # The table changed under us (another process retired templates, or a test reset
        # the database): start again from the table.
        del _galleries[url]
        return _gallery(session)
    gallery.loader = lambda ids: _load_minutiae(session, ids)
    return gallery


def _load_minutiae(session: Session, ids: Sequence[int]) -> dict[int, npt.NDArray[np.float32]]:
    out: dict[int, npt.NDArray[np.float32]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for tid, blob in session.execute(
            select(_TEMPLATE.c.id, _TEMPLATE.c.minutiae).where(_TEMPLATE.c.id.in_(chunk))
        ):
            out[tid] = np.ascontiguousarray(_unpack(blob)[:, :3])
    return out


def _compared(hit: PersonHit, probes: Sequence[Probe]) -> dict[int, float]:
    """Finger position (or probe number) -> score, of the fingers the person has enrolled:
    a finger he has not given is no evidence either way."""
    return {(probes[i].position or i + 1): round(hit.fingers[i], 4) for i in hit.templates}


def _candidates(hits: Sequence[PersonHit], probes: Sequence[Probe]) -> list[Candidate]:
    threshold = identification_threshold(len(probes))
    return [
        Candidate(
            person_id=h.person_id,
            score=round(h.score, 4),
            match=h.score >= threshold,
            finger_scores={
                (probes[i].position or i + 1): round(s, 4) for i, s in h.fingers.items()
            },
            compared=sorted(_compared(h, probes)),
            bits=round(calibration.evidence_bits(_compared(h, probes)), 2),
        )
        for h in hits
    ]


def identification_threshold(fingers: int) -> float:
    return FUSED_THRESHOLD if fingers >= 10 else FINGER_THRESHOLDS[IDENTIFY_FMR]


def _search(
    session: Session, captures: Sequence[Capture], *, limit: int, exclude: int | None
) -> tuple[list[Candidate], int]:
    probes = [Probe.of(c.position, c.minutiae.as_array()) for c in captures if len(c.minutiae)]
    with _lock:
        gallery = _gallery(session)
        hits = gallery.search(probes, limit=limit, exclude_person=exclude)
        size = len(gallery)
    return _candidates(hits, probes), size


# --- enrolment ------------------------------------------------------------------------------


def _validate_captures(captures: Sequence[Capture]) -> None:
    positions = [c.position for c in captures]
    if any(p < 1 or p > 10 for p in positions):
        raise Invalid("every finger needs an ANSI/NIST position from 1 (right thumb) to 10")
    if len(set(positions)) != len(positions):
        raise Invalid("a finger position was given twice in one enrolment")


def enroll(
    session: Session,
    *,
    person_id: int,
    fingers: Sequence[FingerIn],
    actor_id: int | None,
    search: bool = True,
) -> EnrolmentOut:
    """Enrol (or re-enrol) up to ten fingers of a person, then search them against everyone
    else enrolled; persons above the threshold go to the identity review queue."""
    if not fingers:
        raise Invalid("send at least one finger")
    registry.ensure_person_exists(session, person_id=person_id)
    captures = [c for f in fingers for c in decode(f)]
    _validate_captures(captures)
    now = utc_now()
    session.execute(
        update(_TEMPLATE)
        .where(
            _TEMPLATE.c.person_id == person_id,
            _TEMPLATE.c.position.in_([c.position for c in captures]),
            _TEMPLATE.c.active,
        )
        .values(active=False)
    )
    out: list[FingerOut] = []
    for capture in captures:
        image_id = None
        if capture.image is not None:
            image = BiometricImage(
                person_id=person_id,
                position=capture.position,
                media_type="image/png",
                data=capture.image,
                captured_at=now,
            )
            session.add(image)
            session.flush()
            image_id = image.id
        row = template_row(
            person_id=person_id, capture=capture, image_id=image_id, actor_id=actor_id
        )
        template_id = session.execute(
            insert(_TEMPLATE).values(**row).returning(_TEMPLATE.c.id)
        ).scalar_one()
        out.append(
            FingerOut(
                position=capture.position,
                finger=FINGER_NAMES[capture.position],
                quality=capture.quality,
                minutiae=len(capture.minutiae),
                recapture=capture.quality < extract.RECAPTURE_BELOW,
                template_id=int(template_id),
            )
        )
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.enroll",
        subject=f"person:{person_id}",
        detail=",".join(str(c.position) for c in captures),
    )
    candidates: list[Candidate] = []
    proposed, weighed = 0, WeighResult()
    if search:
        candidates, _ = _search(session, captures, limit=10, exclude=person_id)
        matched = _propose_matches(session, person_id, [c for c in candidates if c.match])
        proposed = len(matched)
        weighed = _weigh_pairs(session, [person_id], skip=matched)
    return EnrolmentOut(
        person_id=person_id,
        fingers=out,
        candidates=candidates,
        proposed_pairs=proposed,
        weighed_pairs=weighed.weighed_pairs,
        doubted_merges=weighed.doubted_merges,
    )


def _evidence(finger_scores: dict[int, float], fused: float) -> dict[str, object]:
    """The queue's evidence of one fingerprint comparison, in bits, with its reasons."""
    bits = calibration.evidence_bits(finger_scores)
    reasons = [
        f"{FINGER_NAMES.get(pos, f'finger {pos}')}: score {score:.3f} "
        f"({calibration.finger_bits(score):+.1f} bits)"
        for pos, score in sorted(finger_scores.items())
    ]
    verdict = "match" if bits > 0 else "do not match"
    if bits < 0 and len(finger_scores) < FEW_FINGERS:
        # about 1 in 100 captures of the right finger scores like another's (a smudge, the
        # wrong finger put down): with one or two fingers, that is not yet two men
        reasons.append(
            f"only {len(finger_scores)} finger(s) compared: a failed capture looks the same; "
            "enrol more fingers before deciding"
        )
    return {
        "bits": round(bits, 2),
        "fused_score": round(fused, 4),
        "finger_scores": {str(k): v for k, v in sorted(finger_scores.items())},
        "matcher": "MCC-LSSR",
        "explanation": [
            f"fingerprints {verdict}: {bits:+.1f} bits over {len(finger_scores)} finger(s)",
            *reasons,
        ],
    }


def _propose(
    session: Session, person_id: int, other_id: int, evidence: dict[str, object]
) -> int | None:
    """The queue item the evidence went to (None: the pair was decided 'different')."""
    return identity.propose_pair(
        session,
        person_a_id=person_id,
        person_b_id=other_id,
        score=round(calibration.posterior(float(cast(float, evidence["bits"]))), 4),
        source="biometrics",
        evidence=evidence,
    )


def _propose_matches(
    session: Session, person_id: int, matches: Sequence[Candidate]
) -> set[tuple[int, int]]:
    """Send the matches of a search to the queue; returns the pairs proposed, (low, high).
    A score just over the identification threshold from one finger still says "another
    man" in bits: only evidence for a match is proposed."""
    proposed: set[tuple[int, int]] = set()
    for c in matches:
        if c.bits <= 0:
            continue
        finger_scores = {pos: c.finger_scores[pos] for pos in c.compared}
        if _propose(session, person_id, c.person_id, _evidence(finger_scores, c.score)) is not None:
            proposed.add((min(person_id, c.person_id), max(person_id, c.person_id)))
    return proposed


def _stored_captures(session: Session, person_ids: Sequence[int]) -> dict[int, list[Capture]]:
    """The active enrolled fingers of ``person_ids``, as captures to search with."""
    rows = [
        row
        for start in range(0, len(person_ids), 500)
        for row in session.execute(
            select(_TEMPLATE.c.person_id, _TEMPLATE.c.position, _TEMPLATE.c.minutiae).where(
                _TEMPLATE.c.active,
                _TEMPLATE.c.person_id.in_(list(person_ids[start : start + 500])),
            )
        )
    ]
    by_person: dict[int, list[Capture]] = {}
    for person_id, position, blob in rows:
        arr = _unpack(blob)
        fields = [(float(a[0]), float(a[1]), float(a[2]), int(a[3]), int(a[4])) for a in arr]
        minutiae = extract.Minutiae.from_rows(fields, 0, 0)
        by_person.setdefault(person_id, []).append(Capture(position, minutiae, 0, "stored"))
    return by_person


def deduplicate(session: Session, *, person_ids: Sequence[int], actor_id: int | None) -> int:
    """Search the enrolled fingers of each person against everyone else and send matches
    to the review queue (what the background worker does after enrolling a person), then
    weigh the pairs already under review that name them. Returns the number of pairs
    proposed or weighed."""
    by_person = _stored_captures(session, person_ids)
    proposed: set[tuple[int, int]] = set()
    for person_id, captures in by_person.items():
        candidates, _ = _search(session, captures, limit=5, exclude=person_id)
        proposed |= _propose_matches(session, person_id, [c for c in candidates if c.match])
    weighed = _weigh_pairs(session, sorted(by_person), skip=proposed)
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.deduplicate",
        subject="gallery",
        detail=f"{len(by_person)} person(s), {len(proposed)} pair(s) proposed, "
        f"{weighed.weighed_pairs} pair(s) in question weighed, "
        f"{len(weighed.doubted_merges)} merge(s) put in doubt",
    )
    return len(proposed) + weighed.weighed_pairs


def weigh_queue(
    session: Session, *, person_ids: Sequence[int] | None = None, actor_id: int | None
) -> WeighResult:
    """Compare the fingers of both records of every same-person pair under review (open,
    unsure) or merged where both are enrolled: fingers that match raise the pair's score,
    fingers that do not sink it, and the reasons join the pair's evidence. Pairs the names
    proposed after both men were enrolled are weighed here; a merge the fingers contradict
    is put in doubt (listed in the result, and by ``identity queue list --doubted``)."""
    weighed = _weigh_pairs(session, person_ids, skip=set())
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.weigh_queue",
        subject="review_queue",
        detail=f"{weighed.weighed_pairs} pair(s) weighed, "
        f"merges in doubt: {weighed.doubted_merges or 'none'}",
    )
    return weighed


def _weigh_pairs(
    session: Session, person_ids: Sequence[int] | None, *, skip: Collection[tuple[int, int]]
) -> WeighResult:
    """Weigh the pairs in question naming ``person_ids`` (all of them for None), but those
    in ``skip`` (just proposed by a search, with the same comparison)."""
    pairs = [p for p in identity.pairs_in_question(session, person_ids=person_ids) if p not in skip]
    with _lock:
        gallery = _gallery(session)
        both = [(a, b) for a, b in pairs if gallery.fingers_of.get(a) and gallery.fingers_of.get(b)]
        captures = _stored_captures(session, sorted({a for a, _ in both}))
        compared: list[tuple[int, int, PersonHit, list[Probe]]] = []
        for a, b in both:
            probes = [Probe.of(c.position, c.minutiae.as_array()) for c in captures[a]]
            compared.append((a, b, gallery.rank(probes, [b])[0], probes))
    items = [
        item
        for a, b, hit, probes in compared
        if (fingers := _compared(hit, probes))
        and (item := _propose(session, a, b, _evidence(fingers, hit.score))) is not None
    ]
    return WeighResult(
        weighed_pairs=len(items),
        doubted_merges=identity.doubted_merges(session, item_ids=items) if items else [],
    )


# --- search and verification ------------------------------------------------------------


def identify(
    session: Session, *, fingers: Sequence[FingerIn], actor_id: int | None, limit: int = 10
) -> IdentifyOut:
    """1:N: who, among everyone enrolled, has these fingers? Ranked candidates."""
    if not fingers:
        raise Invalid("send at least one finger")
    captures = [c for f in fingers for c in decode(f)]
    if not any(len(c.minutiae) for c in captures):
        raise Invalid("no minutiae could be found in the fingers sent; recapture them")
    candidates, size = _search(session, captures, limit=limit, exclude=None)
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.identify",
        subject="gallery",
        detail=f"{len(captures)} finger(s), {sum(c.match for c in candidates)} match(es)",
    )
    return IdentifyOut(
        fingers=len(captures),
        gallery_fingers=size,
        threshold=identification_threshold(len(captures)),
        candidates=candidates,
    )


def _active_template(session: Session, person_id: int, position: int) -> BiometricTemplate:
    row = session.scalars(
        select(BiometricTemplate).where(
            BiometricTemplate.person_id == person_id,
            BiometricTemplate.position == position,
            BiometricTemplate.active,
        )
    ).first()
    if row is None:
        raise NotFound(
            f"person {person_id} has no enrolled {FINGER_NAMES.get(position, 'finger')} "
            f"(position {position}); enrol it first or verify with another finger"
        )
    return row


def verify(
    session: Session,
    *,
    person_id: int,
    position: int,
    finger: FingerIn,
    actor_id: int | None,
) -> VerifyOut:
    """1:1 at a checkpoint: is the finger in front of us this person's enrolled finger?"""
    if not 1 <= position <= 10:
        raise Invalid("the finger position must be 1 (right thumb) to 10 (left little)")
    registry.ensure_person_exists(session, person_id=person_id)
    enrolled = _active_template(session, person_id, position)
    capture = decode(finger)[0]
    score = mcc.score(
        mcc.template(capture.minutiae.as_array()),
        mcc.template(np.ascontiguousarray(_unpack(enrolled.minutiae)[:, :3])),
    )
    threshold = FINGER_THRESHOLDS[VERIFY_FMR]
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.verify",
        subject=f"person:{person_id}",
        detail=f"position {position}: score {score:.4f}",
    )
    return VerifyOut(
        person_id=person_id,
        position=position,
        match=score >= threshold,
        score=round(score, 4),
        threshold=threshold,
        false_match_rate=VERIFY_FMR,
    )


def compare(*, a: FingerIn, b: FingerIn) -> CompareOut:
    """1:1 of two captures, nothing enrolled or stored."""
    ca, cb = decode(a)[0], decode(b)[0]
    score = mcc.score(mcc.template(ca.minutiae.as_array()), mcc.template(cb.minutiae.as_array()))
    threshold = FINGER_THRESHOLDS[VERIFY_FMR]
    return CompareOut(
        score=round(score, 4),
        match=score >= threshold,
        threshold=threshold,
        false_match_rate=VERIFY_FMR,
        minutiae=(len(ca.minutiae), len(cb.minutiae)),
        quality=(ca.quality, cb.quality),
    )


# --- reading what is enrolled (audited) ------------------------------------------------


def person_biometrics(
    session: Session, *, person_id: int, actor_id: int | None
) -> PersonBiometrics:
    registry.ensure_person_exists(session, person_id=person_id)
    rows = session.scalars(
        select(BiometricTemplate)
        .where(BiometricTemplate.person_id == person_id, BiometricTemplate.active)
        .order_by(BiometricTemplate.position)
    ).all()
    access.record_action(
        session, actor_id=actor_id, action="biometrics.read", subject=f"person:{person_id}"
    )
    return PersonBiometrics(
        person_id=person_id,
        fingers=[
            EnrolledFinger(
                position=r.position,
                finger=FINGER_NAMES[r.position],
                quality=r.quality,
                minutiae=r.minutiae_count,
                source=r.source,
                has_image=r.image_id is not None,
                enrolled_at=r.enrolled_at,
            )
            for r in rows
        ],
    )


def export_iso(session: Session, *, person_id: int, actor_id: int | None) -> bytes:
    """The person's enrolled fingers as one ISO/IEC 19794-2 record."""
    registry.ensure_person_exists(session, person_id=person_id)
    rows = session.scalars(
        select(BiometricTemplate)
        .where(BiometricTemplate.person_id == person_id, BiometricTemplate.active)
        .order_by(BiometricTemplate.position)
    ).all()
    if not rows:
        raise NotFound(f"person {person_id} has no enrolled fingers")
    views = []
    for r in rows:
        arr = _unpack(r.minutiae)
        rows5 = [(float(a[0]), float(a[1]), float(a[2]), int(a[3]), int(a[4])) for a in arr]
        minutiae = extract.Minutiae.from_rows(rows5, r.width, r.height)
        views.append(iso19794.FingerView(r.position, r.quality, minutiae))
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.export",
        subject=f"person:{person_id}",
        detail=f"ISO/IEC 19794-2, {len(views)} finger(s)",
    )
    return iso19794.encode(views)


def finger_image(
    session: Session, *, person_id: int, position: int, actor_id: int | None
) -> tuple[bytes, str]:
    """The raw capture of an enrolled finger (only for roles that need images)."""
    template = _active_template(session, person_id, position)
    if template.image_id is None:
        raise NotFound(f"the finger at position {position} was enrolled from a template only")
    image = session.get(BiometricImage, template.image_id)
    if image is None:
        raise NotFound(f"the image of finger {position} is missing")
    access.record_action(
        session,
        actor_id=actor_id,
        action="biometrics.read_image",
        subject=f"person:{person_id}",
        detail=f"position {position}",
    )
    return image.data, image.media_type


# --- background enrolment queue --------------------------------------------------------


def enqueue_scenario(
    session: Session,
    *,
    seed: int = 1,
    limit: int | None = None,
    positions: Sequence[int] = tuple(range(1, 11)),
    person_ids: Sequence[int] | None = None,
) -> int:
    """Queue synthetic fingers (``positions``, all ten by default) for every detainee not yet
    enrolled or queued, or for ``person_ids``; the worker (``custodia biometrics worker``)
    grows, extracts and indexes them in the background."""
    if not positions or any(p < 1 or p > 10 for p in positions):
        raise Invalid("finger positions run from 1 (right thumb) to 10 (left little finger)")
    from custodia.registry.models import PersonCategory
    from custodia.registry.schemas import PersonQuery

    taken = set(session.scalars(select(BiometricJob.person_id).distinct()))
    taken |= set(session.scalars(select(BiometricTemplate.person_id).distinct()))
    if person_ids is not None:
        missing = registry.missing_person_ids(session, person_ids=person_ids)
        if missing:
            raise NotFound(f"no person with id {missing[0]}")
        return _queue_synthetic(session, [p for p in person_ids if p not in taken], seed, positions)
    wanted: list[int] = []
    offset = 0
    while limit is None or len(wanted) < limit:
        page = registry.match_persons(
            session,
            query=PersonQuery(category=PersonCategory.DETAINEE, limit=500, offset=offset),
        )
        if not page.persons:
            break
        wanted += [p.id for p in page.persons if p.id not in taken]
        offset += 500
    return _queue_synthetic(
        session, wanted[:limit] if limit is not None else wanted, seed, positions
    )


def _queue_synthetic(
    session: Session, person_ids: Sequence[int], seed: int, positions: Sequence[int]
) -> int:
    now = utc_now()
    rows = [
        {
            "person_id": pid,
            "position": pos,
            "kind": "synthetic",
            "seed": seed,
            "status": "pending",
            "created_at": now,
        }
        for pid in person_ids
        for pos in sorted(set(positions))
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(BiometricJob), rows[start : start + 5000])
    return len(rows)


def worker_status(session: Session) -> WorkerStatus:
    counts: dict[str, int] = {
        status: count
        for status, count in session.execute(
            select(BiometricJob.status, func.count()).group_by(BiometricJob.status)
        )
    }
    enrolled = session.scalar(select(func.count()).where(_TEMPLATE.c.active)) or 0
    return WorkerStatus(
        pending=counts.get("pending", 0),
        done=counts.get("done", 0),
        failed=counts.get("failed", 0),
        enrolled_fingers=enrolled,
    )


def synthetic_png(*, seed: int, finger: int, impression: int, distortion: str) -> bytes:
    """One synthetic impression as PNG bytes."""
    if seed < 0 or finger < 0 or not 0 <= impression < 100:
        raise Invalid("seed and finger must be >= 0 and impression 0-99")
    try:
        level = synth.Distortion.named(distortion)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    grey, _ = synth.make_impression(synth.make_master(seed, finger), seed, impression, level)
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="PNG")
    return buffer.getvalue()


def synthesize(
    *,
    out: Path,
    fingers: int,
    impressions: int,
    seed: int = 1,
    distortion: str = "moderate",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``impressions`` PNG impressions of each of ``fingers`` synthetic fingers to
    ``out`` (``f{finger:05d}_{impression}.png``) with their ground truth in truth.jsonl."""
    try:
        level = synth.Distortion.named(distortion)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth_file:
        for finger in range(fingers):
            master = synth.make_master(seed, finger)
            for k in range(impressions):
                grey, truth = synth.make_impression(master, seed, k, level)
                name = f"f{finger:05d}_{k}.png"
                Image.fromarray(grey).save(out / name)
                truth_file.write(json.dumps({"file": name, **truth.as_dict()}) + "\n")
                written += 1
            if progress is not None:
                progress(finger + 1)
    return written
