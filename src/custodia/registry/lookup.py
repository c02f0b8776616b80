"""Reading persons on the API's hot path: prepared Core selects that load persons (one or a
page) with their names, nationalities and documents, and the word-prefix name search over
the token index.

The ORM's identity map and relationship loaders cost several times the queries themselves
on every look-up, and building a statement costs more than running a prepared one, so the
statements here are built once (per shape, for searches) and run with parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

from custodia.registry import models as m
from custodia.registry.names import fold, name_tokens
from custodia.registry.schemas import DocumentIn, NameOut, PersonOut, PersonQuery

CHUNK = 900  # ids per IN list, well under every backend's limit on bound parameters

_PERSON = m.Person.__table__
_NAME = m.PersonName.__table__
_NATIONALITY = m.Nationality.__table__
_DOCUMENT = m.IdentityDocument.__table__
_TOKEN = m.NameToken.__table__
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_ID: BindParameter[int] = bindparam("id")


@dataclass(frozen=True)
class _PersonSelects:
    """The four selects of :func:`load_persons`, for one shape of the id condition."""

    persons: Select[Any]
    names: Select[Any]
    nationalities: Select[Any]
    documents: Select[Any]


def _person_selects(ids: Callable[[ColumnElement[int]], ColumnElement[bool]]) -> _PersonSelects:
    person = _PERSON.c
    return _PersonSelects(
        persons=select(
            person.id,
            person.category,
            person.sex,
            person.dob_text,
            person.risk_tier,
            person.mother_name,
            person.place_of_birth,
        ).where(ids(person.id)),
        names=select(
            _NAME.c.person_id,
            _NAME.c.id,
            _NAME.c.kind,
            _NAME.c.script,
            _NAME.c.full_name,
            _NAME.c.ism,
            _NAME.c.nasab,
            _NAME.c.nisba,
            _NAME.c.kunya,
            _NAME.c.recorded_at,
            _NAME.c.recorded_by,
            _NAME.c.source,
            _NAME.c.withdrawn_at,
            _NAME.c.withdrawn_by,
            _NAME.c.withdrawal_reason,
        )
        .where(ids(_NAME.c.person_id))
        .order_by(_NAME.c.id),
        nationalities=select(_NATIONALITY.c.person_id, _NATIONALITY.c.country)
        .where(ids(_NATIONALITY.c.person_id))
        .order_by(_NATIONALITY.c.person_id, _NATIONALITY.c.country),
        documents=select(
            _DOCUMENT.c.person_id, _DOCUMENT.c.kind, _DOCUMENT.c.number, _DOCUMENT.c.issuing_country
        )
        .where(ids(_DOCUMENT.c.person_id))
        .order_by(_DOCUMENT.c.id),
    )


# A list of ids is an expanding IN, rendered anew for each length on every run; the look-up
# of one person (the API's most frequent read) compares with one bound id instead.
_MANY = _person_selects(lambda column: column.in_(_IDS))
_ONE = _person_selects(lambda column: column == _ID)


def load_persons(session: Session, ids: list[int]) -> dict[int, PersonOut]:
    """Those of the persons ``ids`` (at most ``CHUNK``) that exist, by id: four selects,
    whatever the number of persons."""
    selects, params = (_ONE, {"id": ids[0]}) if len(ids) == 1 else (_MANY, {"ids": ids})
    persons = session.execute(selects.persons, params).tuples().all()
    if not persons:
        return {}
    names: dict[int, list[NameOut]] = defaultdict(list)
    rows = session.execute(selects.names, params).tuples().all()
    for person_id, name_id, kind, script, full_name, ism, nasab, nisba, kunya, *later in rows:
        recorded_at, recorded_by, source, withdrawn_at, withdrawn_by, reason = later
        names[person_id].append(
            NameOut(
                id=name_id,
                kind=kind,
                script=script,
                full_name=full_name,
                ism=ism,
                nasab=nasab,
                nisba=nisba,
                kunya=kunya,
                recorded_at=recorded_at,
                recorded_by=recorded_by,
                source=source,
                withdrawn_at=withdrawn_at,
                withdrawn_by=withdrawn_by,
                withdrawal_reason=reason,
            )
        )
    nationalities: dict[int, list[str]] = defaultdict(list)
    for person_id, country in session.execute(selects.nationalities, params).tuples().all():
        nationalities[person_id].append(country)
    documents: dict[int, list[DocumentIn]] = defaultdict(list)
    for person_id, kind, number, country in (
        session.execute(selects.documents, params).tuples().all()
    ):
        documents[person_id].append(DocumentIn(kind=kind, number=number, issuing_country=country))
    return {
        person_id: PersonOut(
            id=person_id,
            category=category,
            sex=sex,
            date_of_birth=dob_text,
            nationalities=nationalities.get(person_id, []),
            risk_tier=risk_tier,
            names=names.get(person_id, []),
            mother_name=mother_name,
            place_of_birth=place_of_birth,
            documents=documents.get(person_id, []),
        )
        for person_id, category, sex, dob_text, risk_tier, mother_name, place_of_birth in persons
    }


# --- name search ------------------------------------------------------------------------

_Shape = tuple[int, bool, bool, bool]  # words; by nationality, by category, among given ids
_LIMIT = bindparam("limit", type_=Integer)
_OFFSET = bindparam("offset", type_=Integer)
_WINDOW = bindparam("window", type_=Integer)


@lru_cache(maxsize=64)
def _matching(shape: _Shape) -> Select[Any]:
    """Ids of the persons matching a search of this shape, in id order (parameters: a
    ``lo{i}``/``hi{i}`` token range per word, ``nationality``, ``category``, ``restrict``).

    A search by name is driven by the token index alone: the first word's range, each
    further word and filter an IN list. Probing the person table for every token of a
    common word took twice as long on the benchmark's names."""
    words, nationality, category, restricted = shape
    if words:
        matched = _TOKEN.alias("matched")
        ident = matched.c.person_id
        stmt = (
            select(ident.label("id"))
            .distinct()
            .where(matched.c.token >= bindparam("lo0"), matched.c.token < bindparam("hi0"))
        )
    else:
        ident = _PERSON.c.id
        stmt = select(ident)
    for i in range(1, words):
        stmt = stmt.where(
            ident.in_(
                select(_TOKEN.c.person_id).where(
                    _TOKEN.c.token >= bindparam(f"lo{i}"), _TOKEN.c.token < bindparam(f"hi{i}")
                )
            )
        )
    if nationality:
        stmt = stmt.where(
            ident.in_(
                select(_NATIONALITY.c.person_id).where(
                    _NATIONALITY.c.country == bindparam("nationality")
                )
            )
        )
    if category:
        if words:  # probe each match's person row rather than list every person of a category
            stmt = stmt.join(_PERSON, _PERSON.c.id == ident)
        stmt = stmt.where(_PERSON.c.category == bindparam("category"))
    if restricted:
        stmt = stmt.where(ident.in_(bindparam("restrict", expanding=True)))
    return stmt.order_by(ident)


