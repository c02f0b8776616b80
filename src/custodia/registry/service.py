"""The registry room's public functions: organizations, users and tokens, facilities,
persons with their names, nationalities and documents, households."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from custodia.access import service as access
from custodia.db import driver_rows, in_list, utc_now
from custodia.errors import Conflict, Invalid, NotFound, Unauthorized
from custodia.registry import lookup
from custodia.registry import models as m
from custodia.registry.countries import check_country_codes
from custodia.registry.dates import parse_partial_date
from custodia.registry.names import fold, has_arabic, name_tokens
from custodia.registry.policy import Policy
from custodia.registry.schemas import (
    Actor,
    FacilityIn,
    FacilityOut,
    NameAddIn,
    NameWithdrawalIn,
    OrganizationIn,
    OrganizationOut,
    PersonIn,
    PersonMatches,
    PersonOut,
    PersonQuery,
    RegisteredPersonOut,
    ThreatLevelIn,
    TokenInfo,
    UserIn,
    UserOut,
)

TOKEN_PREFIX = "cst_"  # noqa: S105 -- a public prefix that marks Custodia tokens, not a secret


# --- organizations, users, tokens ------------------------------------------------------


def create_organization(
    session: Session, *, org_in: OrganizationIn, actor_id: int | None = None
) -> OrganizationOut:
    check_country_codes([org_in.country])
    if session.scalar(select(m.Organization.id).where(m.Organization.code == org_in.code)):
        raise Conflict(f"an organization with code {org_in.code!r} already exists")
    org = m.Organization(**org_in.model_dump())
    session.add(org)
    session.flush()
    access.record_action(
        session,
        actor_id=actor_id,
        action="create_organization",
        subject=f"organization:{org.id}",
        detail=org_in.code,
    )
    return OrganizationOut.model_validate(org)


def list_organizations(session: Session) -> list[OrganizationOut]:
    rows = session.scalars(select(m.Organization).order_by(m.Organization.id))
    return [OrganizationOut.model_validate(row) for row in rows]


def get_organization_by_code(session: Session, *, code: str) -> OrganizationOut:
    org = session.scalar(select(m.Organization).where(m.Organization.code == code))
    if org is None:
        known = ", ".join(o.code for o in list_organizations(session)) or "none yet"
        raise NotFound(f"no organization with code {code!r} (known: {known})")
    return OrganizationOut.model_validate(org)


def create_user(session: Session, *, user_in: UserIn, actor_id: int | None = None) -> UserOut:
    if session.get(m.Organization, user_in.organization_id) is None:
        raise NotFound(f"no organization with id {user_in.organization_id}")
    if session.scalar(select(m.User.id).where(m.User.username == user_in.username)):
        raise Conflict(f"user {user_in.username!r} already exists")
    user = m.User(**user_in.model_dump(), created_at=utc_now())
    session.add(user)
    session.flush()
    access.record_action(
        session,
        actor_id=actor_id,
        action="create_user",
        subject=f"user:{user.id}",
        detail=f"{user_in.username} ({user_in.role})",
    )
    return UserOut.model_validate(user)


def list_users(session: Session) -> list[UserOut]:
    """Every user with role and organization: the audit log and the ledger name users by
    id, and a monitor reads who is who here."""
    rows = session.scalars(select(m.User).order_by(m.User.id))
    return [UserOut.model_validate(row) for row in rows]


def usernames(session: Session, *, user_ids: Collection[int]) -> dict[int, str]:
    """User id -> username, for saying who did something."""
    if not user_ids:
        return {}
    rows = select(m.User.id, m.User.username).where(m.User.id.in_(sorted(set(user_ids))))
    return dict(session.execute(rows).tuples().all())


def get_user_by_username(session: Session, *, username: str) -> UserOut:
    user = session.scalar(select(m.User).where(m.User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return UserOut.model_validate(user)


def acting_user(session: Session, *, username: str, policy: Policy) -> UserOut:
    """The registered user an operator at the command line acts as, refused unless the
    role policy lets that user do what the command does: the record names who did it."""
    try:
        user = get_user_by_username(session, username=username)
    except NotFound:
        raise NotFound(
            f"no user named {username!r}: name the registered user who does this with --user "
            "(`custodia user create` registers one)"
        ) from None
    policy.check(username=user.username, role=user.role)
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, *, user_id: int, label: str = "api", actor_id: int | None = None
) -> str:
    """Create an API token; only its hash is stored, so the caller must show it now."""
    if session.get(m.User, user_id) is None:
        raise NotFound(f"no user with id {user_id}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        m.ApiToken(
            user_id=user_id,
            token_hash=_hash_token(token),
            label=label,
            created_at=utc_now(),
            revoked_at=None,
        )
    )
    session.flush()
    access.record_action(
        session, actor_id=actor_id, action="issue_token", subject=f"user:{user_id}", detail=label
    )
    return token


def list_tokens(session: Session, *, user_id: int) -> list[TokenInfo]:
    """The user's API tokens, oldest first, revoked ones too."""
    if session.get(m.User, user_id) is None:
        raise NotFound(f"no user with id {user_id}")
    rows = session.scalars(
        select(m.ApiToken).where(m.ApiToken.user_id == user_id).order_by(m.ApiToken.id)
    )
    return [TokenInfo.model_validate(row) for row in rows]


