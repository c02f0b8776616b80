"""Looking a name up on the loaded watchlists, and reading one listed entry whole.

An analyst asks "is this man listed?" before anyone is registered: a name heard at
interview, a partner's transfer manifest, a country's repatriation list. The lookup ranks
the listed individuals by the matcher and threshold that screening uses, so what it shows
as a hit is what screening would queue. An entry's page gives the listing as the list
gives it (every name with its quality, dates and places of birth) and the review items it
raised, with where custody holds each record. Once reviewers confirm hits, the listed
individuals we hold are one table: who, on which list, and where custody holds each."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from custodia.custody import service as custody
from custodia.custody.rules import Status
from custodia.errors import NotFound
from custodia.identity import models as m
from custodia.identity import queue, screening
from custodia.identity.schemas import (
    EntryHit,
    HeldListed,
    HeldListedOut,
    ListedCandidate,
    ListedEntryOut,
    ListedNameOut,
    Listing,
    ListSearchResult,
)
from custodia.identity.scoring import REVIEW_THRESHOLD, Profile, Scored, rank

# Listed individuals scored for a lookup; more when one list is asked for, since the
# candidate budget is spent across every loaded list before the others are left out.
LOOKUP_CANDIDATES = screening.SCREEN_CANDIDATES
LOOKUP_CANDIDATES_ONE_LIST = 5 * screening.SCREEN_CANDIDATES
HELD = frozenset({Status.IN_CUSTODY, Status.IN_TRANSIT})
NOTHING_LOADED = "no watchlist is loaded: import one (custodia watchlist import un-sc|csv FILE)"


def search_lists(
    session: Session, *, query: Profile, text: str, list_name: str | None, limit: int
) -> ListSearchResult:
    """The listed individuals ``query`` most likely is, best first, one per individual (a
    man the list names under two regimes is one candidate, his other listing named)."""
    loaded = screening.loaded_entries(session)
    if loaded is None:
        return ListSearchResult(
            query=text, candidates=[], threshold=REVIEW_THRESHOLD, warnings=[NOTHING_LOADED]
        )
    if list_name is not None and list_name not in set(loaded.listed_in.values()):
        names = ", ".join(sorted(set(loaded.listed_in.values())))
        raise NotFound(f"no loaded watchlist is named {list_name!r} (loaded: {names})")
    return ListSearchResult(
        query=text,
        candidates=listed_candidates(session, loaded, query, list_name=list_name, limit=limit),
        threshold=REVIEW_THRESHOLD,
    )


def listed_candidates(
    session: Session,
    loaded: screening.LoadedEntries,
    query: Profile,
    *,
    list_name: str | None = None,
    limit: int = 10,
    min_score: float = 0.0,
) -> list[ListedCandidate]:
    """The ``limit`` listed individuals ``query`` most likely is, from ``min_score`` up, one
    per individual, each with the review items its entry raised."""
    budget = LOOKUP_CANDIDATES if list_name is None else LOOKUP_CANDIDATES_ONE_LIST
    candidates = [
        c
        for c in loaded.mem.candidates(query, limit=budget)
        if list_name is None or loaded.listed_in[c.ident] == list_name
    ]
    scored = [
        s
        for s in rank(query, candidates, loaded.mem.weigher(), limit=2 * limit)
        if s.score >= min_score
    ]
    best = [s for s, _ in screening.one_per_individual(scored, loaded, keep=limit)]
    if not best:
        return []
    entries = _entries(session, [s.ident for s in best])
    hits = queue.hits_on_entries(session, entry_ids=[s.ident for s in best])
    return [_candidate(s, entries[s.ident], hits) for s in best]


def _entries(session: Session, entry_ids: list[int]) -> dict[int, m.WatchlistEntry]:
    rows = session.scalars(select(m.WatchlistEntry).where(m.WatchlistEntry.id.in_(entry_ids)))
    return {row.id: row for row in rows}


def _candidate(
    scored: Scored, entry: m.WatchlistEntry, hits: dict[int, list[EntryHit]]
) -> ListedCandidate:
    return ListedCandidate(
        **queue.watchlist_brief(entry).model_dump(),
        score=round(scored.score, 4),
        would_be_a_hit=scored.score >= REVIEW_THRESHOLD,
        explanation=list(scored.explanation),
        hits=hits.get(entry.id, []),
    )


def listed_entry(session: Session, *, list_name: str, reference: str) -> ListedEntryOut:
    """One entry of a list (withdrawn ones too: their review items stay), with every
    review item naming it or the same individual's other listings."""
    entry = session.scalars(
        select(m.WatchlistEntry).where(
            m.WatchlistEntry.list_name == list_name, m.WatchlistEntry.reference == reference
        )
    ).one_or_none()
    if entry is None:
        raise NotFound(f"{list_name!r} lists no entry {reference!r}")
    data = json.loads(entry.data)
    also = data.get("also_listed_as") or []
    twins = session.scalars(
        select(m.WatchlistEntry.id).where(
            m.WatchlistEntry.list_name == list_name, m.WatchlistEntry.reference.in_(also)
        )
    ).all()
    hits = queue.hits_on_entries(session, entry_ids=[entry.id, *twins])
    return ListedEntryOut(
        entry_id=entry.id,
        list_name=entry.list_name,
        reference=entry.reference,
        list_type=data.get("list_type", ""),
        name=entry.name,
        names=[ListedNameOut(name=n["name"], quality=n["quality"]) for n in data.get("names", [])],
        dates_of_birth=data.get("dates_of_birth", []),
        nationalities=data.get("nationalities", []),
        places_of_birth=data.get("places_of_birth", []),
        also_listed_as=also,
        imported_at=entry.imported_at,
        withdrawn_at=entry.withdrawn_at,
        screened_at=entry.screened_at,
        hits=sorted(
            (h for entry_hits in hits.values() for h in entry_hits),
            key=lambda h: (-h.score, h.item_id),
        ),
    )


def held_listed(session: Session, *, list_name: str | None = None) -> HeldListedOut:
    """The identities reviewers confirmed to be listed individuals (on ``list_name``, if
    given), one row each whatever records were merged into it, those held first, each with
    where the records say he is; and how many hits still await review."""
    by_identity: dict[int, list[Listing]] = {}
    confirmed = queue.confirmed_listings(session, list_name=list_name)
    roots = queue.survivors(session, {listing.person_id for listing in confirmed})
    for listing in confirmed:
        by_identity.setdefault(roots[listing.person_id], []).append(listing)
    briefs = queue.person_briefs(session, set(by_identity))
    states = custody.custody_in_words(session, person_ids=list(by_identity))
    persons = [
        HeldListed(
            survivor_id=root,
            names=briefs[root].names,
            date_of_birth=briefs[root].date_of_birth,
            nationalities=briefs[root].nationalities,
            custody=briefs[root].custody,
            held=states[root][0].status in HELD,
            listed_as=listings,
        )
        for root, listings in by_identity.items()
    ]
    persons.sort(key=lambda p: (not p.held, p.custody or "", p.survivor_id))
    return HeldListedOut(
        persons=persons,
        held=sum(1 for p in persons if p.held),
        open_hits=queue.count_open_hits(session),
    )
