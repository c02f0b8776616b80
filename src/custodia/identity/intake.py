"""Intake: a new record is indexed for search, screened against the loaded watchlists and,
when it comes in a small intake (a clerk's registration, a convoy's list), checked against
the registry for a person already recorded under another spelling. Watchlist hits and
likely duplicates go to the review queue at once, so the reviewer sees "already held as
record 1234" on the day the man arrives, not after the next batch job.

Namesakes share the evidence as they do in the batch job (side.SideModel.crowd): a man is
recorded once, perhaps twice, so when ``n`` registry records match a new one at or above
the review threshold, each pair's odds are divided by ``n``. One "Khalid Hamza al-Jubouri,
1971" already held is queued at once; a new "Muhammad Ahmad, 1990" among twenty alike is
not (nothing tells them apart; a search still lists them all).

A bulk load (thousands of records from another agency's register) is not checked record by
record: one search costs about 15 ms, so 46,000 records would take over ten minutes; the
batch job (``custodia identity dedupe``) compares such a load with the registry in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from custodia.identity import index, queue, screening
from custodia.identity.dedupe import NAME_CERTAINTY
from custodia.identity.scoring import REVIEW_THRESHOLD, Profile, Scored

# The largest intake whose records are each checked against the registry as they arrive.
DUPLICATE_CHECK_MAX = 200
CANDIDATES_PER_RECORD = 3  # the most likely duplicates queued for one new record
CROWD = 20  # registry candidates looked at to tell a likely duplicate from a crowd of namesakes
SOURCE = "intake"  # the review queue's name for evidence found at intake


def register(session: Session, profiles: Sequence[Profile]) -> dict[int, list[int]]:
    """Index the new records, screen them against the watchlists and, for a small intake,
    queue the registry's likely duplicates of each; returns the review items raised, by
    record (a pair of two new records is one item, raised for both)."""
    index.store_profiles(session, profiles, new=True)
    raised = screening.screen_new(session, profiles)
    if len(profiles) <= DUPLICATE_CHECK_MAX:
        for profile in profiles:
            for s in likely_duplicates(session, profile):
                item = _propose(session, profile.ident, s)  # None: decided 'different'
                if item is not None:
                    raised.setdefault(profile.ident, []).append(item)
    return raised


def likely_duplicates(session: Session, profile: Profile) -> list[Scored]:
    """Registry records likely to be ``profile`` recorded again, the strongest first, one per
    identity (a record merged into another counts once): those scoring at least
    ``REVIEW_THRESHOLD`` once namesakes have shared the evidence."""
    scored = [
        s
        for s in index.search(session, profile, limit=CROWD + 1)
        if s.ident != profile.ident and s.score >= REVIEW_THRESHOLD
    ]
    roots = queue.survivors(session, [s.ident for s in scored])
    seen: set[int] = set()
    strong: list[Scored] = []
    for s in scored:
        if roots[s.ident] not in seen:
            seen.add(roots[s.ident])
            strong.append(s)
    shared = [_shared_among(s, len(strong)) for s in strong]
    return [s for s in shared if s.score >= REVIEW_THRESHOLD][:CANDIDATES_PER_RECORD]


def _shared_among(s: Scored, n: int) -> Scored:
    """``s`` with its odds divided among ``n`` records that match as well (unchanged for 1)."""
    if n < 2:
        return s
    p = min(s.score, NAME_CERTAINTY)
    odds = p / (1 - p) / n
    note = f"{n} registry records match this new record this well ({-math.log2(n):+.1f} bits)"
    return replace(s, score=odds / (1 + odds), explanation=(*s.explanation, note))


def _propose(session: Session, person_id: int, s: Scored) -> int | None:
    return queue.propose_pair(
        session,
        person_a_id=person_id,
        person_b_id=s.ident,
        score=round(s.score, 4),
        source=SOURCE,
        evidence={**s.evidence, "explanation": list(s.explanation)},
    )