@lru_cache(maxsize=64)
def _page(shape: _Shape) -> Select[Any]:
    return _matching(shape).limit(_LIMIT).offset(_OFFSET)


@lru_cache(maxsize=64)
def _count(shape: _Shape, capped: bool) -> Select[Any]:
    """How many match (parameter ``window``, when capped: at most that many)."""
    matching = _matching(shape).limit(_WINDOW) if capped else _matching(shape).order_by(None)
    return select(func.count()).select_from(matching.subquery())


@lru_cache(maxsize=64)
def _counted_page(shape: _Shape) -> Select[Any]:
    """The page, each row with how many match up to ``window``: one scan for both, and no
    more rows fetched than the page holds."""
    window = _matching(shape).limit(_WINDOW).subquery()
    return (
        select(window.c.id, func.count().over()).order_by(window.c.id).limit(_LIMIT).offset(_OFFSET)
    )


def _search(
    query: PersonQuery, restrict_to: Collection[int] | None
) -> tuple[_Shape, dict[str, Any]]:
    """The shape of the search and its parameters: every word of ``query.name`` is the
    prefix of a word of one of the person's names."""
    params: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
    words = (sorted(name_tokens(query.name)) or [fold(query.name)]) if query.name else []
    for i, word in enumerate(words):
        params[f"lo{i}"], params[f"hi{i}"] = word, word + "\U0010ffff"
    if query.nationality:
        params["nationality"] = query.nationality
    if query.category:
        params["category"] = query.category
    if restrict_to is not None:
        params["restrict"] = sorted(restrict_to)
    shape = (len(words), bool(query.nationality), bool(query.category), restrict_to is not None)
    return shape, params


def matching_ids(
    session: Session, *, query: PersonQuery, restrict_to: Collection[int] | None
) -> list[int]:
    """Ids of the persons matching ``query``, in id order: the page it asks for."""
    shape, params = _search(query, restrict_to)
    return list(session.scalars(_page(shape), params).all())


def count_matching(
    session: Session,
    *,
    query: PersonQuery,
    restrict_to: Collection[int] | None,
    up_to: int | None = None,
) -> int:
    """How many persons match ``query`` (its filters, not its paging), or ``up_to`` if more."""
    shape, params = _search(query, restrict_to)
    return int(session.scalar(_count(shape, up_to is not None), {**params, "window": up_to}) or 0)


def matching_page(
    session: Session, *, query: PersonQuery, restrict_to: Collection[int] | None, count_up_to: int
) -> tuple[list[int], int]:
    """The page of ids ``query`` asks for, and how many persons match, or ``count_up_to`` if
    more."""
    shape, params = _search(query, restrict_to)
    rows = session.execute(_counted_page(shape), {**params, "window": count_up_to}).all()
    if rows:
        return [person_id for person_id, _ in rows], int(rows[0][1])
    if query.offset == 0:
        return [], 0
    return [], count_matching(session, query=query, restrict_to=restrict_to, up_to=count_up_to)
