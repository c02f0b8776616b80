"""Watchlists: importing the UN SC consolidated list and agencies' CSV lists, and screening
persons against every loaded entry (all persons, or new records at intake). Hits go to the
review queue."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from custodia.db import utc_now
from custodia.errors import Conflict, Invalid, NotFound
from custodia.identity import heap, index, queue
from custodia.identity import models as m
from custodia.identity.keys import MemoryIndex
from custodia.identity.names import NAME_MODEL, parse_name
from custodia.identity.schemas import ScreenResult, WatchlistImportResult, WatchlistOut
from custodia.identity.scoring import (
    MIN_COVER_REVIEW,
    REVIEW_THRESHOLD,
    KnownName,
    Profile,
    Scored,
    Weigher,
    compare_parsed,
    name_score_needed,
    rank,
    score_profiles,
)
from custodia.identity.watchlist import ListedIndividual, parse_un_xml, read_un_xml
from custodia.identity.watchlist_csv import parse_csv_list

UN_SC = "un-sc"
_KIND = {"primary": "primary", "original_script": "primary", "good": "alias", "low": "low"}
SCREEN_CANDIDATES = 100  # persons scored per listed name (entries per person at intake)
HITS_PER_PERSON = 3  # the strongest listed entries queued for one person
# An entry a later import no longer holds, or of a withdrawn list, is not screened.
_ACTIVE = m.WatchlistEntry.withdrawn_at.is_(None)
# An entry not screened against every person as it now reads, or by another name model.
_UNSCREENED = m.WatchlistEntry.screened_at.is_(None) | (
    m.WatchlistEntry.screened_model != NAME_MODEL
)
# A re-import rewrites entries in place (same ids, same count): the latest import time tells
# other processes (the API's workers) that their copy is stale; a withdrawal, the count.
_STATE = select(
    func.count(m.WatchlistEntry.id),
    func.max(m.WatchlistEntry.id),
    func.max(m.WatchlistEntry.imported_at),
).where(_ACTIVE)
State = tuple[int, int, str]


def import_un_sc(session: Session, *, path: Path) -> WatchlistImportResult:
    """Load (or refresh) the UN SC consolidated list from its file."""
    listed = read_un_xml(path)
    if not listed:
        raise_empty(path)
    return import_entries(session, list_name=UN_SC, listed=listed)


def import_un_sc_xml(session: Session, *, data: bytes) -> WatchlistImportResult:
    """Load (or refresh) the UN SC consolidated list from the bytes of its XML document
    (an upload); entries are keyed by reference."""
    listed = parse_un_xml(data)
    if not listed:
        raise Invalid("the document holds no INDIVIDUAL entries: nothing to import")
    return import_entries(session, list_name=UN_SC, listed=listed)


def import_csv(session: Session, *, data: bytes, list_name: str) -> WatchlistImportResult:
    """Load (or refresh) an agency's CSV watchlist (watchlist_csv) as ``list_name``."""
    return import_entries(
        session, list_name=list_name, listed=parse_csv_list(data, list_name=list_name)
    )


def import_entries(
    session: Session, *, list_name: str, listed: Sequence[ListedIndividual]
) -> WatchlistImportResult:
    """Add a list's entries, or refresh those it holds already (by reference). An entry of
    the list that the file no longer holds is withdrawn: no longer screened, while the
    review items naming it stay, and say so; one the file lists again is screened again."""
    existing = {
        e.reference: e
        for e in session.scalars(
            select(m.WatchlistEntry).where(m.WatchlistEntry.list_name == list_name)
        )
    }
    now = utc_now()
    replaced = 0
    held = {entry.reference for entry in listed}
    withdrawn = 0
    for reference, gone in existing.items():
        if reference not in held and gone.withdrawn_at is None:
            gone.withdrawn_at = now
            withdrawn += 1
    for entry in listed:
        data = json.dumps(entry.to_json(), ensure_ascii=False)
        row = existing.get(entry.reference)
        if row is None:
            session.add(
                m.WatchlistEntry(
                    list_name=list_name,
                    reference=entry.reference,
                    name=entry.name,
                    data=data,
                    imported_at=now,
                )
            )
        else:
            replaced += 1
            if row.data != data or row.withdrawn_at is not None:
                row.screened_at = None  # changed, or listed again: the next run screens it
            row.name, row.data, row.imported_at, row.withdrawn_at = entry.name, data, now, None
    session.flush()
    _CACHE.clear()
    return WatchlistImportResult(
        list_name=list_name,
        individuals=len(listed),
        names=sum(len(e.names) for e in listed),
        replaced=replaced,
        withdrawn=withdrawn,
        listed_twice=sum(1 for e in listed if e.also_listed_as),
    )


