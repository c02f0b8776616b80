"""Intake: a new record already in the registry under another spelling is queued for review
the moment it is registered, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from custodia.db import read_session, unit_of_work
from custodia.identity import index, intake
from custodia.identity import service as identity
from custodia.identity.names import parse_name
from custodia.identity.scoring import REVIEW_THRESHOLD, Profile, side_evidence
from custodia.registry import service as registry
from custodia.registry.models import NameKind
from custodia.registry.schemas import NameIn, PersonIn, RegisteredPersonOut
from tests.api.conftest import Api
from tests.identity.test_queue import person


def test_a_spelling_variant_at_intake_is_queued_against_the_record_already_held(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as session:
        (held,) = registry.register_persons(
            session, persons_in=[person("Musa Ammar Muhammad al-Ani", dob="1967-08-30")]
        )
    with unit_of_work(engine) as session:
        new = registry.register_person(
            session, person_in=person("Mousa Ammaar Mohammed Alaani", dob="1967")
        )
    with read_session(engine) as session:
        (item,) = identity.list_queue(session, person_id=new.id).items
    assert new.review_items == [item.id]
    assert item.kind == "duplicate" and item.sources == ["intake"]
    assert {item.person_a.person_id, item.person_b and item.person_b.person_id} == {held, new.id}
    assert any("date of birth" in line for line in item.evidence["intake"]["explanation"])


def test_a_namesake_born_a_generation_later_is_not_queued(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        registry.register_persons(
            session, persons_in=[person("Musa Ammar Muhammad al-Ani", dob="1967-08-30")]
        )
        other = registry.register_person(
            session, person_in=person("Musa Ammar Muhammad al-Ani", dob="1995-02-11")
        )
    assert other.review_items == []
    with read_session(engine) as session:
        assert identity.list_queue(session).total == 0


def test_a_record_merged_into_another_counts_once(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        a, b = registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri", dob="1971-03-02"),
                person("خالد حمزة الجبوري", dob="1971-03-02"),
            ],
        )
        (pair,) = identity.list_queue(session, person_id=b).items
        identity.decide(session, item_id=pair.id, decision="same", note="", actor_id=None)
    with unit_of_work(engine) as session:
        third = registry.register_person(
            session, person_in=person("Khaled Hamzah Aljubouri", dob="1971-03-02")
        )
    with read_session(engine) as session:
        (item,) = identity.list_queue(session, person_id=third.id).items
    assert third.review_items == [item.id]
    sides = [item.person_a, item.person_b]
    assert [x.survivor_id for x in sides if x is not None and x.person_id != third.id] == [a]


def test_namesakes_share_the_evidence_and_a_crowd_of_them_is_not_queued(engine: Engine) -> None:
    namesake = person("Muhammad Ahmad al-Jubouri", dob="1985")
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[namesake] * 3)
        (first, *_) = identity.list_queue(session).items
    assert any(
        "2 registry records match" in line for line in first.evidence["intake"]["explanation"]
    )
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[namesake] * 30)
        queued = identity.list_queue(session).total
        again = registry.register_person(session, person_in=namesake)
    assert again.review_items == []  # one of 33 alike: nothing to tell them apart
    with read_session(engine) as session:
        assert identity.list_queue(session).total == queued


def test_a_bulk_load_is_left_to_the_batch_job(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "DUPLICATE_CHECK_MAX", 2)
    variants = [
        person("Musa Ammar Muhammad al-Ani", dob="1967-08-30"),
        person("Mousa Ammaar Mohammed Alaani", dob="1967"),
        person("Yusuf Bilal al-Tunisi", dob="1990", nationality="TN"),
    ]
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=variants)
    with read_session(engine) as session:
        assert identity.list_queue(session).total == 0
    with unit_of_work(engine) as session:
        found = identity.dedupe(session)
    assert found.pairs_proposed == 1


def test_the_registration_route_names_what_intake_raised(api: Api) -> None:
    held = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971-03-02")
    response = api.post(
        "custody_officer",
        "/persons",
        json={
            "category": "detainee",
            "sex": "M",
            "nationalities": ["IQ"],
            "date_of_birth": "1971",
            "names": [{"full_name": "Khaled Hamzah Aljubouri"}],
        },
    )
    assert response.status_code == 201, response.text
    new, (item_id,) = response.json()["id"], response.json()["review_items"]
    queue = api.get("monitor", "/identity/queue", params={"person_id": new})
    assert queue.status_code == 200, queue.text
    (item,) = queue.json()["items"]
    assert item["id"] == item_id and item["sources"] == ["intake"]
    assert {item["person_a"]["person_id"], item["person_b"]["person_id"]} == {held, new}
    assert api.get("monitor", "/identity/queue", params={"person_id": held}).json()["total"] == 1


def test_search_after_intakes_scores_as_after_a_full_recount(engine: Engine) -> None:
    from custodia.identity import index

    arrivals = [
        person("Musa Ammar Muhammad al-Ani", dob="1967-08-30"),
        person("Yusuf Bilal al-Tunisi", dob="1990", nationality="TN"),
        person("Zhumabaev Dzhamal", dob="1988", nationality="KZ"),
        person("Musa Bilal Zhumabaev", dob="1990", nationality="KZ"),
    ]
    for arrival in arrivals:  # one intake each: the statistics grow by each new record
        with unit_of_work(engine) as session:
            registry.register_person(session, person_in=arrival)

    def scores() -> list[tuple[int, float]]:
        with read_session(engine) as session:
            found = identity.search_persons(session, name="Musa Zhumabaev", limit=10)
        return [(c.person_id, c.score) for c in found.candidates]

    grown = scores()
    index._STATS.clear()  # counted afresh from the database
    assert grown == scores() and len(grown) >= 2


def _strangers() -> list[PersonIn]:
    """Sixty Syrians of other towns and years: the rest of a registry."""
    places = ["Raqqa", "Deir ez-Zor", "Homs", "Aleppo", "Hasakah", "Tikrit", "Fallujah"]
    return [
        person(f"{given} Hassan al-Ubaidi", dob=str(1960 + i % 30), nationality="SY").model_copy(
            update={"place_of_birth": places[i % len(places)], "mother_name": f"Amina {i}"}
        )
        for i, given in enumerate(["Omar", "Yasin", "Bilal", "Talal", "Firas"] * 12)
    ]


def _known_only_as(nom_de_guerre: str, **fields: str) -> PersonIn:
    name = NameIn(full_name=nom_de_guerre, kind=NameKind.NOM_DE_GUERRE)
    return person(nom_de_guerre).model_copy(update={"names": [name], **fields})


def _queued_between(engine: Engine, arrived: RegisteredPersonOut, held: int) -> list[str]:
    """The one item intake raised for ``arrived``, naming ``held``: its reasons."""
    with read_session(engine) as session:
        (item,) = identity.list_queue(session, person_id=arrived.id).items
    assert arrived.review_items == [item.id]
    assert item.person_b is not None
    assert {item.person_a.person_id, item.person_b.person_id} == {held, arrived.id}
    return list(item.evidence["intake"]["explanation"])


def test_a_nom_de_guerre_at_intake_is_matched_on_birth_day_place_and_mother(
    engine: Engine,
) -> None:
    neighbours = [  # four other men of Mosul born in 1971, on other days
        person(f"{given} Salih al-Tai", dob=f"1971-0{m}-1{m}").model_copy(
            update={"place_of_birth": "Mosul", "mother_name": f"Huda {given}"}
        )
        for m, given in enumerate(["Qasim", "Rafi", "Nawaf", "Suhail"], start=4)
    ]
    where = {"place_of_birth": "Mosul", "mother_name": "Fatima Ali"}
    held = person("Khalid Hamza al-Jubouri", dob="1971-03-02").model_copy(update=where)
    with unit_of_work(engine) as session:
        *_, khalid = registry.register_persons(
            session, persons_in=[*_strangers(), *neighbours, held]
        )
    with unit_of_work(engine) as session:
        found = registry.register_person(
            session,
            person_in=_known_only_as("Abu Hamza al-Iraqi", date_of_birth="1971-03-02", **where),
        )
        elsewhere = registry.register_person(
            session,
            person_in=_known_only_as(
                "Abu Hamza al-Iraqi", date_of_birth="1985-07-01", place_of_birth="Mosul"
            ),
        )
    assert elsewhere.review_items == []  # nobody of Mosul born in 1985
    why = _queued_between(engine, found, khalid)
    assert any("same day of birth" in line for line in why)
    assert any("mother's name agrees" in line for line in why)


def test_a_foreigners_nom_de_guerre_without_a_birthplace_is_sought_among_his_nationals(
    engine: Engine,
) -> None:
    compatriots = [  # other Russians born in 1985, on other days
        person(name, dob=f"1985-0{m}-2{m}", nationality="RU")
        for m, name in enumerate(["Timur Aliev", "Islam Dudayev", "Adam Basayev"], start=4)
    ]
    mother = {"mother_name": "Zarema Magomedova"}
    held = person("Ruslan Magomedov", dob="1985-02-03", nationality="RU").model_copy(update=mother)
    with unit_of_work(engine) as session:
        *_, ruslan = registry.register_persons(
            session, persons_in=[*_strangers(), *compatriots, held]
        )
    alias = _known_only_as("Abu Muslim al-Shishani", date_of_birth="1985-02-03", **mother)
    with unit_of_work(engine) as session:
        found = registry.register_person(
            session, person_in=alias.model_copy(update={"nationalities": ["RU"]})
        )
    why = _queued_between(engine, found, ruslan)
    assert any("same day of birth" in line for line in why)
    assert any("nationality agrees" in line for line in why)
    assert any("mother's name agrees" in line for line in why)


def test_the_only_man_of_his_town_and_birth_day_is_found_behind_a_nom_de_guerre(
    engine: Engine,
) -> None:
    # Antwerp and 1976 hold one record: a day of birth is as rare as the registry's count of
    # it (his and the new record's), not as common as the year, as a block of two counted it
    belgian = {"place_of_birth": "Antwerp", "nationalities": ["BE"]}
    held = person("Youssef Benali", dob="1976-03-12").model_copy(update=belgian)
    with unit_of_work(engine) as session:
        *_, youssef = registry.register_persons(session, persons_in=[*_strangers(), held])
    alias = _known_only_as("Abu Dujana al-Baljiki", date_of_birth="1976-03-12")
    with unit_of_work(engine) as session:
        found = registry.register_person(session, person_in=alias.model_copy(update=belgian))
    why = _queued_between(engine, found, youssef)
    assert any(line.startswith("same day of birth 1976-03-12, 2 records share it") for line in why)
    # every record of Antwerp is Belgian: agreeing on it weighs nothing, and nothing less
    assert "nationality agrees, 100% of records hold it (+0.0 bits)" in why


def test_the_mothers_weighed_at_intake_are_read_as_the_index_stored_them(
    engine: Engine,
) -> None:
    """A check at intake compares the mothers of dozens of namesakes. Parsed through the
    cache of parsed names, each would stay there for the life of the server, for every full
    garbage collection to walk; the index keeps them parsed, as it keeps the names."""
    held = [
        person("Khalid Hamza al-Jubouri", dob="1971-03-02").model_copy(
            update={"place_of_birth": "Mosul", "mother_name": mother}
        )
        for mother in ("Fatimah Aly", "Zainab Hussein")
    ]
    arrival = person("Khaled Hamzah Jubouri", dob="1971").model_copy(
        update={"place_of_birth": "Mosul", "mother_name": "Fatima Ali"}
    )
    with unit_of_work(engine) as session:
        son, namesake, new = registry.register_persons(session, persons_in=[*held, arrival])
    with read_session(engine) as session:
        query = index.load_profiles(session, [new])[new]
        identity.search_persons(session, name="Khalid al-Jubouri")  # the key statistics
        parse_name.cache_clear()
        flagged = {s.ident: s.explanation for s in intake.duplicates_of(session, query)}
    assert "mother's name agrees" in flagged[son]
    assert namesake not in flagged or "mother's name differs" in flagged[namesake]
    # neither namesake's mother was kept: each is parsed afresh here (a miss)
    missed = parse_name.cache_info().misses
    parse_name("Fatimah Aly")
    parse_name("Zainab Hussein")
    assert parse_name.cache_info().misses == missed + 2


def test_an_index_written_before_it_kept_mothers_parsed_still_weighs_them(
    engine: Engine,
) -> None:
    """Profiles stored by an earlier version hold the mother's name as text only: it is
    parsed when weighed, and agrees or differs as before."""
    where = {"place_of_birth": "Mosul", "mother_name": "Fatimah Aly"}
    with unit_of_work(engine) as session:
        held, new = registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri", dob="1971-03-02").model_copy(update=where),
                person("Khaled Hamzah Jubouri", dob="1971").model_copy(
                    update={"place_of_birth": "Mosul", "mother_name": "Fatima Ali"}
                ),
            ],
        )
    with read_session(engine) as session:
        stored = index.load_profiles(session, [held, new])
    older = {
        ident: Profile.from_json(ident, {k: v for k, v in p.to_json().items() if k != "mt"})
        for ident, p in stored.items()
    }
    assert side_evidence(older[new], older[held]) == side_evidence(stored[new], stored[held])
    assert {"mother's name agrees", "place of birth agrees"} <= set(
        side_evidence(older[new], older[held])[1]
    )


def test_a_kunya_written_alike_does_not_outweigh_another_birthplace(engine: Engine) -> None:
    # Two men hold the kunya Abu Qatada: one of al-Qaim, one of Tikrit, both born in 1980.
    # A new record known only as "Abu Qatada Alansari" of al-Qaim is the first of them: the
    # Tikriti's kunya is written like it, but a man keeps his birthplace when recorded again
    def born(town: str) -> dict[str, object]:
        return {"place_of_birth": town, "mother_name": f"Amina of {town}"}

    qaim = person("Mustapha Musab Majed al-Taie", "Abu Qatada", dob="1980").model_copy(
        update=born("al-Qaim")
    )
    tikrit = person("Hamed Ziauddin Essam", "Abu Qatada al-Ansari", dob="1980").model_copy(
        update=born("Tikrit")
    )
    with unit_of_work(engine) as session:
        *_, mustapha, hamed = registry.register_persons(
            session, persons_in=[*_strangers(), qaim, tikrit]
        )
    with unit_of_work(engine) as session:
        arrived = registry.register_person(
            session,
            person_in=_known_only_as(
                "Abu Qatada Alansari", date_of_birth="1980", place_of_birth="al-Qaim"
            ),
        )
    why = _queued_between(engine, arrived, mustapha)
    assert any(line.startswith("kunya agrees") for line in why)
    with read_session(engine) as session:
        queued = identity.list_queue(session, person_id=arrived.id).items
    assert hamed not in {i.person_b and i.person_b.person_id for i in queued}


def test_a_spelling_of_a_man_born_elsewhere_loses_what_the_birthplace_weighs(
    engine: Engine,
) -> None:
    held = person("Musa Ammar Muhammad al-Ani", dob="1967").model_copy(
        update={"place_of_birth": "Ramadi"}
    )
    with unit_of_work(engine) as session:
        *_, held_id = registry.register_persons(session, persons_in=[*_strangers(), held])
    arrival = person("Mousa Ammaar Mohammed Alaani", dob="1967")
    with unit_of_work(engine) as session:
        same_town = registry.register_person(
            session, person_in=arrival.model_copy(update={"place_of_birth": "Ramadi"})
        )
        other_town = registry.register_person(
            session, person_in=arrival.model_copy(update={"place_of_birth": "Basra"})
        )
    assert len(same_town.review_items) == 1
    with read_session(engine) as session:
        profile = index.load_profiles(session, [other_town.id])[other_town.id]
        found = intake.kept_attributes_weighed(
            session, profile, index.search(session, profile, limit=5)
        )
    # as the batch job weighs it: a man keeps his birthplace when recorded again
    assert other_town.review_items == []
    (musa,) = (s for s in found if s.ident == held_id)
    assert musa.score < REVIEW_THRESHOLD
    assert musa.explanation[-1] == "place of birth differs (-4.3 bits)"


def test_the_nisba_of_a_nom_de_guerre_is_as_rare_as_among_all_his_nationals(
    engine: Engine,
) -> None:
    # Mosul and 1964 hold the man and one other: the share of his town and year holding
    # "al-Anbari" (his and the new record's) said 1 in 2, and the nisba weighed nothing
    mosul = {"place_of_birth": "Mosul"}
    iraqis = [  # forty Iraqis of Basra, none an Anbari
        person(f"{given} Kadhim al-Maliki", dob=str(1950 + i % 40)).model_copy(
            update={"place_of_birth": "Basra"}
        )
        for i, given in enumerate(["Ali", "Hussein", "Abbas", "Jaafar"] * 10)
    ]
    neighbour = person("Yunus Talib al-Hamdani", dob="1964-05-02").model_copy(update=mosul)
    held = person("Dhiya al-Din Zeyad al-Anbari", dob="1964").model_copy(update=mosul)
    with unit_of_work(engine) as session:
        *_, dhiya = registry.register_persons(
            session, persons_in=[*_strangers(), *iraqis, neighbour, held]
        )
    alias = _known_only_as("Abu Abd al-Rahman al-Anbari", date_of_birth="1964", **mosul)
    with unit_of_work(engine) as session:
        arrived = registry.register_person(
            session, person_in=alias.model_copy(update={"nationalities": ["IQ"]})
        )
    why = _queued_between(engine, arrived, dhiya)
    (nisba,) = (line for line in why if line.startswith("nisba of the nom de guerre agrees"))
    # 2 Anbaris among 43 Iraqis
    assert nisba.startswith("nisba of the nom de guerre agrees, 1 record in 22 holds it")
