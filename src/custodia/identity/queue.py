"""The review queue: candidate same-person pairs and watchlist hits, their decisions, and
the merge links a "same" decision makes (both registry records are always kept)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from custodia.custody import service as custody
from custodia.custody.rules import CustodyState, Status
from custodia.db import insert_if_absent, utc_now
from custodia.errors import Conflict, Invalid, NotFound
from custodia.identity import models as m
from custodia.identity.dedupe import NAME_CERTAINTY, clusters
from custodia.identity.schemas import (
    MAX_NOTE,
    DecisionOut,
    EntryHit,
    IdentityOut,
    LaterName,
    Listing,
    PersonBrief,
    QueuePage,
    ReviewItemOut,
    WatchlistBrief,
)
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.identity.side import POSTERIOR, SIDE_THRESHOLD
from custodia.registry import lookup
from custodia.registry import service as registry
from custodia.registry.schemas import NameOut

_LINK = m.MergeLink.__table__
_MERGE_LOCK_KEY = 0x1D3E7A11  # PostgreSQL advisory lock serialising merges and splits
# What names and dates alone say of a pair they do not link at all (a man's two records
# under his name and his nom de guerre share neither): weak, not impossible.
ITEM_STATUSES = ("open", "same", "different", "unsure")
ITEM_KINDS = ("duplicate", "watchlist")
NAME_FLOOR = 0.05


def pair_key(person_a_id: int, person_b_id: int) -> str:
    a, b = sorted((person_a_id, person_b_id))
    return f"p:{a}:{b}"


def hit_key(person_id: int, entry_id: int) -> str:
    return f"w:{person_id}:{entry_id}"


def _serialize_merges(session: Session) -> None:
    """Two "same" decisions on pairs that share a person, made at once, would each link it
    to a different survivor: merges and splits take turns. (SQLite writers already do.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MERGE_LOCK_KEY})


def _active_links(session: Session) -> dict[int, int]:
    """Merged record -> the record it was merged into, for every merge not split."""
    rows = select(_LINK.c.person_id, _LINK.c.survivor_id).where(_LINK.c.split_at.is_(None))
    return dict(session.execute(rows).tuples().all())


def _root(links: dict[int, int], person_id: int) -> int:
    seen = {person_id}
    current = person_id
    while current in links and links[current] not in seen:
        current = links[current]
        seen.add(current)
    return current


def _identity_records(links: dict[int, int], root: int) -> set[int]:
    """Every record whose merge links lead to ``root``, and ``root`` itself."""
    return {root} | {merged for merged in links if _root(links, merged) == root}


def _identities(links: dict[int, int]) -> dict[int, set[int]]:
    """Surviving record -> every record of that identity, for the identities a merge made
    (one pass over the links, for a page of items)."""
    out: dict[int, set[int]] = {}
    for merged in links:
        root = _root(links, merged)
        out.setdefault(root, {root}).add(merged)
    return out


def survivors(session: Session, person_ids: Collection[int]) -> dict[int, int]:
    """Each person's surviving identity: follows the merge links that are not split. Reads
    the links of these persons and of the records they lead to, not every link: a search
    asks this of its candidates, and a registry reviewed for long holds thousands."""
    links: dict[int, int] = {}
    asked: set[int] = set()
    frontier = set(person_ids)
    while frontier:
        asked |= frontier
        found = _links_from(session, sorted(frontier))
        links.update(found)
        frontier = set(found.values()) - asked
    return {person_id: _root(links, person_id) for person_id in person_ids}


_LINKS_FROM = select(_LINK.c.person_id, _LINK.c.survivor_id).where(
    _LINK.c.split_at.is_(None), _LINK.c.person_id.in_(bindparam("ids", expanding=True))
)


def _links_from(session: Session, person_ids: Sequence[int]) -> dict[int, int]:
    """The active merge links of ``person_ids``, a chunk of ids at a time."""
    out: dict[int, int] = {}
    for start in range(0, len(person_ids), lookup.CHUNK):
        chunk = person_ids[start : start + lookup.CHUNK]
        out.update(session.execute(_LINKS_FROM, {"ids": chunk}).tuples().all())
    return out


def identity_of(session: Session, *, person_id: int) -> IdentityOut:
    """The identity ``person_id`` belongs to: its records and every review item naming one."""
    registry.ensure_person_exists(session, person_id=person_id)
    links = _active_links(session)
    root = _root(links, person_id)
    records = _identity_records(links, root)
    named = m.ReviewItem.person_a_id.in_(records) | m.ReviewItem.person_b_id.in_(records)
    items = session.scalars(
        select(m.ReviewItem)
        .where(named)
        .order_by((m.ReviewItem.status != "open"), m.ReviewItem.score.desc(), m.ReviewItem.id)
    )
    briefs = _briefs(session, records)
    rendered = _render(session, list(items))
    return IdentityOut(
        person_id=person_id,
        survivor_id=root,
        records=[briefs[i] for i in sorted(records)],
        listed_as=[listing for item in rendered if (listing := listing_of(item)) is not None],
        review_items=rendered,
    )