def withdraw_list(session: Session, *, list_name: str) -> int:
    """Withdraw every entry of a list (a partner took its list back): none is screened
    from now on; the review items naming them stay. How many were withdrawn."""
    rows = session.scalars(
        select(m.WatchlistEntry).where(m.WatchlistEntry.list_name == list_name, _ACTIVE)
    ).all()
    if not rows:
        raise NotFound(f"no loaded watchlist is named {list_name!r}")
    now = utc_now()
    for row in rows:
        row.withdrawn_at = now
    session.flush()
    _CACHE.clear()
    return len(rows)


def loaded_lists(session: Session) -> list[WatchlistOut]:
    """The loaded watchlists, by name."""
    rows = session.execute(
        select(
            m.WatchlistEntry.list_name,
            func.count(m.WatchlistEntry.id),
            func.max(m.WatchlistEntry.imported_at),
            func.count(case((_UNSCREENED, 1))),
        )
        .where(_ACTIVE)
        .group_by(m.WatchlistEntry.list_name)
        .order_by(m.WatchlistEntry.list_name)
    ).tuples()
    return [
        WatchlistOut(list_name=n, individuals=c, imported_at=at, unscreened=u)
        for n, c, at, u in rows
    ]


def raise_empty(path: Path) -> None:
    raise Invalid(f"{path} holds no INDIVIDUAL entries: nothing to import")


def entry_profile(entry_id: int, listed: dict[str, Any]) -> Profile:
    names = listed.get("names") or []
    ranges = listed.get("dob_ranges") or []
    dobs = [
        (dt.date.fromisoformat(a).toordinal(), dt.date.fromisoformat(b).toordinal())
        for a, b in ranges
    ]
    return Profile(
        ident=entry_id,
        names=[KnownName(parse_name(n["name"]), _KIND.get(n["quality"], "alias")) for n in names],
        dob=dobs[0] if dobs else None,
        extra_dobs=dobs[1:],
        nationalities=tuple(listed.get("nationalities") or ()),
    )


@dataclass(frozen=True, slots=True)
class LoadedEntries:
    """The loaded entries in memory, and which of them list one individual."""

    state: State
    mem: MemoryIndex
    reference: dict[int, str]
    listed_in: dict[int, str]  # entry id -> the list's name
    also: dict[int, frozenset[int]]  # entry id -> ids of the same individual's other listings
    # entry id -> the import the data in ``mem`` came from: a run marks an entry screened
    # only if no import has rewritten it since
    imported: dict[int, dt.datetime]


def _load(session: Session, state: State) -> LoadedEntries:
    mem = MemoryIndex()
    reference: dict[int, str] = {}
    listed_in: dict[int, str] = {}
    also_refs: dict[int, list[str]] = {}
    imported: dict[int, dt.datetime] = {}
    for entry_id, list_name, ref, data, at in session.execute(
        select(
            m.WatchlistEntry.id,
            m.WatchlistEntry.list_name,
            m.WatchlistEntry.reference,
            m.WatchlistEntry.data,
            m.WatchlistEntry.imported_at,
        ).where(_ACTIVE)
    ).tuples():
        listed = json.loads(data)
        mem.add(entry_profile(entry_id, listed))
        reference[entry_id] = ref
        imported[entry_id] = at
        listed_in[entry_id] = list_name
        also_refs[entry_id] = listed.get("also_listed_as") or []
    # a list links its own double listings; another list may use the same references
    by_ref = {(listed_in[entry_id], ref): entry_id for entry_id, ref in reference.items()}
    also = {
        entry_id: frozenset(
            by_ref[listed_in[entry_id], r] for r in refs if (listed_in[entry_id], r) in by_ref
        )
        for entry_id, refs in also_refs.items()
        if refs
    }
    return LoadedEntries(state, mem, reference, listed_in, also, imported)


