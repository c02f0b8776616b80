"""The database-backed candidate index: a profile row and the name keys of every person,
kept in ``identity_profile`` / ``identity_name_key`` on SQLite and PostgreSQL alike, and the
online search over it (keys -> a bounded set of candidates -> scores)."""

from __future__ import annotations

import functools
import json
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    JSON,
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    cast,
    column,
    delete,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from custodia.db import insert_if_absent, insert_rows, vacuum_after_commit
from custodia.identity import models as m
from custodia.identity.heap import collector_paused
from custodia.identity.keys import (
    MAX_CANDIDATES,
    RankingPlan,
    near_keys,
    plan_ranking,
    query_keys,
    query_rank_keys,
)
from custodia.identity.names import NAME_MODEL, ParsedName, parse_name
from custodia.identity.scoring import (
    RANK_KEY_MARKS,
    KnownName,
    Profile,
    Scored,
    Weigher,
    compared_best_first,
    idf_weigher,
    plausible,
    rank,
)
from custodia.registry import service as registry
from custodia.registry.dates import read_partial_date
from custodia.registry.schemas import PersonIn, PersonOut

_KEY = m.NameKey.__table__
_PROFILE = m.Profile.__table__
_STATE = m.IndexState.__table__
# the highest indexed id and the index's generation: what a process's key counts were read at
_TOP = select(
    func.max(_PROFILE.c.person_id),
    select(_STATE.c.generation).where(_STATE.c.id == 1).scalar_subquery(),
)
_COUNT = select(func.count()).select_from(_PROFILE)
_DF = select(_KEY.c.key, func.count()).group_by(_KEY.c.key)
# the keys row by row (an index range on person_id), counted here: grouped by key, SQLite
# would read the whole key index
_KEYS_SINCE = select(_KEY.c.key).where(_KEY.c.person_id > bindparam("top"))
_COUNT_SINCE = _COUNT.where(_PROFILE.c.person_id > bindparam("top"))
# holders of a common key SQLite reads whole before it looks them up (looks_up)
SQLITE_RANGE_MAX = 12_000
GROWN_MAX = 5000  # persons added to the key counts before they are counted afresh
_PROFILES = select(_PROFILE.c.person_id, _PROFILE.c.data).where(
    _PROFILE.c.person_id.in_(bindparam("ids", expanding=True))
)
CHUNK = 900


