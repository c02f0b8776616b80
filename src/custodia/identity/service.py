"""The identity room's public functions: name search and comparison, batch de-duplication,
the review queue and its decisions, watchlist import and screening."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from custodia.access import service as access
from custodia.custody import service as custody
from custodia.db import read_session
from custodia.errors import Invalid
from custodia.identity import dedupe as dedupe_engine
from custodia.identity import index, intake, listings, progress, queue, screening, side
from custodia.identity.names import ParsedName, parse_name, parse_query
from custodia.identity.schemas import (
    Candidate,
    CheckResult,
    Comparison,
    DedupeResult,
    HeldListedOut,
    IdentityOut,
    ListedEntryOut,
    ListSearchResult,
    PersonCheck,
    QueuePage,
    ReviewItemOut,
    ReviewProgress,
    ScreenResult,
    SearchResult,
    WatchlistImportResult,
    WatchlistOut,
    WithdrawResult,
)
from custodia.identity.scoring import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    KnownName,
    Profile,
    Scored,
    default_weight,
    score_profiles,
)
from custodia.identity.watchlist import ListedIndividual
from custodia.identity.watchlist_csv import MAX_ROWS, parse_csv_rows
from custodia.registry import service as registry
from custodia.registry.countries import check_country_codes
from custodia.registry.dates import parse_partial_date
from custodia.registry.schemas import PersonIn


def propose_pair(
    session: Session,
    *,
    person_a_id: int,
    person_b_id: int,
    score: float,
    source: str,
    evidence: dict[str, Any],
) -> int | None:
    """Put a candidate same-person pair in the review queue (source e.g. 'names',
    'biometrics', 'watchlist'); returns the queue item id, or None when this pair was already
    decided 'different' (never proposed again) or is already open (then update its score/evidence
    if stronger, and merge the evidence by source).

    Evidence in ``bits`` (fingerprints) is fused with the names-and-dates evidence of the
    pair (``queue.fused_score``); when no names source has weighed the pair yet, its two
    records are compared here first, so the reviewer sees both side by side."""
    if "bits" in evidence and not queue.weighed_by_names(session, person_a_id, person_b_id):
        _compare_records(session, person_a_id, person_b_id)
    return queue.propose_pair(
        session,
        person_a_id=person_a_id,
        person_b_id=person_b_id,
        score=score,
        source=source,
        evidence=evidence,
    )


def pairs_in_question(
    session: Session, *, person_ids: Sequence[int] | None
) -> list[tuple[int, int]]:
    """Same-person pairs under review (open, unsure) or merged that name one of
    ``person_ids`` (every one for None), for other rooms that bring evidence, such as
    fingerprints enrolled later: a merge they contradict is put in doubt."""
    return queue.pairs_in_question(session, person_ids)


def proposed_from(evidence: Mapping[str, Mapping[str, Any]]) -> float:
    """The cut a review item was proposed at, from its evidence by source: its score is read
    against it (the review threshold, or ``side.SIDE_THRESHOLD`` where a source is a side
    link's probability)."""
    return min((side.proposed_from(e) for e in evidence.values()), default=REVIEW_THRESHOLD)


def doubted_merges(session: Session, *, item_ids: Sequence[int]) -> list[int]:
    """Those of ``item_ids`` that are merges the fingerprints put in doubt (their score is
    now below the cut the pair was proposed at): a reviewer should look again, and split
    them if the records are two men."""
    return queue.doubted_merges(session, item_ids)


def _compare_records(session: Session, a: int, b: int) -> None:
    """Weigh two registry records' names and dates into the pair's ``names`` evidence."""
    # From the registry, not the search index: a record enrolled before the index caught up
    # is weighed all the same.
    persons = registry.get_persons(session, person_ids=[a, b])
    if len(persons) < 2:
        return  # an unknown id: propose_pair says which
    profiles = {i: index.profile_of_person(p) for i, p in persons.items()}
    scored = score_profiles(profiles[a], profiles[b], index.weigher(session))
    queue.propose_pair(
        session,
        person_a_id=a,
        person_b_id=b,
        score=round(scored.score, 4),
        source="names",
        evidence={**scored.evidence, "explanation": list(scored.explanation)},
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
    """Review items (candidate pairs and watchlist hits), the strongest first; with
    ``person_id`` only those naming that record (what intake raised for a new arrival),
    with ``list_name`` only the hits on that watchlist."""
    return queue.list_queue(
        session,
        status=status,
        kind=kind,
        person_id=person_id,
        doubted=doubted,
        list_name=list_name,
        limit=limit,
        offset=offset,
    )


def identity_of(session: Session, *, person_id: int) -> IdentityOut:
    """Who record ``person_id`` really is: its identity's surviving record, every record
    merged into it, and every review item naming one of them (open first), with who decided
    what and when."""
    return queue.identity_of(session, person_id=person_id)


def get_review_item(session: Session, *, item_id: int) -> ReviewItemOut:
    return queue.get_item(session, item_id=item_id)


def decide(
    session: Session, *, item_id: int, decision: str, note: str = "", actor_id: int | None = None
) -> ReviewItemOut:
    """Same / different / unsure, with a note; who and when are recorded (and audited)."""
    item = queue.decide(session, item_id=item_id, decision=decision, note=note, actor_id=actor_id)
    _audit(session, actor_id, f"identity.{decision}", f"review:{item_id}", _pair(item))
    return item


def split(
    session: Session, *, item_id: int, note: str = "", actor_id: int | None = None
) -> ReviewItemOut:
    """Undo a merge; the pair is not proposed again."""
    item = queue.split(session, item_id=item_id, note=note, actor_id=actor_id)
    _audit(session, actor_id, "identity.split", f"review:{item_id}", _pair(item))
    return item


def _pair(item: ReviewItemOut) -> str:
    if item.person_b is not None:
        other = f"person:{item.person_b.person_id}"
    else:
        other = f"listed:{item.watchlist_entry.reference if item.watchlist_entry else '?'}"
    return f"person:{item.person_a.person_id} ~ {other}"


def _audit(session: Session, actor_id: int | None, action: str, subject: str, detail: str) -> None:
    access.record_action(session, actor_id=actor_id, action=action, subject=subject, detail=detail)


# --- search and compare -----------------------------------------------------------------


def _query_profile(
    name: str,
    date_of_birth: str | None,
    nationality: str | None,
    mother_name: str | None = None,
    place_of_birth: str | None = None,
) -> Profile:
    parsed = parse_query(name)
    if not name.strip() or not parsed.tokens:
        raise Invalid(f"the name {name!r} has no name parts to search for")
    for label, value in (("mother's name", mother_name), ("place of birth", place_of_birth)):
        if value is not None and not parse_query(value).tokens:
            raise Invalid(f"the {label} {value!r} has no letters to compare")
    if nationality:
        check_country_codes([nationality])
    if date_of_birth:
        parse_partial_date(date_of_birth)  # raises Invalid with a readable message
    return index.profile_of(
        -1,
        names=[(name, "primary")],
        date_of_birth=date_of_birth,
        nationalities=[nationality] if nationality else [],
        mother_name=mother_name,
        place_of_birth=place_of_birth,
        sex=_sex_of_kunya(parsed),
        parse=parse_query,
    )


# A record found by its other attributes for a nom de guerre is listed from this likelihood
# up: below it, one man among a dozen alike is a guess.
SIDE_FLOOR = 0.1
Found = list[tuple[Scored, Profile, int]]  # index.search_identities


def _sex_of_kunya(name: ParsedName) -> str | None:
    """A name that opens with a kunya says the sex: "Abu Hamza" (father of Hamza) is a man,
    "Umm Hamza" a woman. Inside a name "Abu" may be a family's ("Fatima Abu Zaid")."""
    tokens = name.tokens
    if tokens and tokens[0].role == "kunya_marker":
        return {"abu": "M", "umm": "F"}.get(tokens[0].skeleton)
    return None


def search_persons(
    session: Session,
    *,
    name: str,
    date_of_birth: str | None = None,
    nationality: str | None = None,
    mother_name: str | None = None,
    place_of_birth: str | None = None,
    limit: int = 10,
) -> SearchResult:
    """Candidate persons for a name in any script, best first, one per surviving identity,
    each with a score and the evidence in plain words (the mother's name and the place of
    birth, when given, count as they do in de-duplication). For a name that is only a kunya
    or nom de guerre, with a birth year, also the men it may stand for whose names it does
    not share (``behind_the_nom_de_guerre``)."""
    if not 1 <= limit <= 100:
        raise Invalid("limit must be between 1 and 100")
    query = _query_profile(name, date_of_birth, nationality, mother_name, place_of_birth)
    found = index.search_identities(
        session, query, limit=limit, identity_of=lambda ids: queue.survivors(session, ids)
    )
    behind = _men_behind_the_nom_de_guerre(session, query, found, limit)
    warnings = []
    if not index.index_is_current(session):
        warnings.append(
            "the name index was built by an older name model and may miss spellings: "
            "run `custodia identity reindex` (or any batch job) to rebuild it"
        )
    return SearchResult(
        query=name,
        candidates=_candidates(session, found),
        behind_the_nom_de_guerre=_candidates(session, behind),
        warnings=warnings,
    )


# Rows a check through the API or the web page may hold; the command line takes any file a
# watchlist import would (a check costs about 25 ms a row on 46,000 persons).
CHECK_ROWS_ONLINE = 1_000
CHECK_MATCHES = 3  # registry identities, and listed individuals, shown per row


def check_people(
    session: Session,
    *,
    data: bytes,
    min_score: float = REVIEW_THRESHOLD,
    max_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> CheckResult:
    """A partner's file of people (a wanted list, a manifest, a repatriation request: the
    CSV columns of an agency's watchlist, and ``mother_name``) checked row by row against
    the registry as a name search searches it and against the loaded watchlists as
    screening screens a person, with no one registered: which rows may be someone already
    held (and where custody holds him), which may be listed.
    Every row is checked for faults before any is searched. ``workers`` > 1 shares a long
    file among forked processes (for the batch CLI; a server checks in its own process)."""
    if not 0.5 <= min_score <= 1.0:
        raise Invalid("min_score must be between 0.5 and 1.0")
    started = time.perf_counter()
    rows = parse_csv_rows(
        data,
        list_type="check",
        refused="nothing checked",
        max_rows=max_rows or MAX_ROWS,
        extra_columns=("mother_name",),
    )
    loaded = screening.loaded_entries(session)
    warnings = [] if loaded is not None else [listings.NOTHING_LOADED]
    if not index.index_is_current(session):
        warnings.append(
            "the name index was built by an older name model and may miss spellings: "
            "run `custodia identity reindex` to rebuild it"
        )
    people: list[PersonCheck] = []
    for part in _checked_in_chunks(session, list(enumerate(rows, 1)), loaded, min_score, workers):
        people.extend(part)
        if progress is not None:
            progress(len(people), len(rows))
    return CheckResult(
        rows=len(people),
        registered=sum(1 for p in people if p.registered),
        may_stand_for=sum(1 for p in people if p.behind_the_nom_de_guerre),
        listed=sum(1 for p in people if p.listed),
        min_score=min_score,
        seconds=round(time.perf_counter() - started, 2),
        people=people,
        warnings=warnings,
    )


# Below this many rows, starting processes costs more than it saves.
CHECK_FORK_FROM = 200
_CHECK_CHUNK = 20
# What a forked check worker reads (copy-on-write), set just before the fork.
_CHECKING: tuple[Engine, screening.LoadedEntries | None, float] | None = None


def _checked_in_chunks(
    session: Session,
    numbered: list[tuple[int, ListedIndividual]],
    loaded: screening.LoadedEntries | None,
    min_score: float,
    workers: int,
) -> Iterator[list[PersonCheck]]:
    """The rows checked, a chunk at a time in file order: here, or in ``workers`` forked
    processes, each reading the database through connections of its own."""
    global _CHECKING
    chunks = [numbered[i : i + _CHECK_CHUNK] for i in range(0, len(numbered), _CHECK_CHUNK)]
    bind = session.get_bind()
    if (
        workers > 1
        and len(numbered) >= CHECK_FORK_FROM
        and isinstance(bind, Engine)
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        index.weigher(session)  # the key counts, read once before the fork and shared
        _CHECKING = (bind, loaded, min_score)
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_start_check_worker) as pool:
                yield from pool.imap(_check_forked, chunks)
        finally:
            _CHECKING = None
        return
    for chunk in chunks:
        yield [_check_row(session, number, row, loaded, min_score) for number, row in chunk]


def _checking() -> tuple[Engine, screening.LoadedEntries | None, float]:
    if _CHECKING is None:
        raise RuntimeError("check worker started without its database")
    return _CHECKING


def _start_check_worker() -> None:
    # the connections pooled before the fork are the parent's, not this process's
    _checking()[0].dispose(close=False)


def _check_forked(chunk: list[tuple[int, ListedIndividual]]) -> list[PersonCheck]:
    engine, loaded, min_score = _checking()
    with read_session(engine) as session:
        return [_check_row(session, number, row, loaded, min_score) for number, row in chunk]


def _check_row(
    session: Session,
    number: int,
    row: ListedIndividual,
    loaded: screening.LoadedEntries | None,
    min_score: float,
) -> PersonCheck:
    query = replace(
        screening.entry_profile(-number, row.to_json()),
        dob_text=row.dates_of_birth[0] if row.dates_of_birth else None,
        place_of_birth=row.places_of_birth[0] if row.places_of_birth else None,
        sex=_sex_of_kunya(parse_name(row.name)),
        mother=row.mother_name,
    )
    found = index.search_identities(
        session,
        query,
        limit=CHECK_MATCHES,
        identity_of=lambda ids: queue.survivors(session, ids),
    )
    listed = (
        listings.listed_candidates(session, loaded, query, limit=CHECK_MATCHES, min_score=min_score)
        if loaded is not None
        else []
    )
    # as a name search lists them: the likeliest few from a likelihood of SIDE_FLOOR up
    behind = _men_behind_the_nom_de_guerre(session, query, found, CHECK_MATCHES)
    return PersonCheck(
        row=number,
        reference=row.reference,
        name=row.name,
        registered=_candidates(session, [f for f in found if f[0].score >= min_score]),
        behind_the_nom_de_guerre=_candidates(session, behind),
        listed=listed,
    )


def _candidates(session: Session, found: Found) -> list[Candidate]:
    # a candidate already held somewhere is what an intake team most needs to know
    where = custody.custody_in_words(session, person_ids=[s.ident for s, _, _ in found])
    out: list[Candidate] = []
    for s, p, root in found:
        explanation = list(s.explanation)
        if root != s.ident:
            explanation.append(f"record {s.ident} is merged into person {root}")
        out.append(
            Candidate(
                person_id=s.ident,
                survivor_id=root,
                score=round(s.score, 4),
                names=[n.parsed.text for n in p.names],
                date_of_birth=p.dob_text,
                nationalities=list(p.nationalities),
                custody=where[s.ident][1],
                explanation=explanation,
            )
        )
    return out


def _men_behind_the_nom_de_guerre(
    session: Session, query: Profile, found: Found, limit: int
) -> Found:
    """A query known only by a kunya or nom de guerre ("Abu Hamza al-Ustrali", born 1971)
    shares no name with the man's own record: the records, other than those its names
    found, that its birth year and other attributes make likely, weighed as intake weighs a
    new record known so (intake.py), likeliest first, one per identity. The real names its
    names found compete; a record known by that nom de guerre alone does not (it may be
    another record of the very man behind it)."""
    if not intake.known_only_by_a_nom_de_guerre(query):
        return []
    # weighed as intake weighs them: a kunya written alike of a man born elsewhere is no rival
    weighed = intake.kept_attributes_weighed(session, query, [s for s, _, _ in found])
    named = intake.likely_among([(w, root) for w, (_, _, root) in zip(weighed, found, strict=True)])
    # the records its names found take no place in this list
    side = intake.nom_de_guerre_duplicates(
        session, query, named, threshold=SIDE_FLOOR, limit=limit + len(found)
    )
    profiles = index.load_profiles(session, [s.ident for s in side])
    roots = queue.survivors(session, [s.ident for s in side])
    seen = {root for _, _, root in found}
    out: Found = []
    for s in side:
        root = roots.get(s.ident, s.ident)
        if root not in seen:
            seen.add(root)
            out.append((s, profiles[s.ident], root))
    return out[:limit]


def compare_names(name1: str, name2: str) -> Comparison:
    """Two bare names: a score 0..1 and whether it reaches ``MATCH_THRESHOLD``."""
    a, b = parse_query(name1), parse_query(name2)
    if not a.tokens or not b.tokens:
        raise Invalid("both names need at least one name part (titles alone are not names)")
    one = Profile(ident=1, names=[KnownName(a, "primary")])
    two = Profile(ident=2, names=[KnownName(b, "primary")])
    s = score_profiles(one, two, default_weight)
    return Comparison(
        name1=name1,
        name2=name2,
        score=round(s.score, 4),
        match=s.score >= MATCH_THRESHOLD,
        threshold=MATCH_THRESHOLD,
        explanation=list(s.explanation),
    )


def reindex(
    session: Session, *, rebuild: bool = False, progress: Callable[[int, int], None] | None = None
) -> int:
    """Index the names of persons not indexed yet (registered before identity resolution
    was installed); ``rebuild`` re-indexes everyone after the name model changed."""
    return index.ensure_indexed(session, progress, rebuild=rebuild)


# --- intake, watchlists -----------------------------------------------------------------


def on_persons_registered(
    session: Session, *, person_ids: Sequence[int], persons_in: Sequence[PersonIn]
) -> dict[int, list[int]]:
    """Called by the registry for each batch of NEW person records: index their names for
    search and de-duplication, screen them against loaded watchlists and, for a small
    intake, queue their likely duplicates in the registry (see identity.intake). Returns
    the review items raised, by new record."""
    profiles = [
        index.profile_of_input(pid, person_in)
        for pid, person_in in zip(person_ids, persons_in, strict=True)
    ]
    return intake.register(session, profiles)


def on_person_name_added(session: Session, *, person_id: int, name: str) -> list[int]:
    """Called by the registry when ``name`` is recorded for a registered person: index the
    record anew, screen the name against the loaded watchlists and queue the registry's
    records it shows the person to be (see identity.intake). Returns the review items
    raised."""
    profile = index.profile_of_person(registry.get_person(session, person_id=person_id))
    return intake.reexamine(session, profile, name)


def on_person_name_withdrawn(session: Session, *, person_id: int) -> None:
    """Called by the registry when a name recorded later is withdrawn: index the record
    anew without it (the review items it raised stay, for the reviewer to decide)."""
    profile = index.profile_of_person(registry.get_person(session, person_id=person_id))
    index.rewrite_profile(session, profile)


def import_un_sc_list(
    session: Session, *, path: Path, actor_id: int | None = None
) -> WatchlistImportResult:
    """Load or refresh the UN SC consolidated list from its XML file."""
    return _audit_import(session, actor_id, screening.import_un_sc(session, path=path))


def import_un_sc_xml(
    session: Session, *, data: bytes, actor_id: int | None = None
) -> WatchlistImportResult:
    """Load or refresh the UN SC consolidated list from the bytes of its XML document."""
    return _audit_import(session, actor_id, screening.import_un_sc_xml(session, data=data))


def import_csv_list(
    session: Session, *, data: bytes, list_name: str, actor_id: int | None = None
) -> WatchlistImportResult:
    """Load or refresh an agency's watchlist from the bytes of a CSV file (watchlist_csv)
    as ``list_name``; a file with any faulty row changes nothing."""
    result = screening.import_csv(session, data=data, list_name=list_name)
    return _audit_import(session, actor_id, result)


def _audit_import(
    session: Session, actor_id: int | None, result: WatchlistImportResult
) -> WatchlistImportResult:
    detail = (
        f"{result.individuals} individuals, {result.names} names, {result.replaced} replaced, "
        f"{result.withdrawn} withdrawn"
    )
    _audit(session, actor_id, "watchlist.import", f"watchlist:{result.list_name}", detail)
    return result


def withdraw_watchlist(
    session: Session, *, list_name: str, actor_id: int | None = None
) -> WithdrawResult:
    """Withdraw a loaded list: its entries are no longer screened; the review items naming
    them stay, and say so."""
    withdrawn = screening.withdraw_list(session, list_name=list_name)
    _audit(
        session, actor_id, "watchlist.withdraw", f"watchlist:{list_name}", f"{withdrawn} entries"
    )
    return WithdrawResult(list_name=list_name, withdrawn=withdrawn)


def list_watchlists(session: Session) -> list[WatchlistOut]:
    """The loaded watchlists: name, individuals listed, last import."""
    return screening.loaded_lists(session)


def search_watchlists(
    session: Session,
    *,
    name: str,
    date_of_birth: str | None = None,
    nationality: str | None = None,
    list_name: str | None = None,
    limit: int = 10,
) -> ListSearchResult:
    """The listed individuals a name (in any script, with a date of birth and nationality
    when known) most likely is, best first, scored as screening scores a person: no one
    need be registered. ``list_name`` keeps to one loaded list (blank, as a form's "any
    list" sends it: every list)."""
    if not 1 <= limit <= 100:
        raise Invalid("limit must be between 1 and 100")
    query = _query_profile(name, date_of_birth, nationality)
    one_list = (list_name or "").strip() or None
    return listings.search_lists(session, query=query, text=name, list_name=one_list, limit=limit)


def review_progress(session: Session) -> ReviewProgress:
    """Items raised and settled per hour or day, and the backlog left at the end of each."""
    return progress.review_progress(session)


def review_progress_chart(session: Session, *, image_format: str = "png") -> bytes:
    """The same as a picture (PNG or SVG bytes)."""
    if image_format not in ("png", "svg"):
        raise Invalid(f"the picture is a png or an svg, not {image_format!r}")
    return progress.progress_chart(progress.review_progress(session), image_format=image_format)


def held_listed(session: Session, *, list_name: str | None = None) -> HeldListedOut:
    """The identities confirmed to be listed individuals, those in custody first, with
    where the records say each is, and the hits still awaiting review."""
    return listings.held_listed(session, list_name=list_name)


def watchlist_entry(session: Session, *, list_name: str, reference: str) -> ListedEntryOut:
    """One listed entry as its list gives it, and every review item naming it."""
    return listings.listed_entry(session, list_name=list_name, reference=reference)


def screen_all_persons(
    session: Session,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    actor_id: int | None = None,
    every: bool = False,
) -> ScreenResult:
    """Screen every registered person against the listed entries new or changed since the
    last run (``every``: against every loaded entry); hits are queued. ``workers`` > 1
    shares the entries among forked processes (for the batch CLI)."""
    result = screening.screen_all(session, progress=progress, workers=workers, every=every)
    detail = (
        f"{result.persons} persons against {result.entries} entries "
        f"({result.already_screened} screened before), {result.hits} hits, "
        f"{result.proposed} queued"
    )
    _audit(session, actor_id, "watchlist.screen", "persons:all", detail)
    return result


# --- batch de-duplication ---------------------------------------------------------------


def registered_mothers(session: Session) -> dict[int, int]:
    """Child's record -> the identity (surviving record) of the mother registered with the
    child: two records whose mothers are two women are two children."""
    mothers = registry.registered_mothers(session)
    survivor = queue.survivors(session, set(mothers.values()))
    return {child: survivor.get(mother, mother) for child, mother in mothers.items()}


def dedupe(
    session: Session,
    *,
    progress: Callable[[int, int, str | None], None] | None = None,
    actor_id: int | None = None,
) -> DedupeResult:
    """Every registered person against the others (Splink blocking, our scorer); pairs at or
    above ``REVIEW_THRESHOLD`` go to the review queue, and so do the men a record known only
    by a nom de guerre is more likely than not to be (``side.SIDE_THRESHOLD``), except pairs
    decided 'different'."""
    started = time.perf_counter()
    index.ensure_indexed(session)
    ids = index.all_person_ids(session)
    profiles = index.load_profiles(session, ids, batch=True)
    pairs = dedupe_engine.predict_pairs(
        [profiles[i] for i in ids],
        weigh=index.weigher(session),
        threshold=REVIEW_THRESHOLD,
        progress=progress,
        mothers=registered_mothers(session),
    )
    rejected = queue.decided_different(session)
    proposed = by_nom_de_guerre = 0
    for a, b, probability, evidence in pairs:
        if queue.pair_key(a, b) in rejected:
            continue
        item = queue.propose_pair(
            session,
            person_a_id=a,
            person_b_id=b,
            score=round(probability, 4),
            source="names",
            evidence=evidence,
        )
        proposed += item is not None
        by_nom_de_guerre += item is not None and side.POSTERIOR in evidence
    groups = dedupe_engine.clusters([(a, b) for a, b, _, _ in pairs], ids)
    sizes: dict[int, int] = {}
    for root in groups.values():
        sizes[root] = sizes.get(root, 0) + 1
    result = DedupeResult(
        records=len(ids),
        pairs_scored=len(pairs),
        pairs_proposed=proposed,
        nom_de_guerre_pairs=by_nom_de_guerre,
        clusters=sum(1 for n in sizes.values() if n > 1),
        seconds=round(time.perf_counter() - started, 2),
    )
    detail = f"{result.records} records, {result.pairs_proposed} pairs queued"
    _audit(session, actor_id, "identity.dedupe", "persons:all", detail)
    return result