class _WatchlistCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_db: dict[str, LoadedEntries] = {}

    def clear(self) -> None:
        with self._lock:
            self._by_db.clear()

    def loaded(self, session: Session) -> LoadedEntries | None:
        count, top, imported = session.execute(_STATE).one()
        if not count:
            return None
        state = (int(count), int(top), str(imported))
        url = str(session.get_bind().engine.url)
        with self._lock:
            cached = self._by_db.get(url)
        if cached is None or cached.state != state:
            cached = _load(session, state)
            with self._lock:
                self._by_db[url] = cached
        return cached

    def get(self, session: Session) -> MemoryIndex | None:
        loaded = self.loaded(session)
        return loaded.mem if loaded else None


_CACHE = _WatchlistCache()


def loaded_entries(session: Session) -> LoadedEntries | None:
    """Every active entry in memory (cached until a list changes), or None when no list is
    loaded."""
    return _CACHE.loaded(session)


def watchlist_loaded(session: Session) -> bool:
    return _CACHE.get(session) is not None


def watchlist_index(session: Session) -> MemoryIndex | None:
    """Every loaded watchlist entry in memory (cached until the list changes), or None."""
    return _CACHE.get(session)


def screen_profiles(
    session: Session, profiles: Sequence[Profile], loaded: LoadedEntries
) -> dict[int, list[int]]:
    """Screen ``profiles`` against the watchlist: the review items of their hits, by person
    (a hit decided 'different' before is not queued again)."""
    mem = loaded.mem
    weigh = mem.weigher()
    out: dict[int, list[int]] = {}
    for profile in profiles:
        candidates = [
            c
            for c in mem.candidates(profile, limit=SCREEN_CANDIDATES, min_cover=MIN_COVER_REVIEW)
            if name_score_needed(profile, c) <= 1.0  # the rest cannot reach review
        ]
        hits = [
            s
            for s in rank(profile, candidates, weigh, limit=2 * HITS_PER_PERSON)
            if s.score >= REVIEW_THRESHOLD
        ]
        for item in _propose_hits(session, profile.ident, one_per_individual(hits, loaded)):
            out.setdefault(profile.ident, []).append(item)
    return out


def one_per_individual(
    hits: Sequence[Scored], loaded: LoadedEntries, keep: int = HITS_PER_PERSON
) -> list[tuple[Scored, list[str]]]:
    """The strongest hit on each listed individual (at most ``keep``), with the
    references of the individual's other listings: one man on two sanctions regimes is one
    review item, not two that an analyst decides twice."""
    kept: list[tuple[Scored, list[str]]] = []
    covered: set[int] = set()
    for s in sorted(hits, key=lambda x: (-x.score, x.ident)):
        if s.ident in covered:
            continue
        others = loaded.also.get(s.ident, frozenset())
        covered |= others | {s.ident}
        kept.append((s, sorted(loaded.reference[o] for o in others)))
    return kept[:keep]


def _propose_hits(
    session: Session, person_id: int, hits: Sequence[tuple[Scored, list[str]]]
) -> list[int]:
    """Queue the person's hits (one per listed individual, with the individual's other
    listings); the ids of the items proposed."""
    proposed: list[int] = []
    for s, others in hits:
        explanation = list(s.explanation)
        evidence: dict[str, Any] = {**s.evidence}
        if others:
            explanation.append(
                f"the list names the same individual again as {', '.join(others)}"
                " (same name and date of birth)"
            )
            evidence["also_listed_as"] = others
        item = queue.propose_hit(
            session,
            person_id=person_id,
            entry_id=s.ident,
            score=round(s.score, 4),
            evidence={**evidence, "explanation": explanation},
        )
        if item is not None:
            proposed.append(item)
            queue.pair_with_confirmed(
                session, person_id=person_id, entry_id=s.ident, score=round(s.score, 4)
            )
    return proposed