def _dob_range(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        dob = read_partial_date(text)
    except Exception:
        return None
    return dob.earliest.toordinal(), dob.latest.toordinal()


def profile_of(
    ident: int,
    *,
    names: Iterable[tuple[str, str]],
    date_of_birth: str | None,
    nationalities: Sequence[str],
    mother_name: str | None,
    place_of_birth: str | None,
    sex: str | None = None,
    category: str | None = None,
    parse: Callable[[str], ParsedName] = parse_name,
) -> Profile:
    return Profile(
        ident=ident,
        names=[KnownName(parse(text), str(kind)) for text, kind in names],
        dob=_dob_range(date_of_birth),
        dob_text=date_of_birth,
        nationalities=tuple(nationalities),
        mother=mother_name,
        place_of_birth=place_of_birth,
        sex=sex,
        category=category,
        parse=parse,  # the mother's name too: a query's is no registry name to keep
    )


def profile_of_person(person: PersonOut) -> Profile:
    return profile_of(
        person.id,
        names=[(n.full_name, n.kind) for n in person.names if n.current],
        date_of_birth=person.date_of_birth,
        nationalities=person.nationalities,
        mother_name=person.mother_name,
        place_of_birth=person.place_of_birth,
        sex=str(person.sex.value) if person.sex else None,
        category=str(person.category.value) if person.category else None,
    )


def profile_of_input(person_id: int, person_in: PersonIn) -> Profile:
    return profile_of(
        person_id,
        names=[(n.full_name, n.kind) for n in person_in.names],
        date_of_birth=person_in.date_of_birth,
        nationalities=person_in.nationalities,
        mother_name=person_in.mother_name,
        place_of_birth=person_in.place_of_birth,
        sex=str(person_in.sex.value) if person_in.sex else None,
        category=str(person_in.category.value) if person_in.category else None,
    )


def as_stored(keys: Iterable[str]) -> set[str]:
    """Keys as the index holds them: cut to the column's width, so a name whose skeleton is
    longer (written without spaces) finds the record it was stored for; two keys alike up
    to the cut are one key."""
    return {k[: m.KEY_CHARS] for k in keys}


def _stored_keys(profile: Profile) -> list[str]:
    return sorted(as_stored(profile.keys | profile.rank_keys))


def store_profiles(session: Session, profiles: Sequence[Profile], *, new: bool = False) -> None:
    """Write (or, unless ``new``, rewrite) the profiles and their keys, in bulk through the
    driver: at intake this runs for every registered person."""
    if not new:
        ids = [p.ident for p in profiles]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            session.execute(delete(m.NameKey).where(m.NameKey.person_id.in_(chunk)))
            session.execute(delete(m.Profile).where(m.Profile.person_id.in_(chunk)))
    rows = [(p.ident, json.dumps(p.to_json(), ensure_ascii=False)) for p in profiles]
    keys = [(k, p.ident) for p in profiles for k in _stored_keys(p)]
    _index_state(session)
    insert_rows(session, _PROFILE, ("person_id", "data"), rows)
    insert_rows(session, _KEY, ("key", "person_id"), keys)
    if not new:
        # new persons only grow the index (the statistics add their keys); a rewrite tells
        # every process to count afresh
        _next_generation(session)
        _STATS.clear()


def rewrite_profile(session: Session, profile: Profile) -> None:
    """Rewrite one indexed person's profile (a name recorded since). This process's key
    counts take the difference at once; the other processes count afresh, as for any
    rewrite."""
    old = set(session.scalars(select(_KEY.c.key).where(_KEY.c.person_id == profile.ident)))
    session.execute(delete(m.NameKey).where(m.NameKey.person_id == profile.ident))
    session.execute(delete(m.Profile).where(m.Profile.person_id == profile.ident))
    store_profiles(session, [profile], new=True)
    generation = _next_generation(session)
    _STATS.rewritten(session, old, set(_stored_keys(profile)), generation)


def _next_generation(session: Session) -> int:
    """Count one more rewrite of the index, in one atomic increment; the new generation."""
    _index_state(session)
    return int(
        session.execute(
            update(m.IndexState)
            .where(m.IndexState.id == 1)
            .values(generation=m.IndexState.generation + 1)
            .returning(m.IndexState.generation)
            .execution_options(synchronize_session=False)
        ).scalar_one()
    )


def _index_state(session: Session) -> m.IndexState:
    """The index's version row, made on first use (migration 0007 made it, as version 1, in
    a database indexed before versions were kept)."""
    state = session.get(m.IndexState, 1)
    if state is None:
        # two intakes on a fresh database may both get here
        insert_if_absent(session, m.IndexState, "id", id=1, name_model=NAME_MODEL)
        state = session.get(m.IndexState, 1)
        assert state is not None  # noqa: S101 -- inserted or left by another transaction
    return state


_NAME_MODEL_BUILT = select(_STATE.c.name_model).where(_STATE.c.id == 1)


def index_is_current(session: Session) -> bool:
    """Was the index built by this version of the name model? (Read as a plain row, not an
    entity: each search asks.)"""
    built = session.execute(_NAME_MODEL_BUILT).scalar()
    return built is None or built == NAME_MODEL


def unindexed_person_ids(session: Session) -> list[int]:
    from custodia.registry.models import Person

    person = Person.__table__
    stmt = (
        select(person.c.id)
        .where(~person.c.id.in_(select(_PROFILE.c.person_id)))
        .order_by(person.c.id)
    )
    return list(session.scalars(stmt))


def ensure_indexed(
    session: Session, progress: Callable[[int, int], None] | None = None, *, rebuild: bool = False
) -> int:
    """Index every registered person not indexed yet; every person with ``rebuild`` or when
    the index was built by another version of the name model (``NAME_MODEL``). Returns how
    many were indexed."""
    state = _index_state(session)
    if rebuild or state.name_model != NAME_MODEL:
        session.execute(delete(m.NameKey))
        session.execute(delete(m.Profile))
        state.name_model = NAME_MODEL
        _STATS.clear()
    missing = unindexed_person_ids(session)
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        persons = registry.get_persons(session, person_ids=chunk)
        store_profiles(session, [profile_of_person(persons[i]) for i in chunk if i in persons])
        if progress:
            progress(min(start + CHUNK, len(missing)), len(missing))
    if missing:  # only the index's tables: a ledger of millions of events need not be
        vacuum_after_commit(session, (m.NameKey.__tablename__, m.Profile.__tablename__))
    return len(missing)


@dataclass
class _Stats:
    state: tuple[int, int, int]  # persons counted, highest id, generation
    df: dict[str, int]  # name keys (skeletons)
    rank_df: dict[str, int]  # spelling, birth-year and nationality keys (Profile.rank_keys)
    weigh: Weigher
    near: dict[str, tuple[str, ...]]
    grown: int = 0  # persons added to the counts since they were last read in full


class _StatsCache:
    """Key frequencies per database: counted once, then grown by the keys of the persons
    indexed since (an intake adds a few; recounting 700,000 keys for each would cost more
    than the intake's own search), and counted afresh when the index changed otherwise or
    has grown by ``GROWN_MAX`` persons (so the keys of an intake whose transaction was
    rolled back after it grew the counts are not kept for long)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_db: dict[str, _Stats] = {}

    def clear(self) -> None:
        with self._lock:
            self._by_db.clear()

    def rewritten(self, session: Session, old: set[str], new: set[str], generation: int) -> None:
        """One person's keys went from ``old`` to ``new`` in rewrite ``generation``: counts
        read at the generation before take the difference; any others are dropped."""
        url = str(session.get_bind().engine.url)
        with self._lock:
            stats = self._by_db.pop(url, None)
        if stats is None or stats.state[2] != generation - 1:
            return
        df, rank_df = dict(stats.df), dict(stats.rank_df)
        new_vocabulary = False
        for key, step in [*((k, -1) for k in old - new), *((k, 1) for k in new - old)]:
            target = rank_df if key[:1] in RANK_KEY_MARKS else df
            new_vocabulary |= target is df and key not in df
            target[key] = target.get(key, 0) + step
            if not target[key]:
                del target[key]  # as a count afresh would leave it
        count, top, _ = stats.state
        near = {} if new_vocabulary else stats.near
        weigh = idf_weigher(df, count)
        state = (count, top, generation)
        with self._lock:
            self._by_db[url] = _Stats(state, df, rank_df, weigh, near, stats.grown)

    def get(self, session: Session) -> _Stats:
        # The highest indexed id changes whenever persons are indexed (ids only grow), the
        # generation whenever indexed persons are rewritten, in any process.
        top, generation = session.execute(_TOP).one()
        top, generation = int(top or 0), int(generation or 0)
        url = str(session.get_bind().engine.url)
        with self._lock:
            stats = self._by_db.get(url)
        if stats is None or stats.state[1:] != (top, generation):
            stats = _grown(session, stats, top, generation) or _counted(session, top, generation)
            with self._lock:
                self._by_db[url] = stats
        return stats


def _counted(session: Session, top: int, generation: int) -> _Stats:
    count = count_indexed(session)
    df: dict[str, int] = {}
    rank_df: dict[str, int] = {}
    for key, n in session.execute(_DF).tuples():
        (rank_df if key[:1] in RANK_KEY_MARKS else df)[key] = int(n)
    return _Stats((count, top, generation), df, rank_df, idf_weigher(df, count), {})


def _grown(session: Session, stats: _Stats | None, top: int, generation: int) -> _Stats | None:
    """``stats`` plus the keys of the persons indexed after its highest id (ids only grow),
    or None when it is time to count afresh (persons were rewritten: another generation)."""
    if stats is None or top < stats.state[1] or generation != stats.state[2]:
        return None
    since = {"top": stats.state[1]}
    added = int(session.execute(_COUNT_SINCE, since).scalar() or 0)
    if stats.grown + added > GROWN_MAX:
        return None
    df, rank_df = dict(stats.df), dict(stats.rank_df)
    new_vocabulary = False
    for key, n in Counter(session.scalars(_KEYS_SINCE, since)).items():
        target = rank_df if key[:1] in RANK_KEY_MARKS else df
        new_vocabulary |= target is df and key not in df
        target[key] = target.get(key, 0) + n
    # near spellings are remembered per key over the vocabulary: a new key may be one
    near = {} if new_vocabulary else stats.near
    count = stats.state[0] + added
    return _Stats(
        (count, top, generation), df, rank_df, idf_weigher(df, count), near, stats.grown + added
    )


_STATS = _StatsCache()


def weigher(session: Session) -> Weigher:
    return _STATS.get(session).weigh


def count_indexed(session: Session) -> int:
    return int(session.execute(_COUNT).scalar() or 0)


def all_person_ids(session: Session) -> list[int]:
    return list(session.scalars(select(_PROFILE.c.person_id).order_by(_PROFILE.c.person_id)))


def load_profiles(
    session: Session, ids: Sequence[int], *, batch: bool = False
) -> dict[int, Profile]:
    """The stored profiles of ``ids``; ``batch`` for a job over the whole registry, which
    parses mothers' names through ``parse_name``'s cache (``Profile.from_json``) and loads
    with the collector paused (``collector_paused``)."""
    out: dict[int, Profile] = {}
    with collector_paused() if batch else nullcontext():
        for start in range(0, len(ids), CHUNK):
            rows = session.execute(_PROFILES, {"ids": list(ids[start : start + CHUNK])}).tuples()
            for person_id, data in rows:
                out[person_id] = Profile.from_json(
                    person_id, json.loads(data), stored_mother=not batch
                )
    return out


def holders(session: Session, *, every: Collection[str], some: Collection[str]) -> list[int]:
    """Persons whose index holds every key of ``every`` and at least one of ``some`` (the
    records of a birthplace and birth years: ``#p`` and ``#y`` keys), by id."""
    if not every or not some:
        return []
    all_of = (
        select(_KEY.c.person_id)
        .where(_KEY.c.key.in_(sorted(every)))
        .group_by(_KEY.c.person_id)
        .having(func.count() == len(set(every)))
    )
    any_of = select(_KEY.c.person_id).where(_KEY.c.key.in_(sorted(some)))
    return sorted(set(session.scalars(all_of)) & set(session.scalars(any_of)))


def key_counts(session: Session, keys: Iterable[str]) -> tuple[int, dict[str, int]]:
    """How many persons the index holds, and how many it holds each of ``keys`` for (a name
    part, a birth year ``#y1985``, a part of a birthplace ``#p..`` or of a mother's name
    ``#m..``)."""
    stats = _STATS.get(session)
    return stats.state[0], {
        k: (stats.rank_df if k[:1] in RANK_KEY_MARKS else stats.df).get(k, 0) for k in keys
    }


def looks_up(dialect: str, common: Mapping[str, int]) -> bool:
    """Whether a ``common`` key's holders among the fetched persons are looked up by the
    primary key rather than read from its whole range and filtered. PostgreSQL looks them up
    (a Mohammed held 8,655 times: 5 ms against 11 for the same query filtering the range).
    SQLite reads the range while the key is held at most ``SQLITE_RANGE_MAX`` times (6 ms
    against 7.5 for that Mohammed); past it the range costs more than the lookups, which the
    fetch bounds: the scenario's index repeated twice (Mohammed 17,310 times) 12-20 ms
    against 12-18, four times 16-29 against 12-24, 21 times 31-100 against 7-33."""
    return dialect == "postgresql" or any(n > SQLITE_RANGE_MAX for n in common.values())


def _keys_in(name: str) -> ColumnElement[bool]:
    """The key among a list bound at each run (``_ranking_params``)."""
    return _KEY.c.key.in_(bindparam(name, expanding=True))


def _held_keys(dialect: str, by_lookup: bool) -> Subquery:
    """The (key, person) rows of the weighed keys; of a key that fetches no one only its
    holders among the persons holding a fetched key: it ranks them, and a person holding no
    fetched key is no candidate (its rows were read, summed and dropped, 4,194 persons of
    6,927 for "Salih Isa Ibrahim al-Umari"). A ``common`` key's holders are looked up by the
    primary key, the others read from their ranges and filtered (``looks_up``); PostgreSQL
    reads them all as its planner chooses, a hash semi-join on the fetched persons."""
    fetched = select(_KEY.c.person_id).where(_keys_in("fetch"))
    rows = select(_KEY.c.key, _KEY.c.person_id)
    if by_lookup and dialect == "postgresql":
        return union_all(
            rows.where(_keys_in("fetch")),
            rows.where(_keys_in("ranking_only"), _KEY.c.person_id.in_(fetched)),
        ).subquery("held")
    # an OR, so that SQLite reads each key's range and filters it, not looks every fetched
    # person up in it
    among_fetched = or_(_keys_in("fetch"), _KEY.c.person_id.in_(fetched))
    if by_lookup:
        return union_all(
            rows.where(_keys_in("not_common"), among_fetched),
            rows.where(_keys_in("common"), _KEY.c.person_id.in_(fetched)),
        ).subquery("held")
    return rows.where(_keys_in("weighed"), among_fetched).subquery("held")


def _weights_table(dialect: str) -> CTE:
    """The query's keys as a table (key, weight, fetched, part), passed as one JSON parameter
    (``_ranking_params``). A row of literals each would make every query's statement of its
    own shape: each shape compiled, and its compiled form cached with thousands of objects
    the collector walks."""
    if dialect == "postgresql":
        table = func.json_to_recordset(cast(bindparam("weights", type_=String), JSON))
        return select(
            table.table_valued(
                column("key", String),
                column("weight", BigInteger),
                column("fetched", Integer),
                column("part", String),
                name="r",
            ).render_derived(with_types=True)
        ).cte("w")
    each = func.json_each(bindparam("weights", type_=String)).table_valued("value", name="r")
    columns = (
        func.json_extract(each.c.value, f"$.{name}").label(name)
        for name in ("key", "weight", "fetched", "part")
    )
    # materialized: SQLite would otherwise read the JSON again for each index row it joins
    return select(*columns).cte("w").prefix_with("MATERIALIZED")


@functools.cache
def _ranked(dialect: str, by_lookup: bool) -> Select[tuple[int]]:
    """Persons holding a fetched key, best first by the summed weight of the query parts they
    share, each part at its best key (the weights joined in as a small table), at most
    ``limit``. A key that fetches no one is read among the fetched persons only
    (``_held_keys``). Built once for each way it reads, the query's keys bound at each run
    (``_ranking_params``): building the statement and its cache key each time cost the
    ranking 3.6 ms of CPU, against 1.0 ms now (986 queries on PostgreSQL)."""
    table = _weights_table(dialect)
    held = _held_keys(dialect, by_lookup)
    by_part = (
        select(
            held.c.person_id,
            func.max(table.c.weight).label("weight"),
            func.max(table.c.fetched).label("fetched"),
        )
        .join(table, table.c.key == held.c.key)
        .group_by(held.c.person_id, table.c.part)
        .subquery("by_part")
    )
    return (
        select(by_part.c.person_id)
        .group_by(by_part.c.person_id)
        .having(func.max(by_part.c.fetched) == 1)
        .order_by(func.sum(by_part.c.weight).desc(), by_part.c.person_id)
        .limit(bindparam("limit", type_=Integer))
    )


def _ranking_params(plan: RankingPlan, limit: int) -> dict[str, object]:
    """What ``_ranked`` binds for ``plan``. The weights are whole millionths: summed exactly,
    so that persons tied on the weight they share come out in the same order (by id)
    whatever plan the database chose."""
    fetched, parts = set(plan.fetch), plan.parts
    weights = json.dumps(
        [
            {"key": k, "weight": round(w * 1e6), "fetched": int(k in fetched), "part": parts[k]}
            for k, w in sorted(plan.weights.items())
        ]
    )
    weighed, common = set(plan.weights), set(plan.common)
    return {
        "weights": weights,
        "fetch": sorted(fetched),
        "weighed": sorted(weighed),
        "ranking_only": sorted(weighed - fetched),
        "not_common": sorted(weighed - common),
        "common": sorted(common),
        "limit": limit,
    }


def _ranking_plan(stats: _Stats, query: Profile) -> RankingPlan:
    exact = as_stored(query_keys(query))
    keys = near_keys(exact, stats.df.keys(), stats.near)
    known = {k: stats.df[k] for k in keys if k in stats.df}
    held = {k: stats.rank_df[k] for k in as_stored(query_rank_keys(query)) if k in stats.rank_df}
    return plan_ranking(query, exact, known, held, max(stats.state[0], 1))


def ranking_plan(session: Session, query: Profile) -> RankingPlan:
    """The keys and weights that rank the candidates of ``query`` in this database."""
    return _ranking_plan(_STATS.get(session), query)


def ranked_ids(
    session: Session,
    plan: RankingPlan,
    *,
    limit: int = MAX_CANDIDATES,
    by_lookup: bool | None = None,
) -> list[int]:
    """The persons a plan fetches, best first, at most ``limit``. The ranking runs in the
    database, so only those ids come back; the common keys are read as ``by_lookup`` says,
    by default as suits the database (``looks_up``)."""
    if not plan.fetch:
        return []
    dialect = session.get_bind().dialect.name
    if by_lookup is None:
        by_lookup = looks_up(dialect, plan.common)
    return list(session.scalars(_ranked(dialect, by_lookup), _ranking_params(plan, limit)))


def _plausible_candidates(
    session: Session, query: Profile, candidates: int
) -> tuple[list[Profile], Weigher]:
    """The persons that share a (near) key with the query, at most ``candidates``, best
    first by shared key weight, that could be the person; and the weigher to score them."""
    stats = _STATS.get(session)
    ids = ranked_ids(session, _ranking_plan(stats, query), limit=candidates)
    profiles = load_profiles(session, ids)
    vocab = stats.df.keys()

    def near(key: str) -> set[str]:
        return near_keys({key}, vocab, stats.near)

    kept = [
        profiles[i]
        for i in ids
        if i in profiles and plausible(query, profiles[i], stats.weigh, near)
    ]
    return kept, stats.weigh


def search(
    session: Session, query: Profile, *, limit: int, candidates: int = MAX_CANDIDATES
) -> list[Scored]:
    """Score the query against the persons that share a (near) key with it."""
    kept, weigh = _plausible_candidates(session, query, candidates)
    return rank(query, kept, weigh, limit=limit)


def search_identities(
    session: Session,
    query: Profile,
    *,
    limit: int,
    identity_of: Callable[[Collection[int]], dict[int, int]],
    candidates: int = MAX_CANDIDATES,
) -> list[tuple[Scored, Profile, int]]:
    """The best ``limit`` identities for the query, one record each (its best), with the
    record's profile and its identity (``identity_of``: record -> surviving record). Every
    candidate is scored; only the ones returned are explained."""
    kept, weigh = _plausible_candidates(session, query, candidates)
    compared = [c for c in compared_best_first(query, kept, weigh) if c.score > 0]
    roots = identity_of([c.ident for c in compared])
    by_id = {c.ident: c for c in kept}
    out: list[tuple[Scored, Profile, int]] = []
    seen: set[int] = set()
    for c in compared:
        root = roots.get(c.ident, c.ident)
        if root in seen:
            continue
        seen.add(root)
        out.append((c.scored(), by_id[c.ident], root))
        if len(out) == limit:
            break
    return out
