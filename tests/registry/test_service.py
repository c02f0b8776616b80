"""The registry on a real database: finding people by name in either script, partial dates
of birth, country codes, and API tokens that are never stored in the clear."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict, Invalid, NotFound, Unauthorized
from custodia.registry import models as m
from custodia.registry import service as registry
from custodia.registry.models import FacilityKind, Role, Script
from custodia.registry.schemas import (
    Actor,
    DocumentIn,
    FacilityIn,
    NameIn,
    OrganizationIn,
    PersonIn,
    PersonQuery,
    UserIn,
)
from tests.conftest import World

BADRI = PersonIn(
    category="detainee",
    sex="M",
    date_of_birth="1987",
    nationalities=["IQ", "SY"],
    names=[
        NameIn(full_name="Ibrahim bin Awwad al-Badri"),
        NameIn(full_name="إبراهيم بن عواد البدري", script=Script.ARABIC),
        NameIn(kind="kunya", full_name="Abu Dua"),
    ],
    mother_name="Hassina",
    documents=[DocumentIn(kind="national_id", number="IQ-1234567", issuing_country="IQ")],
)
OTHERS = [
    PersonIn(category="detainee", nationalities=["FR"], names=[NameIn(full_name="Karim Benali")]),
    PersonIn(
        category="camp_resident",
        sex="F",
        date_of_birth="2012-03",
        nationalities=["IQ"],
        names=[NameIn(full_name="Amina Badr")],
    ),
    PersonIn(
        category="detainee",
        nationalities=["TN"],
        names=[NameIn(full_name="أحمد الزرقاوي", script=Script.ARABIC)],
    ),
]


@pytest.fixture
def people(world: World) -> dict[str, int]:
    with unit_of_work(world.engine) as session:
        badri = registry.register_person(session, person_in=BADRI).id
        karim, amina, ahmad = registry.register_persons(session, persons_in=OTHERS)
    return {"badri": badri, "karim": karim, "amina": amina, "ahmad": ahmad}


def search(world: World, **query: object) -> list[int]:
    with read_session(world.engine) as session:
        found, total = registry.search_persons(session, query=PersonQuery(**query))
    assert total == len(found)
    return [p.id for p in found]


# --- persons and names -------------------------------------------------------------------


def test_a_registered_person_reads_back_whole(world: World, people: dict[str, int]) -> None:
    with read_session(world.engine) as session:
        person = registry.get_person(session, person_id=people["badri"])
    assert person.primary_name == "Ibrahim bin Awwad al-Badri"
    assert [n.full_name for n in person.names] == [n.full_name for n in BADRI.names]
    assert person.names[1].script is Script.ARABIC
    assert person.date_of_birth == "1987"
    assert person.nationalities == ["IQ", "SY"]
    assert person.documents == BADRI.documents
    assert person.mother_name == "Hassina"


LATIN_QUERIES = [
    ("Badri", ["badri"]),
    ("badri", ["badri"]),
    ("al-Badri", ["badri"]),
    ("Ibrahim Badri", ["badri"]),
    ("awwad", ["badri"]),
    ("Abu Dua", ["badri"]),
    ("Badr", ["badri", "amina"]),
    ("Ibrāhīm", ["badri"]),
    ("Ibrahim Benali", []),
    ("Badrx", []),
    ("rahim", []),
]
ARABIC_QUERIES = [
    ("البدري", ["badri"]),
    ("بدري", ["badri"]),
    ("إبراهيم", ["badri"]),
    ("ابراهيم", ["badri"]),
    ("إِبْرَاهِيم البدري", ["badri"]),
    ("الزرقاوي", ["ahmad"]),
    ("زرقاوي", ["ahmad"]),
    ("أحمد", ["ahmad"]),
    ("احم", ["ahmad"]),
    ("عمر", []),
]


@pytest.mark.parametrize("queries", [LATIN_QUERIES, ARABIC_QUERIES], ids=["latin", "arabic"])
def test_names_are_found_by_a_word_prefix_in_their_script(
    world: World,
    people: dict[str, int],
    queries: list[tuple[str, list[str]]],
    subtests: pytest.Subtests,
) -> None:
    for query, who in queries:
        with subtests.test(query=query):
            assert search(world, name=query) == sorted(people[w] for w in who)


def test_search_filters_by_nationality_and_category(world: World, people: dict[str, int]) -> None:
    assert search(world, nationality="IQ") == sorted([people["badri"], people["amina"]])
    assert search(world, name="Badr", category="camp_resident") == [people["amina"]]
    assert search(world, name="Badr", nationality="SY") == [people["badri"]]


def test_search_pages_through_results(world: World, people: dict[str, int]) -> None:
    with read_session(world.engine) as session:
        page, total = registry.search_persons(session, query=PersonQuery(limit=2, offset=1))
    assert total == 4
    assert [p.id for p in page] == sorted(people.values())[1:3]


def test_a_partial_date_of_birth_is_stored_as_a_range(world: World, people: dict[str, int]) -> None:
    with read_session(world.engine) as session:
        row = session.get(m.Person, people["amina"])
        assert row is not None
        assert (row.dob_text, str(row.dob_earliest), str(row.dob_latest)) == (
            "2012-03",
            "2012-03-01",
            "2012-03-31",
        )


@pytest.mark.parametrize(
    ("dob", "says"), [("1987-02-30", "not a real date"), ("2090", "is in the future")]
)
def test_a_bad_date_of_birth_is_refused_and_nothing_is_stored(
    world: World, dob: str, says: str
) -> None:
    bad = BADRI.model_copy(update={"date_of_birth": dob})
    with pytest.raises(Invalid, match=says), unit_of_work(world.engine) as session:
        registry.register_person(session, person_in=bad)
    with read_session(world.engine) as session:
        assert registry.count_persons(session) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"nationalities": ["ZZ"]},
        {"nationalities": ["IQ", "QQ"]},
        {"documents": [DocumentIn(kind="passport", number="X1", issuing_country="AA")]},
    ],
    ids=["nationality", "second-nationality", "document"],
)
def test_a_country_that_does_not_exist_is_refused(world: World, change: dict[str, object]) -> None:
    bad = BADRI.model_copy(update=change)
    with pytest.raises(Invalid, match="ISO 3166-1"), unit_of_work(world.engine) as session:
        registry.register_person(session, person_in=bad)
    with read_session(world.engine) as session:
        assert registry.count_persons(session) == 0


@pytest.mark.parametrize("code", ["iq", "IRQ", "I1", ""])
def test_a_malformed_nationality_is_refused_at_the_boundary(code: str) -> None:
    with pytest.raises(ValidationError):
        PersonIn(category="detainee", nationalities=[code], names=[NameIn(full_name="X")])


def test_kosovo_is_accepted(world: World) -> None:
    with unit_of_work(world.engine) as session:
        person = registry.register_person(
            session,
            person_in=PersonIn(
                category="detainee",
                nationalities=["XK"],
                names=[NameIn(full_name="Arben Krasniqi")],
            ),
        )
    assert person.nationalities == ["XK"]


def test_an_organization_in_a_country_that_does_not_exist_is_refused(world: World) -> None:
    with pytest.raises(Invalid), unit_of_work(world.engine) as session:
        registry.create_organization(
            session,
            org_in=OrganizationIn(
                code="XX-MOJ", name="Nowhere", kind="receiving_government", country="ZZ"
            ),
        )


def test_a_person_needs_a_name(world: World) -> None:
    with pytest.raises(ValidationError):
        PersonIn(category="detainee", names=[])
    with pytest.raises(ValidationError, match="blank"):
        PersonIn(category="detainee", names=[NameIn(full_name="   ")])


def test_a_name_is_stored_with_its_spacing_tidied(world: World) -> None:
    with unit_of_work(world.engine) as session:
        person = registry.register_person(
            session,
            person_in=PersonIn(
                category="detainee", names=[NameIn(full_name="  Abu   Yahya  al-Iraqi ")]
            ),
        )
    assert person.primary_name == "Abu Yahya al-Iraqi"


def test_missing_person_ids_lists_only_the_unregistered(
    world: World, people: dict[str, int]
) -> None:
    with read_session(world.engine) as session:
        assert registry.missing_person_ids(
            session, person_ids=[people["karim"], 10_001, 10_000, people["karim"]]
        ) == [10_000, 10_001]
        with pytest.raises(NotFound):
            registry.get_person(session, person_id=10_000)


# --- organizations, facilities, users ------------------------------------------------------


def test_codes_and_usernames_are_unique(world: World) -> None:
    with pytest.raises(Conflict), unit_of_work(world.engine) as session:
        registry.create_organization(
            session,
            org_in=OrganizationIn(code="NESGF", name="Again", kind="guard_force", country="SY"),
        )
    with pytest.raises(Conflict), unit_of_work(world.engine) as session:
        registry.create_facility(
            session,
            facility_in=FacilityIn(
                code="HSK-01",
                name="Again",
                kind=FacilityKind.PRISON,
                town="Hasakah",
                latitude=36.5,
                longitude=40.75,
                capacity=10,
                authority_id=world.guard_force,
            ),
        )
    with pytest.raises(Conflict), unit_of_work(world.engine) as session:
        registry.create_user(
            session,
            user_in=UserIn(
                username="admin",
                display_name="Again",
                organization_id=world.guard_force,
                role=Role.ADMIN,
            ),
        )


def test_a_facility_needs_an_existing_authority(world: World) -> None:
    with pytest.raises(NotFound), unit_of_work(world.engine) as session:
        registry.create_facility(
            session,
            facility_in=FacilityIn(
                code="NEW-1",
                name="New",
                kind=FacilityKind.HOLDING_SITE,
                town="Raqqa",
                latitude=35.95,
                longitude=39.01,
                capacity=10,
                authority_id=9_999,
            ),
        )


def test_a_facility_is_found_by_id_or_code(world: World) -> None:
    with read_session(world.engine) as session:
        assert registry.find_facility(session, ref="QAM-01").id == world.prison_b
        assert registry.find_facility(session, ref=str(world.camp)).code == "HOL-C"
        with pytest.raises(NotFound):
            registry.find_facility(session, ref="NOPE")


# --- tokens ------------------------------------------------------------------------------


def issue(world: World, role: str = "custody_officer") -> str:
    with unit_of_work(world.engine) as session:
        return registry.issue_token(session, user_id=world.users[role], label="laptop")


def authenticate(world: World, token: str) -> Actor:
    with read_session(world.engine) as session:
        return registry.authenticate(session, token=token)


def test_a_token_identifies_its_user(world: World) -> None:
    token = issue(world, "monitor")
    actor = authenticate(world, token)
    assert actor.user_id == world.users["monitor"]
    assert actor.role is Role.MONITOR
    assert token.startswith("cst_")


def test_tokens_are_stored_only_as_hashes(world: World) -> None:
    token = issue(world)
    with world.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM api_token")).mappings().all()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in rows[0].values())
    assert all(token[4:20] not in str(value) for value in rows[0].values())


def test_every_issued_token_is_different(world: World) -> None:
    tokens = {issue(world) for _ in range(5)}
    assert len(tokens) == 5


@pytest.mark.parametrize("token", ["", "cst_", "cst_not-a-real-token", "Bearer x"])
def test_an_unknown_token_is_unauthorized(world: World, token: str) -> None:
    issue(world)
    with pytest.raises(Unauthorized):
        authenticate(world, token)


def test_a_revoked_token_is_unauthorized(world: World) -> None:
    kept, revoked = issue(world), issue(world)
    world.revoke_token(revoked)
    with pytest.raises(Unauthorized, match="unknown or revoked"):
        authenticate(world, revoked)
    assert authenticate(world, kept).user_id == world.users["custody_officer"]


def test_a_revoked_token_is_refused_from_then_on_and_listed_as_revoked(world: World) -> None:
    kept, lost = issue(world), issue(world)
    user = world.users["custody_officer"]
    with read_session(world.engine) as session:
        first, second = registry.list_tokens(session, user_id=user)
    with unit_of_work(world.engine) as session:
        registry.revoke_token(
            session, user_id=user, token_id=second.id, actor_id=world.users["admin"]
        )

    with pytest.raises(Unauthorized, match="unknown or revoked"):
        authenticate(world, lost)
    assert authenticate(world, kept).user_id == user
    with read_session(world.engine) as session:
        listed = registry.list_tokens(session, user_id=user)
    assert [(t.id, t.revoked_at is None) for t in listed] == [(first.id, True), (second.id, False)]
    with pytest.raises(Conflict, match="revoked already"), unit_of_work(world.engine) as session:
        registry.revoke_token(session, user_id=user, token_id=second.id)
    with pytest.raises(NotFound), unit_of_work(world.engine) as session:
        registry.revoke_token(session, user_id=world.users["monitor"], token_id=first.id)
    assert authenticate(world, kept).user_id == user  # neither refusal changed anything


def test_a_token_for_an_unknown_user_cannot_be_issued(world: World) -> None:
    with pytest.raises(NotFound), unit_of_work(world.engine) as session:
        registry.issue_token(session, user_id=9_999)