def revoke_token(
    session: Session, *, user_id: int, token_id: int, actor_id: int | None = None
) -> TokenInfo:
    """Revoke one of the user's API tokens: from now on it is refused (an API worker that
    accepted it within the last seconds may take it on trust a moment longer)."""
    token = session.get(m.ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(f"user {user_id} has no API token with id {token_id}")
    if token.revoked_at is not None:
        raise Conflict(
            f"API token {token_id} was revoked already, on {token.revoked_at:%Y-%m-%d %H:%M} UTC"
        )
    token.revoked_at = utc_now()
    session.flush()
    access.record_action(
        session,
        actor_id=actor_id,
        action="revoke_token",
        subject=f"user:{user_id}",
        detail=f"token {token_id} ({token.label})",
    )
    return TokenInfo.model_validate(token)


_USER = m.User.__table__
_API_TOKEN = m.ApiToken.__table__
# Prepared once: every API request authenticates, and building the statement would cost
# more than running it.
_TOKEN_HOLDER = (
    select(_USER.c.id, _USER.c.username, _USER.c.role, _USER.c.organization_id)
    .join(_API_TOKEN, _API_TOKEN.c.user_id == _USER.c.id)
    .where(_API_TOKEN.c.token_hash == bindparam("token_hash"), _API_TOKEN.c.revoked_at.is_(None))
)


def authenticate(session: Session, *, token: str) -> Actor:
    row = session.execute(_TOKEN_HOLDER, {"token_hash": _hash_token(token)}).first()
    if row is None:
        raise Unauthorized("the API token is unknown or revoked")
    return Actor(
        user_id=row.id, username=row.username, role=row.role, organization_id=row.organization_id
    )


# --- facilities -------------------------------------------------------------------------


def create_facility(
    session: Session, *, facility_in: FacilityIn, actor_id: int | None = None
) -> FacilityOut:
    if session.get(m.Organization, facility_in.authority_id) is None:
        raise NotFound(f"no organization with id {facility_in.authority_id} to control it")
    if session.scalar(select(m.Facility.id).where(m.Facility.code == facility_in.code)):
        raise Conflict(f"a facility with code {facility_in.code!r} already exists")
    facility = m.Facility(**facility_in.model_dump())
    session.add(facility)
    session.flush()
    access.record_action(
        session,
        actor_id=actor_id,
        action="create_facility",
        subject=f"facility:{facility.id}",
        detail=facility_in.code,
    )
    return FacilityOut.model_validate(facility)


def _current_threats(session: Session) -> dict[int, int]:
    latest = (
        select(m.ThreatLevel.facility_id, func.max(m.ThreatLevel.effective_at).label("at"))
        .group_by(m.ThreatLevel.facility_id)
        .subquery()
    )
    rows = session.execute(
        select(m.ThreatLevel.facility_id, m.ThreatLevel.level).join(
            latest,
            and_(
                latest.c.facility_id == m.ThreatLevel.facility_id,
                latest.c.at == m.ThreatLevel.effective_at,
            ),
        )
    )
    return {row.facility_id: row.level for row in rows}


def list_facilities(session: Session) -> list[FacilityOut]:
    threats = _current_threats(session)
    return [
        FacilityOut.model_validate(row).model_copy(update={"threat_level": threats.get(row.id)})
        for row in session.scalars(select(m.Facility).order_by(m.Facility.id))
    ]


def get_facility(session: Session, *, facility_id: int) -> FacilityOut:
    row = session.get(m.Facility, facility_id)
    if row is None:
        raise NotFound(f"no facility with id {facility_id}")
    level = session.scalar(
        select(m.ThreatLevel.level)
        .where(m.ThreatLevel.facility_id == facility_id)
        .order_by(m.ThreatLevel.effective_at.desc(), m.ThreatLevel.id.desc())
        .limit(1)
    )
    return FacilityOut.model_validate(row).model_copy(update={"threat_level": level})


_FACILITY = m.Facility.__table__
_FACILITY_LABELS = (
    select(_FACILITY.c.id, _FACILITY.c.code, _FACILITY.c.name)
    .where(_FACILITY.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_FACILITY.c.id)
)


def facility_labels(session: Session, *, facility_ids: Collection[int]) -> dict[int, str]:
    """Facility id -> "code name" for those of ``facility_ids`` that exist, by id."""
    ids = sorted(set(facility_ids))
    if not ids:
        return {}
    rows = session.execute(_FACILITY_LABELS, {"ids": ids}).tuples().all()
    return {facility_id: f"{code} {name}" for facility_id, code, name in rows}


def facility_authorities(session: Session) -> dict[int, int]:
    """Facility id -> the organization controlling it (cheap, for validating many moves)."""
    return dict(driver_rows(session, "SELECT id, authority_id FROM facility"))


def organization_ids(session: Session) -> set[int]:
    return set(session.scalars(select(m.Organization.__table__.c.id)))


def find_facility(session: Session, *, ref: str) -> FacilityOut:
    """A facility by id or by code (what a person types at a CLI)."""
    if ref.isdigit():
        return get_facility(session, facility_id=int(ref))
    facility_id = session.scalar(select(m.Facility.id).where(m.Facility.code == ref))
    if facility_id is None:
        raise NotFound(f"no facility with code {ref!r}")
    return get_facility(session, facility_id=facility_id)


def record_threat_level(
    session: Session, *, facility_id: int, threat_in: ThreatLevelIn, actor_id: int | None
) -> FacilityOut:
    get_facility(session, facility_id=facility_id)
    session.add(
        m.ThreatLevel(
            facility_id=facility_id,
            level=threat_in.level,
            effective_at=threat_in.effective_at or utc_now(),
            recorded_by=actor_id,
            note=threat_in.note,
        )
    )
    session.flush()
    return get_facility(session, facility_id=facility_id)


def threat_history(session: Session, *, facility_id: int) -> list[dict[str, Any]]:
    get_facility(session, facility_id=facility_id)
    rows = session.scalars(
        select(m.ThreatLevel)
        .where(m.ThreatLevel.facility_id == facility_id)
        .order_by(m.ThreatLevel.effective_at)
    )
    return [{"level": r.level, "effective_at": r.effective_at, "note": r.note} for r in rows]


# --- persons ----------------------------------------------------------------------------


def _person_row(person_in: PersonIn, now: Any) -> dict[str, Any]:
    dob = parse_partial_date(person_in.date_of_birth) if person_in.date_of_birth else None
    return {
        "category": person_in.category,
        "sex": person_in.sex,
        "dob_text": dob.text if dob else None,
        "dob_earliest": dob.earliest if dob else None,
        "dob_latest": dob.latest if dob else None,
        "risk_tier": person_in.risk_tier,
        "mother_name": person_in.mother_name,
        "place_of_birth": person_in.place_of_birth,
        "created_at": now,
    }


def register_persons(
    session: Session, *, persons_in: Sequence[PersonIn], actor_id: int | None = None
) -> list[int]:
    """Register many persons in bulk (Core inserts); returns their ids in input order."""
    return _register(session, persons_in, actor_id)[0]


def _register(
    session: Session, persons_in: Sequence[PersonIn], actor_id: int | None
) -> tuple[list[int], dict[int, list[int]]]:
    """The new ids in input order, and the review items intake raised, by new id."""
    if not persons_in:
        return [], {}
    for person_in in persons_in:
        check_country_codes(person_in.nationalities)
        check_country_codes([d.issuing_country for d in person_in.documents])
    now = utc_now()
    rows = [_person_row(p, now) for p in persons_in]
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        result = session.execute(
            insert(m.Person).returning(m.Person.id, sort_by_parameter_order=True),
            rows[start : start + 5000],
        )
        ids.extend(result.scalars().all())
    names: list[dict[str, Any]] = []
    tokens: list[dict[str, Any]] = []
    nationalities: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for person_id, person_in in zip(ids, persons_in, strict=True):
        seen: set[str] = set()
        for name in person_in.names:
            names.append({"person_id": person_id, **name.model_dump()})
            seen |= name_tokens(name.full_name)
        tokens.extend({"token": t, "person_id": person_id} for t in sorted(seen))
        nationalities.extend(
            {"person_id": person_id, "country": c} for c in person_in.nationalities
        )
        documents.extend({"person_id": person_id, **d.model_dump()} for d in person_in.documents)
    for table, values in (
        (m.PersonName, names),
        (m.NameToken, tokens),
        (m.Nationality, nationalities),
        (m.IdentityDocument, documents),
    ):
        for start in range(0, len(values), 10_000):
            session.execute(insert(table), values[start : start + 10_000])
    # Identity indexes the new names, screens them against loaded watchlists and, for a
    # small intake, queues the registry's likely duplicates of each (identity.intake).
    from custodia.identity import service as identity

    raised = identity.on_persons_registered(session, person_ids=ids, persons_in=persons_in)
    subject = f"person:{ids[0]}" if len(ids) == 1 else f"person:{ids[0]}..{ids[-1]}"
    access.record_action(
        session,
        actor_id=actor_id,
        action="register_persons",
        subject=subject,
        detail=f"{len(ids)} registered",
    )
    return ids, raised


def register_person(
    session: Session, *, person_in: PersonIn, actor_id: int | None = None
) -> RegisteredPersonOut:
    """Register one person; the answer names the review items intake raised for him
    (watchlist hits, likely duplicates already in the registry)."""
    (person_id,), raised = _register(session, [person_in], actor_id)
    person = get_person(session, person_id=person_id)
    return RegisteredPersonOut(**person.model_dump(), review_items=raised.get(person_id, []))


def add_person_name(
    session: Session, *, person_id: int, name_in: NameAddIn, actor_id: int | None = None
) -> RegisteredPersonOut:
    """Record a name learnt after registration (an alias given at interview, a kunya named
    in a report), with when, by whom and from what source. The record is searchable by it at
    once, and screened again: the answer names the review items the new name raised
    (watchlist hits, likely duplicates already in the registry)."""
    _lock_person(session, person_id)
    script = _script_of(name_in)
    held = session.scalars(
        select(m.PersonName.full_name).where(
            m.PersonName.person_id == person_id, m.PersonName.withdrawn_at.is_(None)
        )
    ).all()
    if fold(name_in.full_name) in {fold(n) for n in held}:
        raise Conflict(f"record {person_id} already has the name '{name_in.full_name}'")
    session.add(
        m.PersonName(
            person_id=person_id,
            kind=name_in.kind,
            script=script,
            full_name=name_in.full_name,
            recorded_at=utc_now(),
            recorded_by=actor_id,
            source=name_in.source,
        )
    )
    tokens = session.scalars(
        select(m.NameToken.token).where(m.NameToken.person_id == person_id)
    ).all()
    new_tokens = sorted(name_tokens(name_in.full_name) - set(tokens))
    if new_tokens:
        session.execute(
            insert(m.NameToken), [{"token": t, "person_id": person_id} for t in new_tokens]
        )
    session.flush()
    from custodia.identity import service as identity

    raised = identity.on_person_name_added(session, person_id=person_id, name=name_in.full_name)
    access.record_action(
        session,
        actor_id=actor_id,
        action="add_person_name",
        subject=f"person:{person_id}",
        detail=f"{name_in.kind.value} '{name_in.full_name}' from {name_in.source}",
    )
    person = get_person(session, person_id=person_id)
    return RegisteredPersonOut(**person.model_dump(), review_items=raised)


def withdraw_person_name(
    session: Session,
    *,
    person_id: int,
    name_id: int,
    withdrawal: NameWithdrawalIn,
    actor_id: int | None = None,
) -> PersonOut:
    """Withdraw a name recorded after registration that was found wrong: it stays on the
    record, marked with when, by whom and why, and no longer finds or screens the record.
    The names the record was registered under cannot be withdrawn; the review items the
    name raised stay, for the reviewer to decide."""
    _lock_person(session, person_id)
    name = session.get(m.PersonName, name_id)
    if name is None or name.person_id != person_id:
        raise NotFound(f"record {person_id} has no name with id {name_id}")
    if name.recorded_at is None:
        raise Conflict(
            f"'{name.full_name}' is a name record {person_id} was registered under: it stays "
            "as captured (a name recorded later can be withdrawn)"
        )
    if name.withdrawn_at is not None:
        raise Conflict(f"'{name.full_name}' was withdrawn already, on {name.withdrawn_at:%Y-%m-%d}")
    name.withdrawn_at = utc_now()
    name.withdrawn_by = actor_id
    name.withdrawal_reason = withdrawal.reason
    session.flush()
    _drop_stale_tokens(session, person_id)
    from custodia.identity import service as identity

    identity.on_person_name_withdrawn(session, person_id=person_id)
    access.record_action(
        session,
        actor_id=actor_id,
        action="withdraw_person_name",
        subject=f"person:{person_id}",
        detail=f"{name.kind.value} '{name.full_name}': {withdrawal.reason}",
    )
    return get_person(session, person_id=person_id)


def _drop_stale_tokens(session: Session, person_id: int) -> None:
    """Remove the search tokens of the person that no current name of theirs holds."""
    current = session.scalars(
        select(m.PersonName.full_name).where(
            m.PersonName.person_id == person_id, m.PersonName.withdrawn_at.is_(None)
        )
    ).all()
    kept = set().union(*(name_tokens(n) for n in current))
    session.execute(
        delete(m.NameToken).where(
            m.NameToken.person_id == person_id, m.NameToken.token.not_in(sorted(kept))
        )
    )


def _lock_person(session: Session, person_id: int) -> None:
    """Hold the person's row until the transaction ends, so two clerks recording one name
    for him at once record it once (PostgreSQL; SQLite writers take turns already); raise
    NotFound unless he is registered."""
    locked = select(_PERSON.c.id).where(_PERSON.c.id == person_id).with_for_update()
    if session.execute(locked).first() is None:
        raise NotFound(f"no person with id {person_id}")


def _script_of(name_in: NameAddIn) -> m.Script:
    """The script the name is written in: as given, or read from its letters; a name given
    as Latin but written in Arabic letters (or the reverse) is refused."""
    arabic = has_arabic(name_in.full_name)
    if name_in.script is None:
        return m.Script.ARABIC if arabic else m.Script.LATIN
    if arabic != (name_in.script == m.Script.ARABIC):
        letters = "Arabic" if arabic else "Latin"
        raise Invalid(
            f"the name '{name_in.full_name}' is written in {letters} letters, not in script "
            f"{name_in.script.value}: leave the script out and it is read from the letters"
        )
    return name_in.script


def get_person(session: Session, *, person_id: int) -> PersonOut:
    found = lookup.load_persons(session, [person_id])
    if not found:
        raise NotFound(f"no person with id {person_id}")
    return found[person_id]


def get_persons(session: Session, *, person_ids: Collection[int]) -> dict[int, PersonOut]:
    found: dict[int, PersonOut] = {}
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), lookup.CHUNK):
        found.update(lookup.load_persons(session, ids[start : start + lookup.CHUNK]))
    return found