def listing_of(item: ReviewItemOut) -> Listing | None:
    """The listing a watchlist hit decided 'same' confirms, with who confirmed it when."""
    entry = item.watchlist_entry
    if item.status != "same" or entry is None:
        return None
    confirmed = next((d for d in reversed(item.decisions) if d.decision == "same"), None)
    return Listing(
        item_id=item.id,
        person_id=item.person_a.person_id,
        list_name=entry.list_name,
        reference=entry.reference,
        name=entry.name,
        confirmed_at=confirmed.decided_at if confirmed else item.updated_at,
        confirmed_by=confirmed.decided_by_username if confirmed else None,
        withdrawn_at=entry.withdrawn_at,
    )


def confirmed_listings(session: Session, *, list_name: str | None = None) -> list[Listing]:
    """Every watchlist hit decided 'same' (on ``list_name`` only, if given) as the listing it
    confirms: read straight from the items, their entries and their last 'same' decisions,
    without rendering the items (briefs, evidence, warnings) a reviewer reads."""
    query = (
        select(m.ReviewItem, m.WatchlistEntry)
        .join(m.WatchlistEntry, m.WatchlistEntry.id == m.ReviewItem.watchlist_entry_id)
        .where(m.ReviewItem.kind == "watchlist", m.ReviewItem.status == "same")
    )
    if list_name is not None:
        query = query.where(m.WatchlistEntry.list_name == list_name)
    rows = session.execute(query.order_by(m.ReviewItem.id)).tuples().all()
    decided: dict[int, m.Decision] = {}
    for d in session.scalars(
        select(m.Decision)
        .where(m.Decision.item_id.in_([item.id for item, _ in rows]), m.Decision.decision == "same")
        .order_by(m.Decision.id)
    ):
        decided[d.item_id] = d  # the last 'same' wins
    who = registry.usernames(
        session, user_ids={d.decided_by for d in decided.values() if d.decided_by}
    )
    return [
        Listing(
            item_id=item.id,
            person_id=item.person_a_id,
            list_name=entry.list_name,
            reference=entry.reference,
            name=entry.name,
            confirmed_at=decided[item.id].decided_at if item.id in decided else item.updated_at,
            confirmed_by=who.get(decided[item.id].decided_by or 0) if item.id in decided else None,
            withdrawn_at=entry.withdrawn_at,
        )
        for item, entry in rows
    ]


def count_open_hits(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count(m.ReviewItem.id)).where(
                m.ReviewItem.kind == "watchlist", m.ReviewItem.status == "open"
            )
        )
        or 0
    )


def person_briefs(session: Session, person_ids: set[int]) -> dict[int, PersonBrief]:
    """What a reviewer sees of each record: names, dates, custody."""
    return _briefs(session, person_ids)


def fused_score(evidence: dict[str, dict[str, Any]]) -> float:
    """One pair's score from the evidence of every source.

    A source that gives ``bits`` (log2 of a likelihood ratio: fingerprints) adds them to the
    odds of the names-and-dates evidence, the strongest of the other sources, read as a
    probability (at most ``NAME_CERTAINTY``, at least ``NAME_FLOOR``): fingers that match
    lift a pair whose names share nothing, fingers that do not sink namesakes. Without such
    a source the score is the strongest source's."""
    scores = [float(e["score"]) for e in evidence.values() if "bits" not in e]
    bits = [float(e["bits"]) for e in evidence.values() if "bits" in e]
    if not bits:
        return max(scores)
    p = min(max(max(scores, default=NAME_FLOOR), NAME_FLOOR), NAME_CERTAINTY)
    return float(1.0 / (1.0 + 2.0 ** -(math.log2(p / (1 - p)) + sum(bits))))


def _merge_evidence(
    item: m.ReviewItem, score: float, source: str, evidence: dict[str, Any]
) -> None:
    """Keep the stronger evidence of each names source and the latest comparison of a source
    in bits (fingers enrolled again are compared again), then fuse them."""
    merged: dict[str, Any] = json.loads(item.evidence)
    previous = merged.get(source)
    if previous is None or "bits" in evidence or float(previous.get("score", 0.0)) <= score:
        merged[source] = {"score": round(score, 4), **evidence}
    item.evidence = json.dumps(merged, sort_keys=True, default=str)
    item.sources = ",".join(sorted(merged))
    item.score = round(fused_score(merged), 4)
    item.updated_at = utc_now()