def screen_new(session: Session, profiles: Sequence[Profile]) -> dict[int, list[int]]:
    """Intake screening: a no-op costing one small query when no watchlist is loaded."""
    loaded = _CACHE.loaded(session)
    if loaded is None:
        return {}
    return screen_profiles(session, profiles, loaded)


def _may_reach_review(person: Profile, entry: Profile, name: KnownName, weigh: Weigher) -> bool:
    """Can this person reach the review threshold against an entry through ``name``? Only if
    one of the person's names scores what the pair needs (``name_score_needed``) against it:
    a few name comparisons instead of every name of the person against every name of the
    entry, and none for a namesake born years apart."""
    floor = name_score_needed(person, entry)
    if floor > 1.0:  # no name scores more than 1
        return False
    return any(compare_parsed(n.parsed, name.parsed, weigh).score >= floor for n in person.names)


def _hits_of_entries(
    people: MemoryIndex, mem: MemoryIndex, entry_ids: Sequence[int]
) -> dict[int, dict[int, Scored]]:
    """Person id -> entry id -> score, for the pairs of these entries that reach review."""
    weigh = mem.weigher()
    found: dict[int, dict[int, Scored]] = {}
    for entry in (mem.profiles[i] for i in entry_ids):
        seen: set[int] = set()
        for name in entry.names:
            query = Profile(
                ident=entry.ident, names=[name], dob=entry.dob, nationalities=entry.nationalities
            )
            for person in people.candidates(
                query, limit=SCREEN_CANDIDATES, min_cover=MIN_COVER_REVIEW, weigh=weigh
            ):
                if person.ident in seen or not _may_reach_review(person, entry, name, weigh):
                    continue
                seen.add(person.ident)
                scored = score_profiles(person, entry, weigh)
                if scored.score >= REVIEW_THRESHOLD:
                    found.setdefault(person.ident, {})[entry.ident] = scored
    return found


# The two indexes a forked worker reads (copy-on-write), set just before the fork.
_FORKED: tuple[MemoryIndex, MemoryIndex] | None = None


def _forked_hits(entry_ids: Sequence[int]) -> dict[int, dict[int, Scored]]:
    if _FORKED is None:
        raise RuntimeError("screening worker started without its indexes")
    return _hits_of_entries(*_FORKED, entry_ids)


def find_hits(
    people: MemoryIndex,
    mem: MemoryIndex,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    entry_ids: Sequence[int] | None = None,
) -> dict[int, list[Scored]]:
    """Person id -> the listed entries it scores at least ``REVIEW_THRESHOLD`` against, the
    strongest first (the queue takes at most ``HITS_PER_PERSON`` listed individuals).

    The search runs from the list's side, one query per listed name: an entry's names pooled
    into one query would spend the candidate budget on its commonest parts, and a man
    registered under one alias would drown among the namesakes of the others. Each pair is
    scored as at intake (the person as the query, the entry as the candidate). With
    ``workers`` > 1 the entries are shared among forked processes (the batch job's CLI; a
    server screens in its own process). ``entry_ids``: only those entries (weighed as among
    all of ``mem``)."""
    global _FORKED
    mem.weigher()  # computed once, before any fork
    ids = sorted(mem.profiles if entry_ids is None else entry_ids)
    chunks = [ids[i : i + 25] for i in range(0, len(ids), 25)]
    found: dict[int, dict[int, Scored]] = {}

    def merge(part: dict[int, dict[int, Scored]], done: int) -> None:
        for person_id, hits in part.items():
            found.setdefault(person_id, {}).update(hits)
        if progress:
            progress(done, len(ids))

    done = 0
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _FORKED = (people, mem)
        try:
            with (
                heap.shared_with_forked_workers(),
                multiprocessing.get_context("fork").Pool(workers) as pool,
            ):
                for chunk, part in zip(chunks, pool.imap(_forked_hits, chunks), strict=True):
                    done += len(chunk)
                    merge(part, done)
        finally:
            _FORKED = None
    else:
        for chunk in chunks:
            done += len(chunk)
            merge(_hits_of_entries(people, mem, chunk), done)
    return {
        person_id: sorted(hits.values(), key=lambda x: (-x.score, x.ident))
        for person_id, hits in found.items()
    }


