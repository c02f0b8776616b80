"""Intake: a new record is indexed for search, screened against the loaded watchlists and,
when it comes in a small intake (a clerk's registration, a convoy's list), checked against
the registry for a person already recorded under another spelling. Watchlist hits and
likely duplicates go to the review queue at once, so the reviewer sees "already held as
record 1234" on the day the man arrives, not after the next batch job.

Namesakes share the evidence as they do in the batch job (side.SideModel.crowd): a man is
recorded once, perhaps twice, so when ``n`` registry records match a new one at or above
the review threshold, each pair's odds are divided by ``n``. One "Khalid Hamza al-Jubouri,
1971" already held is queued at once; a new "Muhammad Ahmad, 1990" among twenty alike is
not (nothing tells them apart; a search still lists them all). Each name match is first
updated, as the batch job updates its own, by the attributes a man keeps when recorded
again (``kept_attributes_weighed``): a namesake of another town is no duplicate because
the names are written alike.

A record known only by a kunya or nom de guerre shares no name with the man's first record:
it is weighed, as the batch job weighs it, against the records of its birthplace and birth
year on the attributes a man keeps (see ``nom_de_guerre_duplicates``).

A bulk load (thousands of records from another agency's register) is not checked record by
record: one search costs about 15 ms, so 46,000 records would take over ten minutes; the
batch job (``custodia identity dedupe``) compares such a load with the registry in seconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from custodia.identity import dedupe, index, queue, screening
from custodia.identity.names import ParsedName
from custodia.identity.scoring import (
    ATTRIBUTE_YEARS,
    REVIEW_THRESHOLD,
    Profile,
    Scored,
    known_only_by_kunya,
)
from custodia.identity.side import POSTERIOR, SIDE_THRESHOLD, SideModel, nisba_of
from custodia.registry import service as registry

# The largest intake whose records are each checked against the registry as they arrive.
DUPLICATE_CHECK_MAX = 200
CANDIDATES_PER_RECORD = 3  # the most likely duplicates queued for one new record
CROWD = 20  # registry candidates looked at to tell a likely duplicate from a crowd of namesakes
SOURCE = "intake"  # the review queue's name for evidence found at intake
RECORDED_SOURCE = "new name"  # ... and for evidence a name recorded later brought
BLOCK_MAX = 500  # records of one birthplace and birth year a nom de guerre is weighed against


def register(session: Session, profiles: Sequence[Profile]) -> dict[int, list[int]]:
    """Index the new records, screen them against the watchlists and, for a small intake,
    queue the registry's likely duplicates of each; returns the review items raised, by
    record (a pair of two new records is one item, raised for both)."""
    index.store_profiles(session, profiles, new=True)
    raised = screening.screen_new(session, profiles)
    if len(profiles) <= DUPLICATE_CHECK_MAX:
        for profile in profiles:
            for s in duplicates_of(session, profile):
                item = _propose(session, profile.ident, s)  # None: decided 'different'
                if item is not None and item not in raised.get(profile.ident, []):
                    raised.setdefault(profile.ident, []).append(item)
    return raised


def reexamine(session: Session, profile: Profile, learnt: str) -> list[int]:
    """A registered record with the name ``learnt`` recorded since: index it anew, then
    screen that name (with the record's date of birth, nationality, ...) against the
    watchlists and the registry, and queue what it matches. The records already merged with
    this one are not proposed again. The review items the name raised."""
    index.rewrite_profile(session, profile)
    names = [n for n in profile.names if n.parsed.text == learnt]
    named = replace(profile, names=names, _keys=None, _rank_keys=None)  # keys of that name
    raised = screening.screen_new(session, [named]).get(profile.ident, [])
    # its real names are known: a learnt kunya is not weighed as a record known only by one
    found = likely_duplicates(session, named)
    roots = queue.survivors(session, [profile.ident, *(s.ident for s in found)])
    for s in found:
        if roots[s.ident] == roots[profile.ident]:
            continue
        item = _propose(session, profile.ident, s, source=RECORDED_SOURCE)
        if item is not None and item not in raised:
            raised.append(item)
    return raised


def duplicates_of(session: Session, profile: Profile) -> list[Scored]:
    """What intake queues for a new record: the records its names match and, for a record
    known only by a nom de guerre, the records its other attributes match. Of the names it
    matched, the real names compete with the latter; a record known by that nom de guerre
    alone does not (it may be another record of the very man behind it)."""
    named = likely_duplicates(session, profile)
    seen = {s.ident for s in named}
    if not known_only_by_a_nom_de_guerre(profile):
        return named
    side = nom_de_guerre_duplicates(session, profile, named)
    return [*named, *(s for s in side if s.ident not in seen)]


def known_only_by_a_nom_de_guerre(profile: Profile) -> bool:
    """Is the record known only by a kunya or nom de guerre, with a birth year to block on?"""
    return known_only_by_kunya(profile) and profile.dob is not None


def nom_de_guerre_duplicates(
    session: Session,
    profile: Profile,
    named: Sequence[Scored] = (),
    *,
    threshold: float = SIDE_THRESHOLD,
    limit: int = CANDIDATES_PER_RECORD,
    leave_out: Collection[int] = (),
) -> list[Scored]:
    """For a record known only by a kunya or nom de guerre ("Abu Hamza al-Almani"), the
    registry's records of his birthplace (or, without one, his nationality) and birth year
    that his other attributes (day or month of birth, nationality, mother's name, the nisba
    of the nom de guerre, ...) make likely to be him, weighed as the batch job weighs them
    (side.py), the ``limit`` likeliest at or above ``threshold``. Of ``named`` (what his
    names matched), the records with a real name compete with them; a record known by that
    nom de guerre alone neither competes nor is weighed (it may be another record of the
    very man behind it: the same kunya, town and year, counted over the registry, had taken
    the man's share). ``leave_out``: records weighed as if the registry did not hold them
    (what intake would say of a man not held: the benchmark's question). Empty for a
    record with a real name or without a birth year."""
    if not known_only_by_a_nom_de_guerre(profile):
        return []
    (row,) = dedupe.features([profile])
    if row["year_hi"] - row["year_lo"] >= ATTRIBUTE_YEARS:
        return []
    ids, counts = _block(session, profile, row)
    # the block and what his names matched, in one read
    loaded = index.load_profiles(session, [*ids, *(s.ident for s in named)])
    alike = {s.ident for s in named if known_only_by_kunya(loaded[s.ident])}
    ids = [i for i in ids if i != profile.ident and i not in alike and i not in leave_out]
    if not ids:
        return []
    block = {i: loaded[i] for i in ids}
    named = [s for s in named if s.ident not in alike]
    # what his names matched competes: those records join the model (their attributes only
    # shift the block's shares by one record each)
    rivals = {s.ident: loaded[s.ident] for s in named if s.ident not in block}
    members = [profile, *block.values(), *rivals.values()]
    rows = dedupe.features(members)
    size, registry_counts = _registry_counts(session, profile, row, rows)
    model = SideModel.within_block(
        rows,
        members,
        registry_size=size,
        registry_counts={**counts, **registry_counts},
        nisba_counts=_nisba_counts(session, profile, row),
    )
    pairs = [(min(profile.ident, i), max(profile.ident, i)) for i in block]
    competing = [(min(profile.ident, s.ident), max(profile.ident, s.ident), s.score) for s in named]
    out: list[Scored] = []
    for a, b, probability, notes, bits in model.link(pairs, competing):
        if probability >= threshold:
            other = b if a == profile.ident else a
            evidence = {POSTERIOR: round(probability, 4), "side_bits": bits}
            out.append(Scored(other, probability, 0.0, "", "", tuple(notes), evidence))
    out.sort(key=lambda s: -s.score)
    return out[:limit]


def _block(
    session: Session, profile: Profile, row: dict[str, Any]
) -> tuple[list[int], dict[str, dict[Any, int]]]:
    """The records a nom de guerre is weighed against: those of its birthplace and birth
    years (``#p``/``#y`` keys), or, for a record without a birthplace (a foreigner's,
    often), those of its nationality born the same year, where at most
    ``dedupe.NAT_YEAR_BLOCK`` share them, as in the batch job (then with how many of the
    whole registry hold that nationality)."""
    if row["pob"] and profile.place_of_birth:
        years = {f"#y{y}" for y in range(row["year_lo"], row["year_hi"] + 1)}
        ids = index.holders(session, every=_parts("#p", profile.place_parsed), some=years)
        return (ids, {}) if len(ids) <= BLOCK_MAX else ([], {})
    nationality = row["nationality"]
    if not nationality:
        return [], {}
    ids = registry.nationals_born_in(session, nationality=nationality, year=row["year_lo"])
    if len(ids) > dedupe.NAT_YEAR_BLOCK:
        return [], {}
    nationals = registry.count_nationals(session, nationality=nationality)
    return ids, {"nationality": {nationality: nationals}}


def _parts(mark: str, parsed: ParsedName | None) -> set[str]:
    """The index keys of a birthplace (``#p``) or a mother's name (``#m``)."""
    return {f"{mark}{k}" for k in parsed.keyset} if parsed is not None else set()


def _registry_counts(
    session: Session, profile: Profile, row: dict[str, Any], rows: Sequence[dict[str, Any]]
) -> tuple[int, dict[str, dict[Any, int]]]:
    """How many records the registry holds, and how many of them hold each birth year of the
    block, the new record's birthplace, mother's name and kunya, and its day or month of
    birth (counted in the registry, as the batch job counts it: a block's share of a day said
    1 in 2 where the block held two records, so a day of birth weighed no more than its
    year; a kunya held by the man and the new record, among four of his town and year, said
    1 in 2 of "Abu Qatada", which 1 record in 160 holds). A place or a mother's name is
    counted by its rarest part (at least that many hold the whole); a kunya by the records
    holding its name in any role (at least as many as hold it as a kunya)."""
    years = {r["year_lo"] for r in rows if r["year_lo"] is not None}
    place, mother = _parts("#p", profile.place_parsed), _parts("#m", profile.mother_parsed)
    kunyas = {t.skeleton for n in profile.names for t in n.parsed.tokens if t.role == "kunya"}
    size, held = index.key_counts(session, {*(f"#y{y}" for y in years), *place, *mother, *kunyas})
    per_year = {y: held[f"#y{y}"] for y in years}
    counts: dict[str, dict[Any, int]] = {"year": per_year}
    if kunyas:
        counts["kunya"] = {k: held[k] for k in kunyas}
    for field, value, keys in (("pob", row["pob"], place), ("mother", row["mother_full"], mother)):
        if value and keys:
            counts[field] = {value: min(held[k] for k in keys)}
    if row["dob"]:
        day = dt.date.fromisoformat(row["dob"])
        counts["dob_day"] = {row["dob"]: _born_within(session, day, day)}
    if row["month"]:
        first = dt.date.fromisoformat(f"{row['month']}-01")
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        counts["dob_month"] = {row["month"]: _born_within(session, first, last)}
    return size, counts


def _nisba_counts(
    session: Session, profile: Profile, row: dict[str, Any]
) -> dict[tuple[str | None, str], tuple[int, int]]:
    """The records holding the nisba of a nom de guerre ("al-Anbari") in any role and
    nationality (at least as many as hold it among his nationals), and the records of his
    nationality: the share of his nationals holding it, as the batch job counts it. Empty
    without a nisba or a nationality."""
    nisba, nationality = nisba_of(profile), row["nationality"]
    if nisba is None or not nationality:
        return {}
    _, held = index.key_counts(session, {nisba.skeleton})
    nationals = registry.count_nationals(session, nationality=nationality)
    return {(nationality, nisba.skeleton): (held[nisba.skeleton], nationals)}


def _born_within(session: Session, first: dt.date, last: dt.date) -> int:
    """The registry's records born between ``first`` and ``last``, counting at least the one
    a new record is weighed against."""
    return max(1, registry.count_born_within(session, first=first, last=last))


def likely_duplicates(session: Session, profile: Profile) -> list[Scored]:
    """Registry records likely to be ``profile`` recorded again, the strongest first, one per
    identity (a record merged into another counts once): those scoring at least
    ``REVIEW_THRESHOLD`` once namesakes have shared the evidence."""
    scored = [
        s for s in index.search(session, profile, limit=CROWD + 1) if s.ident != profile.ident
    ]
    scored = kept_attributes_weighed(session, profile, scored)
    roots = queue.survivors(session, [s.ident for s in scored])
    return likely_among([(s, roots[s.ident]) for s in scored])


def kept_attributes_weighed(
    session: Session, profile: Profile, found: Sequence[Scored]
) -> list[Scored]:
    """Name matches of a new record updated by the attributes a man keeps when recorded
    again, as the batch job updates its name matches (``SideModel.conflict``): a match born
    in another town, of another nationality, sex or category, or years apart, loses the
    bits that difference weighs. "Abu Qatada al-Ansari" of Tikrit, born the same year, is
    not the new "Abu Qatada Alansari" of al-Qaim because their kunyas are written alike."""
    reachable = [s for s in found if s.score >= REVIEW_THRESHOLD]
    if not reachable:
        return list(found)
    members = [profile, *index.load_profiles(session, [s.ident for s in reachable]).values()]
    rows = dedupe.features(members)
    size, counts = _registry_counts(session, profile, rows[0], rows)
    model = SideModel.within_block(rows, members, registry_size=size, registry_counts=counts)
    out: list[Scored] = []
    for s in found:
        against, why = (
            model.conflict(profile.ident, s.ident) if s.score >= REVIEW_THRESHOLD else (0.0, [])
        )
        if against < 0:
            s = replace(
                s,
                score=dedupe.name_score_updated(s.score, against),
                explanation=(*s.explanation, *why),
            )
        out.append(s)
    return out


def likely_among(found: Sequence[tuple[Scored, int]]) -> list[Scored]:
    """Of name matches (with the identity of each), the likely duplicates: one record per
    identity, at or above ``REVIEW_THRESHOLD`` once namesakes have shared the evidence."""
    seen: set[int] = set()
    strong: list[Scored] = []
    for s, root in found:
        if s.score >= REVIEW_THRESHOLD and root not in seen:
            seen.add(root)
            strong.append(s)
    shared = [_shared_among(s, len(strong)) for s in strong]
    return [s for s in shared if s.score >= REVIEW_THRESHOLD][:CANDIDATES_PER_RECORD]


def _shared_among(s: Scored, n: int) -> Scored:
    """``s`` with its odds divided among ``n`` records that match as well (unchanged for 1)."""
    if n < 2:
        return s
    bits = -math.log2(n)
    note = f"{n} registry records match this new record this well ({bits:+.1f} bits)"
    return replace(
        s, score=dedupe.name_score_updated(s.score, bits), explanation=(*s.explanation, note)
    )


def _propose(session: Session, person_id: int, s: Scored, source: str = SOURCE) -> int | None:
    return queue.propose_pair(
        session,
        person_a_id=person_id,
        person_b_id=s.ident,
        score=round(s.score, 4),
        source=source,
        evidence={**s.evidence, "explanation": list(s.explanation)},
    )