def _propose(
    session: Session,
    *,
    key: str,
    kind: str,
    person_a_id: int,
    person_b_id: int | None,
    entry_id: int | None,
    score: float,
    source: str,
    evidence: dict[str, Any],
) -> int | None:
    if not 0.0 <= score <= 1.0:
        raise Invalid(f"a candidate score must be between 0 and 1, not {score}")
    if not source or len(source) > 32:
        raise Invalid("a candidate needs a source name of 1 to 32 characters, e.g. 'names'")
    now = utc_now()
    # Intake screening and a batch job may propose one pair at once: the row is made once,
    # and evidence is added under the row's lock, so neither proposal is lost.
    created = insert_if_absent(
        session,
        m.ReviewItem,
        "pair_key",
        kind=kind,
        pair_key=key,
        person_a_id=person_a_id,
        person_b_id=person_b_id,
        watchlist_entry_id=entry_id,
        score=round(fused_score({source: {"score": score, **evidence}}), 4),
        sources=source,
        evidence=json.dumps({source: {"score": round(score, 4), **evidence}}, default=str),
        status="open",
        created_at=now,
        updated_at=now,
    )
    item = session.scalars(
        select(m.ReviewItem)
        .where(m.ReviewItem.pair_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if created:
        return item.id
    if item.status == "different":
        return None
    _merge_evidence(item, score, source, evidence)
    session.flush()
    return item.id


def propose_pair(
    session: Session,
    *,
    person_a_id: int,
    person_b_id: int,
    score: float,
    source: str,
    evidence: dict[str, Any],
) -> int | None:
    if person_a_id == person_b_id:
        raise Invalid(f"a pair needs two different persons, got {person_a_id} twice")
    missing = registry.missing_person_ids(session, person_ids=[person_a_id, person_b_id])
    if missing:
        raise NotFound(f"no person with id {missing[0]}")
    a, b = sorted((person_a_id, person_b_id))
    return _propose(
        session,
        key=pair_key(a, b),
        kind="duplicate",
        person_a_id=a,
        person_b_id=b,
        entry_id=None,
        score=score,
        source=source,
        evidence=evidence,
    )


def propose_hit(
    session: Session, *, person_id: int, entry_id: int, score: float, evidence: dict[str, Any]
) -> int | None:
    """Put a watchlist hit in the review queue (same rules as a pair)."""
    return _propose(
        session,
        key=hit_key(person_id, entry_id),
        kind="watchlist",
        person_a_id=person_id,
        person_b_id=None,
        entry_id=entry_id,
        score=score,
        source="watchlist",
        evidence=evidence,
    )


LISTING = "listing"  # the source of a pair two records' hits on one listed individual make


def pair_with_confirmed(
    session: Session, *, person_id: int, entry_id: int, score: float
) -> list[int]:
    """One listed individual is one man: when ``person_id`` hits an individual (``score``)
    whom reviewers confirmed as another identity, propose that identity's record and this
    one as a pair (source ``listing``), so a man registered under the listing's alias meets
    the record confirmed under his real name, which names alone would not pair. The ids
    of the pairs proposed (a pair decided different before is not)."""
    entry = session.get(m.WatchlistEntry, entry_id)
    if entry is None:
        return []
    brief = watchlist_brief(entry)
    group = _individual_entries(session, {entry_id: brief})[entry_id]
    confirmed = session.execute(
        select(m.ReviewItem.id, m.ReviewItem.person_a_id).where(
            m.ReviewItem.status == "same", m.ReviewItem.watchlist_entry_id.in_(group)
        )
    ).all()
    if not confirmed:
        return []
    roots = survivors(session, {person_id, *(p for _, p in confirmed)})
    proposed: list[int] = []
    for item_id, other in confirmed:
        if roots[other] == roots[person_id]:
            continue
        reason = (
            f"both are taken for the listed individual {brief.list_name} {brief.reference}: "
            f"record {other} was confirmed as him (review item {item_id}), and record "
            f"{person_id}'s names match the listing at {score:.2f}"
        )
        pair = propose_pair(
            session,
            person_a_id=other,
            person_b_id=person_id,
            score=score,
            source=LISTING,
            evidence={"explanation": [reason]},
        )
        if pair is not None:
            proposed.append(pair)
    return proposed


def weighed_by_names(session: Session, person_a_id: int, person_b_id: int) -> bool:
    """Whether a names-and-dates source has already weighed this pair."""
    a, b = sorted((person_a_id, person_b_id))
    found = session.scalar(
        select(m.ReviewItem.evidence).where(m.ReviewItem.pair_key == pair_key(a, b))
    )
    return found is not None and any("bits" not in e for e in json.loads(found).values())


def _doubted() -> ColumnElement[bool]:
    """A merge ("same") whose score, once fingerprints were weighed in, is below the cut its
    pair was proposed at: the fingers say two men where a reviewer said one. That cut is the
    review threshold, or ``SIDE_THRESHOLD`` for a record known only by a nom de guerre and
    the man it was likeliest to be (its evidence a probability, ``side.POSTERIOR``)."""
    by_side = m.ReviewItem.evidence.contains(f'"{POSTERIOR}"')
    below = (m.ReviewItem.score < SIDE_THRESHOLD) | (
        ~by_side & (m.ReviewItem.score < REVIEW_THRESHOLD)
    )
    return (m.ReviewItem.status == "same") & below & m.ReviewItem.sources.contains("biometrics")


def doubted_merges(session: Session, item_ids: Collection[int]) -> list[int]:
    """Those of ``item_ids`` that are merges the fingerprints put in doubt."""
    return list(
        session.scalars(
            select(m.ReviewItem.id).where(_doubted(), m.ReviewItem.id.in_(list(item_ids)))
        )
    )


def pairs_in_question(session: Session, person_ids: Sequence[int] | None) -> list[tuple[int, int]]:
    """(a, b) of every same-person pair under review (open, unsure) or merged, or of those
    naming ``person_ids``: new evidence, such as fingerprints, weighs on all of them (a pair
    decided 'different' is closed)."""
    query = select(m.ReviewItem.person_a_id, m.ReviewItem.person_b_id).where(
        m.ReviewItem.kind == "duplicate", m.ReviewItem.status.in_(("open", "unsure", "same"))
    )
    if person_ids is None:
        rows = list(session.execute(query).tuples())
    else:
        ids = sorted(set(person_ids))
        found = {
            row
            for start in range(0, len(ids), 500)
            for row in session.execute(
                query.where(
                    m.ReviewItem.person_a_id.in_(ids[start : start + 500])
                    | m.ReviewItem.person_b_id.in_(ids[start : start + 500])
                )
            ).tuples()
        }
        rows = sorted(found, key=lambda r: (r[0], r[1] or 0))
    return [(a, b) for a, b in rows if b is not None]


def decided_different(session: Session) -> set[str]:
    """Pair keys already rejected: never proposed again (for batch jobs)."""
    rows = session.scalars(select(m.ReviewItem.pair_key).where(m.ReviewItem.status == "different"))
    return set(rows)


# --- reading the queue ----------------------------------------------------------------


def _briefs(session: Session, person_ids: set[int]) -> dict[int, PersonBrief]:
    persons = registry.get_persons(session, person_ids=person_ids)
    roots = survivors(session, person_ids)
    where = custody.custody_in_words(session, person_ids=person_ids)
    later = {
        pid: [(n, n.recorded_at) for n in p.names if n.recorded_at is not None]
        for pid, p in persons.items()
    }
    acting = {
        u for names in later.values() for n, _ in names for u in (n.recorded_by, n.withdrawn_by)
    }
    who = registry.usernames(session, user_ids={u for u in acting if u is not None})
    return {
        pid: PersonBrief(
            person_id=pid,
            survivor_id=roots[pid],
            names=[n.full_name for n in p.names if n.current],
            recorded_later=[_later_name(n, at, who) for n, at in later[pid]],
            date_of_birth=p.date_of_birth,
            nationalities=p.nationalities,
            mother_name=p.mother_name,
            place_of_birth=p.place_of_birth,
            sex=p.sex.value,
            category=p.category.value,
            custody=where[pid][1],
        )
        for pid, p in persons.items()
    }


def _later_name(name: NameOut, recorded_at: dt.datetime, who: dict[int, str]) -> LaterName:
    """A name recorded after registration, saying who recorded (and withdrew) it."""
    return LaterName(
        name_id=name.id,
        full_name=name.full_name,
        kind=name.kind.value,
        recorded_at=recorded_at,
        recorded_by=who.get(name.recorded_by or 0),
        source=name.source or "",
        withdrawn_at=name.withdrawn_at,
        withdrawn_by=who.get(name.withdrawn_by or 0),
        withdrawal_reason=name.withdrawal_reason,
    )


def watchlist_brief(entry: m.WatchlistEntry) -> WatchlistBrief:
    data = json.loads(entry.data)
    return WatchlistBrief(
        entry_id=entry.id,
        list_name=entry.list_name,
        reference=entry.reference,
        name=entry.name,
        names=[n["name"] for n in data.get("names", [])],
        dates_of_birth=data.get("dates_of_birth", []),
        nationalities=data.get("nationalities", []),
        also_listed_as=data.get("also_listed_as", []),
        withdrawn_at=entry.withdrawn_at,
    )


def hits_on_entries(session: Session, *, entry_ids: Collection[int]) -> dict[int, list[EntryHit]]:
    """The review items naming each listed entry, the strongest first: the record, where
    custody holds it and the item's status."""
    items = list(
        session.scalars(
            select(m.ReviewItem)
            .where(m.ReviewItem.watchlist_entry_id.in_(entry_ids))
            .order_by(m.ReviewItem.score.desc(), m.ReviewItem.id)
        )
    )
    person_ids = {i.person_a_id for i in items}
    persons = registry.get_persons(session, person_ids=person_ids)
    where = custody.custody_in_words(session, person_ids=person_ids)
    out: dict[int, list[EntryHit]] = {}
    for item in items:
        out.setdefault(item.watchlist_entry_id or 0, []).append(
            EntryHit(
                item_id=item.id,
                person_id=item.person_a_id,
                person_name=persons[item.person_a_id].names[0].full_name,
                custody=where[item.person_a_id][1],
                status=item.status,
                score=item.score,
            )
        )
    return out


def _decision_out(row: m.Decision, names: dict[int, str]) -> DecisionOut:
    return DecisionOut(
        id=row.id,
        item_id=row.item_id,
        decision=row.decision,
        note=row.note,
        decided_by=row.decided_by,
        decided_by_username=names.get(row.decided_by or 0),
        decided_at=row.decided_at,
    )


DOUBT_WARNING = (
    "the fingerprints put this merge in doubt (score now {score:.3f}, below the cut it was "
    "proposed at): if they are two men, split it"
)


def _render(session: Session, items: list[m.ReviewItem]) -> list[ReviewItemOut]:
    ids: set[int] = set()
    for item in items:
        ids.add(item.person_a_id)
        if item.person_b_id is not None:
            ids.add(item.person_b_id)
    briefs = _briefs(session, ids)
    entry_ids = {i.watchlist_entry_id for i in items if i.watchlist_entry_id is not None}
    entries = {
        e.id: watchlist_brief(e)
        for e in session.scalars(select(m.WatchlistEntry).where(m.WatchlistEntry.id.in_(entry_ids)))
    }
    decisions: dict[int, list[DecisionOut]] = {}
    rows = list(
        session.scalars(
            select(m.Decision)
            .where(m.Decision.item_id.in_([i.id for i in items]))
            .order_by(m.Decision.id)
        )
    )
    names = registry.usernames(session, user_ids={r.decided_by for r in rows if r.decided_by})
    for row in rows:
        decisions.setdefault(row.item_id, []).append(_decision_out(row, names))
    merged = [i.id for i in items if i.status == "same"]
    doubted = set(doubted_merges(session, merged)) if merged else set()
    unsettled = _unsettled_items(session, items)
    confirmed_elsewhere = _listings_in_question(session, items, entries)
    return [
        ReviewItemOut(
            id=item.id,
            kind="watchlist" if item.kind == "watchlist" else "duplicate",
            status=item.status,
            score=item.score,
            sources=item.sources.split(","),
            evidence=json.loads(item.evidence),
            person_a=briefs[item.person_a_id],
            person_b=briefs[item.person_b_id] if item.person_b_id is not None else None,
            watchlist_entry=entries.get(item.watchlist_entry_id)
            if item.watchlist_entry_id is not None
            else None,
            decisions=decisions.get(item.id, []),
            warnings=[
                *([DOUBT_WARNING.format(score=item.score)] if item.id in doubted else []),
                *unsettled.get(item.id, []),
                *confirmed_elsewhere.get(item.id, []),
            ],
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        for item in items
    ]


def _listings_in_question(
    session: Session, items: list[m.ReviewItem], entries: dict[int, WatchlistBrief]
) -> dict[int, list[str]]:
    """Item id -> what a watchlist hit's decision must square with: one listed individual is
    one man, so a hit on an individual already confirmed as another identity says so (if
    this record is him too, the two records are one man), and an individual confirmed as
    two identities says they must be merged, or one decision split."""
    hits = [i for i in items if i.watchlist_entry_id is not None and i.status != "different"]
    if not hits:
        return {}
    group = _individual_entries(session, entries)
    confirmed = session.execute(
        select(m.ReviewItem.id, m.ReviewItem.person_a_id, m.ReviewItem.watchlist_entry_id).where(
            m.ReviewItem.status == "same",
            m.ReviewItem.watchlist_entry_id.in_(set().union(*group.values())),
        )
    ).tuples()
    by_entry: dict[int, list[tuple[int, int]]] = {}
    for item_id, person_id, entry_id in confirmed:
        by_entry.setdefault(entry_id or 0, []).append((item_id, person_id))
    persons = {p for rows in by_entry.values() for _, p in rows} | {i.person_a_id for i in hits}
    roots = survivors(session, persons)
    where = custody.custody_in_words(session, person_ids=set(roots.values()))
    out: dict[int, list[str]] = {}
    for item in hits:
        mine = roots[item.person_a_id]
        others = sorted(
            {
                (roots[person_id], other)
                for entry_id in group[item.watchlist_entry_id or 0]
                for other, person_id in by_entry.get(entry_id, [])
                if other != item.id and roots[person_id] != mine
            }
        )
        if others:
            out[item.id] = [_listing_warning(item, entries, others, where)]
    return out


def _individual_entries(
    session: Session, entries: dict[int, WatchlistBrief]
) -> dict[int, set[int]]:
    """Entry id -> the ids of every entry of its list naming the same individual (itself,
    and its other listings under another regime)."""
    refs = {(e.list_name, r) for e in entries.values() for r in e.also_listed_as}
    twins: dict[tuple[str, str], int] = {}
    if refs:
        rows = session.execute(
            select(
                m.WatchlistEntry.list_name, m.WatchlistEntry.reference, m.WatchlistEntry.id
            ).where(m.WatchlistEntry.reference.in_({r for _, r in refs}))
        ).tuples()
        twins = {(name, ref): entry_id for name, ref, entry_id in rows}
    return {
        entry_id: {entry_id}
        | {twins[e.list_name, r] for r in e.also_listed_as if (e.list_name, r) in twins}
        for entry_id, e in entries.items()
    }


def _listing_warning(
    item: m.ReviewItem,
    entries: dict[int, WatchlistBrief],
    others: list[tuple[int, int]],
    where: Where,
) -> str:
    entry = entries[item.watchlist_entry_id or 0]
    listed = f"{entry.list_name} {entry.reference}"
    confirmed = "; ".join(
        f"person {root} ({where[root][1]}), item {other}" for root, other in others
    )
    if item.status == "same":
        return (
            f"{listed} is confirmed as more than one identity: this record and {confirmed}. "
            "One listed individual is one man: merge the records, or split the decision "
            "that is wrong"
        )
    return (
        f"{listed} is already confirmed as {confirmed}: if this record is him too, the two "
        "records are one man (review them as a pair)"
    )


def list_queue(
    session: Session,
    *,
    status: str | None = "open",
    kind: str | None = None,
    person_id: int | None = None,
    doubted: bool = False,
    list_name: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> QueuePage:
    """Review items, the strongest first; ``person_id``: only those naming that record;
    ``doubted``: only merges the fingerprints put in doubt; ``list_name``: only the hits on
    that watchlist."""
    if status is not None and status not in ITEM_STATUSES:
        raise Invalid(f"no review item is {status!r}: they are {', '.join(ITEM_STATUSES)}")
    if kind is not None and kind not in ITEM_KINDS:
        raise Invalid(f"no review item is of kind {kind!r}: they are {', '.join(ITEM_KINDS)}")
    query = select(m.ReviewItem)
    if doubted:
        query = query.where(_doubted())
    if status:
        query = query.where(m.ReviewItem.status == status)
    if kind:
        query = query.where(m.ReviewItem.kind == kind)
    if person_id is not None:
        query = query.where(
            (m.ReviewItem.person_a_id == person_id) | (m.ReviewItem.person_b_id == person_id)
        )
    if list_name is not None:
        listed = select(m.WatchlistEntry.id).where(m.WatchlistEntry.list_name == list_name)
        query = query.where(m.ReviewItem.watchlist_entry_id.in_(listed))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(
            query.order_by(m.ReviewItem.score.desc(), m.ReviewItem.id).limit(limit).offset(offset)
        )
    )
    return QueuePage(items=_render(session, rows), total=total)


def get_item(session: Session, *, item_id: int) -> ReviewItemOut:
    """One item, with what its decision leaves unsettled (``warnings``): a pair decided
    different that other decisions still join, and custody discrepancies its records'
    merge opened that are still open."""
    item = session.get(m.ReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item with id {item_id}")
    return _render(session, [item])[0]


# --- deciding ---------------------------------------------------------------------------


def _check_note(note: str) -> None:
    if len(note) > MAX_NOTE:
        raise Invalid(f"a note holds at most {MAX_NOTE} characters; this one has {len(note)}")


def decide(
    session: Session, *, item_id: int, decision: str, note: str, actor_id: int | None
) -> ReviewItemOut:
    """Record a decision on a review item. "same" on a pair merges the two identities (the
    later-registered identity links to the earlier one); "different" means the pair is never
    proposed again."""
    if decision not in ("same", "different", "unsure"):
        raise Invalid(f"a decision is 'same', 'different' or 'unsure', not {decision!r}")
    _check_note(note)
    item = session.get(m.ReviewItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound(f"no review item with id {item_id}")
    if item.status == "same":
        raise Conflict(
            f"review item {item_id} was decided 'same'; split it first to change the decision"
        )
    now = utc_now()
    row = m.Decision(
        item_id=item.id, decision=decision, note=note, decided_by=actor_id, decided_at=now
    )
    session.add(row)
    session.flush()
    joined: tuple[set[int], set[int]] | None = None
    if decision == "same" and item.person_b_id is not None:
        _serialize_merges(session)
        links = _active_links(session)
        root_a, root_b = _root(links, item.person_a_id), _root(links, item.person_b_id)
        if root_a != root_b:
            joined = (_identity_records(links, root_a), _identity_records(links, root_b))
            survivor, merged = sorted((root_a, root_b))
            session.add(
                m.MergeLink(
                    person_id=merged,
                    survivor_id=survivor,
                    decision_id=row.id,
                    split_decision_id=None,
                    split_at=None,
                )
            )
    item.status = decision
    item.updated_at = now
    session.flush()
    if joined is not None:
        _open_held_twice(session, item.id, *joined, actor_id=actor_id)
    if decision == "same" and item.watchlist_entry_id is not None:
        pair_with_confirmed(
            session, person_id=item.person_a_id, entry_id=item.watchlist_entry_id, score=item.score
        )
    return get_item(session, item_id=item_id)


HELD_TWICE = "held_twice"  # the custody discrepancy a merge opens


def _open_held_twice(
    session: Session, item_id: int, side_a: set[int], side_b: set[int], *, actor_id: int | None
) -> None:
    """A merge of records custody holds both of (or holds one of and records the other
    dead) leaves one person held twice: the roll counts the person twice, or holds someone
    recorded dead. The merge stands (the analyst judged the identity); custody must say
    which record is wrong, so a discrepancy is opened at each facility holding one of the
    records (at the destination for one in transit)."""
    where = custody.custody_in_words(session, person_ids=side_a | side_b)

    def held(side: set[int]) -> list[int]:
        return sorted(p for p in side if where[p][0].status in custody.HELD)

    def dead(side: set[int]) -> list[int]:
        return sorted(p for p in side if where[p][0].status is Status.DECEASED)

    held_a, held_b = held(side_a), held(side_b)
    if not ((held_a and held_b) or (held_a and dead(side_b)) or (held_b and dead(side_a))):
        return
    named = _held_or_dead(where, side_a | side_b)
    account = _custody_account(where, named)
    on_roll: dict[int, list[int]] = {}  # facility -> the records it holds (or expects)
    for p in sorted(held_a + held_b):
        state = where[p][0]
        facility = state.facility_id or state.destination_facility_id or state.origin_facility_id
        if facility is not None:
            on_roll.setdefault(facility, []).append(p)
    for facility, records in sorted(on_roll.items()):
        custody.open_discrepancy(
            session,
            facility_id=facility,
            person_id=records[0],
            kind=HELD_TWICE,
            detail=(
                f"review item {item_id} decided that records {', '.join(map(str, named))} are "
                f"one person: {account}. Count the person, then record a CORRECTION on the "
                "record that is wrong (or split the decision if the merge is wrong)"
            ),
            opened_by=actor_id,
        )


Where = dict[int, tuple[CustodyState, str]]  # custody.custody_in_words


def _held_or_dead(where: Where, records: set[int]) -> list[int]:
    """The records custody holds (in custody or in transit) or records dead."""
    return sorted(
        p
        for p in records
        if where[p][0].status in custody.HELD or where[p][0].status is Status.DECEASED
    )


def _custody_account(where: Where, records: list[int]) -> str:
    return "; ".join(f"record {p} {where[p][1]}" for p in records)


def _unsettled_items(session: Session, items: list[m.ReviewItem]) -> dict[int, list[str]]:
    """Item id -> what its pair's decision leaves to settle: two records decided different
    that other "same" decisions still join, and open custody discrepancies a merge of their
    records opened (one person held twice). One read of the links and one of the
    discrepancies for the whole page; an item's own reads only where there is something."""
    links = _active_links(session)
    identities = _identities(links)
    pairs = [
        (item, a, b, identities.get(_root(links, a), {a}) | identities.get(_root(links, b), {b}))
        for item in items
        for a, b in [(item.person_a_id, item.person_b_id)]
        if b is not None
    ]
    every = set().union(*(records for *_, records in pairs))
    any_open = bool(every) and bool(
        custody.open_discrepancy_ids(session, person_ids=every, kind=HELD_TWICE)
    )
    out: dict[int, list[str]] = {}
    for item, a, b, records in pairs:
        if warnings := _unsettled(
            session, item.status, (a, b), links, records, look_at_custody=any_open
        ):
            out[item.id] = warnings
    return out


def _unsettled(
    session: Session,
    status: str,
    pair: tuple[int, int],
    links: dict[int, int],
    records: set[int],
    *,
    look_at_custody: bool,
) -> list[str]:
    """What one pair's decision leaves to settle (``_unsettled_items``); ``records``: every
    record of the pair's identities."""
    a, b = pair
    root_a, root_b = _root(links, a), _root(links, b)
    out: list[str] = []
    if status == "different" and root_a == root_b:
        out.append(_joined_warning(a, b, _same_edges(session, records)))
    if not look_at_custody:
        return out
    still = custody.open_discrepancy_ids(session, person_ids=records, kind=HELD_TWICE)
    if not still:
        return out
    ids = ", ".join(map(str, still))
    if root_a == root_b:
        where = custody.custody_in_words(session, person_ids=records)
        held = _custody_account(where, _held_or_dead(where, records))
        out.append(
            f"one person, but custody records that cannot all be true ({held}): custody "
            f"discrepancies {ids} are open for the facilities to settle which record is wrong"
        )
    else:
        out.append(
            f"custody discrepancies {ids}, opened when these records were one person, are "
            "still open: if they are two persons after all, resolve them saying so"
        )
    return out


Edge = tuple[int, int, int]  # record, record, the review item whose "same" joins them


def _joined_warning(a: int, b: int, edges: list[Edge]) -> str:
    path = ", ".join(map(str, _path(edges, a, b)))
    return (
        f"records {a} and {b} are still one identity through 'same' decisions (review items "
        f"{path}): split the wrong one of those"
    )


def split(session: Session, *, item_id: int, note: str, actor_id: int | None) -> ReviewItemOut:
    """Undo the merge a "same" decision made; the pair counts as different from now on.

    The identity is re-formed from the "same" decisions that remain: its records fall into
    the groups those decisions still join, each with its earliest record surviving. A
    record merged through the other side of the pair goes where its own decisions put it
    (a man matched by fingerprints to B stays with B when A and B are split). When other
    decisions still join the two records, the split is recorded but the identity stays
    whole, and the answer warns which decisions join them (one of those is wrong too)."""
    _check_note(note)
    item = session.get(m.ReviewItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound(f"no review item with id {item_id}")
    if item.status != "same" or item.person_b_id is None:
        raise Conflict(f"review item {item_id} is {item.status!r}, not merged: nothing to split")
    now = utc_now()
    row = m.Decision(
        item_id=item.id, decision="split", note=note, decided_by=actor_id, decided_at=now
    )
    session.add(row)
    item.status = "different"
    item.updated_at = now
    session.flush()
    _serialize_merges(session)
    links = _active_links(session)
    root = _root(links, item.person_a_id)
    members = _identity_records(links, root)
    edges = _same_edges(session, members)
    groups = clusters([(a, b) for a, b, _ in edges], sorted(members))
    _relink(session, links, groups, edges, row.id, now)
    session.flush()
    # what the split could not part, and what custody has yet to settle: get_item says
    return get_item(session, item_id=item_id)


def _same_edges(session: Session, members: set[int]) -> list[Edge]:
    rows = session.execute(
        select(m.ReviewItem.person_a_id, m.ReviewItem.person_b_id, m.ReviewItem.id).where(
            m.ReviewItem.status == "same",
            m.ReviewItem.person_a_id.in_(members),
            m.ReviewItem.person_b_id.in_(members),
        )
    )
    return [(a, b, i) for a, b, i in rows.tuples() if b is not None]


def _path(edges: list[Edge], start: int, goal: int) -> list[int]:
    """The review items of one chain of "same" decisions from ``start`` to ``goal``."""
    via: dict[int, tuple[int, int] | None] = {start: None}
    frontier = [start]
    while frontier and goal not in via:
        nxt = []
        for x in frontier:
            for a, b, item in edges:
                for here, there in ((a, b), (b, a)):
                    if here == x and there not in via:
                        via[there] = (x, item)
                        nxt.append(there)
        frontier = nxt
    items: list[int] = []
    node = goal
    while (step := via.get(node)) is not None:
        node, item = step
        items.append(item)
    return sorted(items)


def _relink(
    session: Session,
    links: dict[int, int],
    groups: dict[int, int],
    edges: list[Edge],
    split_id: int,
    now: dt.datetime,
) -> None:
    """Make the merge links agree with ``groups``: a link whose ends the split parted is
    closed (kept as history), and each record left heading a part of a group is linked to
    the group's survivor, on the latest "same" decision that joins it to the group."""
    parted = [r for r, target in links.items() if r in groups and groups[r] != groups[target]]
    if parted:
        session.execute(
            update(m.MergeLink)
            .where(m.MergeLink.person_id.in_(parted), m.MergeLink.split_at.is_(None))
            .values(split_at=now, split_decision_id=split_id)
        )
    kept = {r: t for r, t in links.items() if r in groups and r not in parted}
    heads = {_root(kept, r) for r in groups} - set(groups.values())
    for head in sorted(heads):
        joined = [i for a, b, i in edges if head in (a, b)]
        decision = session.scalar(
            select(func.max(m.Decision.id)).where(
                m.Decision.item_id.in_(joined), m.Decision.decision == "same"
            )
        )
        session.add(
            m.MergeLink(
                person_id=head,
                survivor_id=groups[head],
                decision_id=decision,
                split_decision_id=None,
                split_at=None,
            )
        )