def people_index(session: Session) -> MemoryIndex:
    """Every registered person's profile in memory (indexing any not yet indexed)."""
    index.ensure_indexed(session)
    ids = index.all_person_ids(session)
    people = MemoryIndex()
    with heap.collector_paused():  # the index's keys and postings too
        for start in range(0, len(ids), 5000):
            for profile in index.load_profiles(
                session, ids[start : start + 5000], batch=True
            ).values():
                people.add(profile)
    return people


def screen_all(
    session: Session,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    every: bool = False,
) -> ScreenResult:
    """Every person against the listed entries not yet screened as they now read (new,
    changed or listed again since the last run, or screened by another name model), or
    against every entry with ``every``; hits go to the review queue. An entry screened
    before need not be screened again: each person registered since, or given a name since,
    was screened against it then (intake)."""
    started = time.perf_counter()
    loaded = _CACHE.loaded(session)
    if loaded is None:
        raise Conflict(
            "no watchlist is loaded: run 'custodia watchlist import un-sc FILE.xml' or "
            "'custodia watchlist import csv FILE.csv --list NAME'"
        )
    due = sorted(loaded.mem.profiles) if every else _unscreened(session, loaded)
    if not due:  # nothing new since the last run: no need to read every person
        return ScreenResult(
            persons=index.count_indexed(session),
            entries=0,
            already_screened=len(loaded.mem.profiles),
            hits=0,
            proposed=0,
            seconds=round(time.perf_counter() - started, 2),
        )
    people = people_index(session)
    found = find_hits(people, loaded.mem, progress=progress, workers=workers, entry_ids=due)
    hits = proposed = 0
    for person_id, scores in sorted(found.items()):
        individuals = one_per_individual(scores, loaded)
        hits += len(individuals)
        proposed += len(_propose_hits(session, person_id, individuals))
    _mark_screened(session, loaded, due)
    return ScreenResult(
        persons=len(people.profiles),
        entries=len(due),
        already_screened=len(loaded.mem.profiles) - len(due),
        hits=hits,
        proposed=proposed,
        seconds=round(time.perf_counter() - started, 2),
    )


def _unscreened(session: Session, loaded: LoadedEntries) -> list[int]:
    """The loaded entries not screened against every person as they now read."""
    due = session.scalars(select(m.WatchlistEntry.id).where(_ACTIVE, _UNSCREENED))
    return sorted(i for i in due if i in loaded.mem.profiles)


def _mark_screened(session: Session, loaded: LoadedEntries, entry_ids: Sequence[int]) -> None:
    """Mark the entries screened, each only if it still reads as the run screened it: an
    import that rewrote one during the run (PostgreSQL lets it) leaves it due."""
    now = utc_now()
    by_import: dict[dt.datetime, list[int]] = {}
    for entry_id in entry_ids:
        by_import.setdefault(loaded.imported[entry_id], []).append(entry_id)
    for imported_at, ids in by_import.items():
        for start in range(0, len(ids), 900):
            session.execute(
                update(m.WatchlistEntry)
                .where(
                    m.WatchlistEntry.id.in_(ids[start : start + 900]),
                    m.WatchlistEntry.imported_at == imported_at,
                )
                .values(screened_at=now, screened_model=NAME_MODEL)
                .execution_options(synchronize_session=False)
            )


__all__ = [
    "ListedIndividual",
    "import_csv",
    "import_entries",
    "import_un_sc",
    "loaded_lists",
    "screen_all",
    "screen_new",
    "watchlist_loaded",
    "withdraw_list",
]