_PERSON = m.Person.__table__  # Core, not ORM: this runs on every custody event


def missing_person_ids(session: Session, *, person_ids: Collection[int]) -> list[int]:
    """Those of ``person_ids`` that are not registered."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return []
    known: set[int] = set()
    for start in range(0, len(wanted), 900):
        chunk = tuple(wanted[start : start + 900])
        sql = "SELECT id FROM person WHERE id IN " + in_list(len(chunk))  # noqa: S608 -- marks
        rows = driver_rows(session, sql, chunk)
        known.update(pid for (pid,) in rows)
    return [pid for pid in wanted if pid not in known]


def ensure_person_exists(session: Session, *, person_id: int) -> None:
    """Raise NotFound unless the person is registered (cheaper than reading them)."""
    if missing_person_ids(session, person_ids=[person_id]):
        raise NotFound(f"no person with id {person_id}")


def nationals_born_in(session: Session, *, nationality: str, year: int) -> list[int]:
    """Persons of ``nationality`` whose date of birth (its earliest, for a range) falls in
    ``year``, by id: where a foreigner recorded under a nom de guerre may be sought."""
    stmt = (
        select(m.Nationality.person_id)
        .join(m.Person, m.Person.id == m.Nationality.person_id)
        .where(
            m.Nationality.country == nationality,
            m.Person.dob_earliest >= dt.date(year, 1, 1),
            m.Person.dob_earliest <= dt.date(year, 12, 31),
        )
    )
    return sorted(set(session.scalars(stmt)))


def count_born_within(session: Session, *, first: dt.date, last: dt.date) -> int:
    """How many persons' dates of birth are known to lie between ``first`` and ``last``
    (both included): born that day for a day, that month for a month."""
    stmt = select(func.count()).where(
        m.Person.dob_earliest >= first,
        m.Person.dob_earliest <= last,
        m.Person.dob_latest <= last,
    )
    return int(session.scalar(stmt) or 0)


def count_nationals(session: Session, *, nationality: str) -> int:
    stmt = select(func.count()).where(m.Nationality.country == nationality)
    return int(session.scalar(stmt) or 0)


def search_persons(
    session: Session, *, query: PersonQuery, restrict_to: Collection[int] | None = None
) -> tuple[list[PersonOut], int]:
    """Persons matching every word of ``query.name`` (as a word prefix) and the filters: the
    page ``query`` asks for, and how many matched in all (counted exactly)."""
    found = match_persons(session, query=query, restrict_to=restrict_to)
    return found.persons, found.total


def match_persons(
    session: Session,
    *,
    query: PersonQuery,
    restrict_to: Collection[int] | None = None,
    count_cap: int | None = None,
) -> PersonMatches:
    """Persons matching every word of ``query.name`` (as a word prefix) and the filters.

    With ``count_cap``, counting stops once more than ``max(count_cap, offset + limit)``
    persons matched (then ``total`` is that number and ``total_is_lower_bound`` is true), so
    a common name costs one bounded scan instead of a count of every match."""
    if query.nationality is not None:
        check_country_codes([query.nationality])  # 'ZZ' finds no one because it is no country
    if count_cap is None:
        total = lookup.count_matching(session, query=query, restrict_to=restrict_to)
        ids = lookup.matching_ids(session, query=query, restrict_to=restrict_to)
        more = False
    else:
        window = max(count_cap, query.offset + query.limit)
        ids, seen = lookup.matching_page(
            session, query=query, restrict_to=restrict_to, count_up_to=window + 1
        )
        more = seen > window
        total = min(seen, window)
    persons = get_persons(session, person_ids=ids)
    return PersonMatches(persons=[persons[i] for i in ids], total=total, total_is_lower_bound=more)


def count_persons(session: Session) -> int:
    return int(session.scalar(select(func.count(m.Person.id))) or 0)


# --- households -------------------------------------------------------------------------


def create_households(
    session: Session, *, households: Sequence[tuple[int, str, int | None, list[tuple[int, str]]]]
) -> list[int]:
    """Bulk-create camp households: (facility id, label, head person id, [(member, relation)])."""
    ids: list[int] = []
    for start in range(0, len(households), 5000):
        chunk = households[start : start + 5000]
        result = session.execute(
            insert(m.Household).returning(m.Household.id, sort_by_parameter_order=True),
            [
                {"facility_id": f, "label": label, "head_person_id": head}
                for f, label, head, _ in chunk
            ],
        )
        ids.extend(result.scalars().all())
    members = [
        {"household_id": hid, "person_id": pid, "relation": relation}
        for hid, (_, _, _, people) in zip(ids, households, strict=True)
        for pid, relation in people
    ]
    for start in range(0, len(members), 10_000):
        session.execute(insert(m.HouseholdMember), members[start : start + 10_000])
    return ids


def link_family(session: Session, *, links: Sequence[tuple[int, int, str, bool]]) -> None:
    """Bulk family links: (person, relative, relation of person to relative, separated)."""
    if not links:
        return
    rows = [
        {"person_id": a, "relative_id": b, "relation": r, "separated": s} for a, b, r, s in links
    ]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(m.FamilyLink), rows[start : start + 10_000])


_HOUSEHOLD = m.Household.__table__
_MEMBER = m.HouseholdMember.__table__
_HOUSEHOLD_OF = (
    select(_HOUSEHOLD.c.id, _HOUSEHOLD.c.label, _HOUSEHOLD.c.facility_id, _MEMBER.c.relation)
    .join(_MEMBER, _MEMBER.c.household_id == _HOUSEHOLD.c.id)
    .where(_MEMBER.c.person_id == bindparam("person_id"))
)
_MEMBERS = (
    select(_MEMBER.c.person_id, _MEMBER.c.relation)
    .where(_MEMBER.c.household_id == bindparam("household_id"))
    .order_by(_MEMBER.c.person_id)
)


def household_of(session: Session, *, person_id: int) -> dict[str, Any] | None:
    row = session.execute(_HOUSEHOLD_OF, {"person_id": person_id}).first()
    if row is None:
        return None
    members = session.execute(_MEMBERS, {"household_id": row.id}).tuples().all()
    return {
        "household_id": row.id,
        "label": row.label,
        "facility_id": row.facility_id,
        "relation": row.relation,
        "members": [{"person_id": p, "relation": r} for p, r in members],
    }


_MOTHERS = select(m.FamilyLink.relative_id, m.FamilyLink.person_id).where(
    m.FamilyLink.relation == "mother"
)


def registered_mothers(session: Session) -> dict[int, int]:
    """Child's person id -> the person id of the mother recorded with the child (camp
    households): what tells two children of one name and birth year apart."""
    return dict(session.execute(_MOTHERS).tuples().all())


def relatives_of(session: Session, *, person_ids: Collection[int]) -> dict[int, list[int]]:
    """For each of ``person_ids``, the persons recorded as their relatives (either direction
    of a family link)."""
    ids = sorted(set(person_ids))
    out: dict[int, list[int]] = {}
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        chunk = set(ids[start : start + 900])
        rows = session.execute(
            select(m.FamilyLink.person_id, m.FamilyLink.relative_id).where(
                m.FamilyLink.relative_id.in_(chunk) | m.FamilyLink.person_id.in_(chunk)
            )
        )
        for a, b in rows:
            if b in chunk:
                out.setdefault(b, []).append(a)
            if a in chunk:
                out.setdefault(a, []).append(b)
    return out
