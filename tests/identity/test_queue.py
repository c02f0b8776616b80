"""Search, the review queue, decisions, merge and split, watchlist import and intake
screening, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from custodia.custody import rollcall
from custodia.custody.schemas import DeathIn, IntakeIn, ReleaseIn
from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict, NotFound
from custodia.identity import index, keys, queue
from custodia.identity import service as identity
from custodia.identity.models import IndexState, NameKey
from custodia.identity.names import NAME_MODEL, parse_name
from custodia.identity.schemas import ReviewItemOut
from custodia.registry import service as registry
from custodia.registry.models import NameKind, PersonCategory, Script, Sex
from custodia.registry.schemas import NameIn, PersonIn
from tests.conftest import World
from tests.custody.conftest import record, register

XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>IBRAHIM</FIRST_NAME><SECOND_NAME>AWWAD</SECOND_NAME>
<THIRD_NAME>IBRAHIM</THIRD_NAME><FOURTH_NAME>AL-BADRI AL-SAMARRAI</FOURTH_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.299</REFERENCE_NUMBER>
<NAME_ORIGINAL_SCRIPT>إبراهيم عواد إبراهيم البدري السامرائي</NAME_ORIGINAL_SCRIPT>
<NATIONALITY><VALUE>Iraqi</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>أبو دعاء (Abu Du’a; Abu Duaa’)</ALIAS_NAME>
</INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>Exact</TYPE_OF_DATE><YEAR>1971</YEAR>
</INDIVIDUAL_DATE_OF_BIRTH>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""


def person(*names: str, dob: str | None = "1971", nationality: str = "IQ") -> PersonIn:
    return PersonIn(
        category=PersonCategory.DETAINEE,
        sex=Sex.MALE,
        date_of_birth=dob,
        nationalities=[nationality],
        names=[
            NameIn(
                full_name=n,
                kind=NameKind.PRIMARY if i == 0 else NameKind.KUNYA,
                script=Script.ARABIC if any("\u0600" <= c <= "\u06ff" for c in n) else Script.LATIN,
            )
            for i, n in enumerate(names)
        ],
    )


@pytest.fixture
def three(engine: Engine) -> list[int]:
    with unit_of_work(engine) as session:
        return registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri", "Abu Hamza"),
                person("خالد حمزة الجبوري", dob="1971-03-02"),
                person("Yusuf Bilal al-Tunisi", dob="1990", nationality="TN"),
            ],
        )


def test_search_finds_a_person_across_scripts_with_explanations(
    engine: Engine, three: list[int]
) -> None:
    with read_session(engine) as session:
        found = identity.search_persons(session, name="Khaled Hamzah Jubouri", date_of_birth="1971")
    ids = [c.person_id for c in found.candidates]
    assert set(ids[:2]) == {three[0], three[1]}
    assert three[2] not in ids[:2]
    assert any("date of birth" in line for line in found.candidates[0].explanation)


def test_the_names_searched_for_do_not_fill_the_cache_of_registered_names(
    engine: Engine, three: list[int]
) -> None:
    """A server is asked for new names all day; each parsed name it kept would be walked by
    every full garbage collection. The names typed are parsed in a small cache of their
    own, and the registry's names keep theirs."""
    searched = [f"Khaled Hamzah Jubouri {suffix}" for suffix in ("Tikriti", "Ani", "Dulaimi")]
    with read_session(engine) as session:
        identity.search_persons(session, name="Khalid al-Jubouri")  # the key statistics
        kept = parse_name.cache_info().currsize
        for name in searched:
            found = identity.search_persons(session, name=name, date_of_birth="1971")
            assert found.candidates[0].person_id in three[:2]
    assert identity.compare_names(searched[0], "خالد حمزة الجبوري").match
    assert parse_name.cache_info().currsize == kept


def test_a_caucasian_or_central_asian_name_is_found_in_the_other_script(engine: Engine) -> None:
    # the -ov of a family name is وف in Arabic script: the records meet through the index
    with unit_of_work(engine) as session:
        saidov, _, yusupov = registry.register_persons(
            session,
            persons_in=[
                person("Rustam Saidov", nationality="TJ"),
                person("رستم سعيد", nationality="TJ"),  # Rustam Said: another man
                person("جاسور يوسوبوف", nationality="UZ"),
            ],
        )
    with read_session(engine) as session:
        by_arabic = identity.search_persons(session, name="رستم سعيدوف")
        by_cyrillic = identity.search_persons(session, name="Жасур Юсупов")
    assert by_arabic.candidates[0].person_id == saidov
    assert "the other script, v for f" in " ".join(by_arabic.candidates[0].explanation)
    assert [c.person_id for c in by_cyrillic.candidates][:1] == [yusupov]


@pytest.mark.parametrize(
    ("registered", "another_man", "searched", "how"),
    [
        # Russian writes the h of Hamzat and Habib as g: the passport's Gamzat Gabibov is the
        # prison's حمزات حبيبوف, found through the index before Hamza Habib
        (("Gamzat Gabibov", "RU"), ("حمزة حبيب", "RU"), "حمزات حبيبوف", "the Russian g for h"),
        # Libyan, Iraqi and Gulf Arabic say the qaf as a g: the Gaddafi a partner's list
        # writes is the prison's القذافي, found before an Egyptian Gamal (Jamal) of that name
        (("معمر القذافي", "LY"), ("Muammar Gamal", "EG"), "Muammar Gaddafi", "a g for a qaf"),
        # Tajik writes Allah -ullo: the passport's Nurullo is the camp's نور الله, found before
        # a Nur of the same family name
        (("نور الله ذاكروف", "TJ"), ("نور ذاكروف", "TJ"), "Nurullo Zokirov", "ullo~allah"),
        # Russian writes the h of Mahmud kh: Makhmudov is محمودوف, not Muhammad's محمدوف
        (("رسلان محمودوف", "RU"), ("رسلان محمدوف", "RU"), "Ruslan Makhmudov", "makhmudov~"),
        # Chechen has no f: the passport's Yusup is the prison's يوسف, found before another
        # man of the same family name
        (("يوسف تيمرخانوف", "RU"), ("رسلان تيمرخانوف", "RU"), "Yusup Temirkhanov", "a p for an f"),
        # Gadzhimurad grew from Haji Murad: the passport's name is the prison's حاجي مراد,
        # found before a Murad of the same family name
        (
            ("حاجي مراد عمروف", "RU"),
            ("مراد عمروف", "RU"),
            "Gadzhimurad Omarov",
            "a title written into the name",
        ),
        # Alireza is Ali Reza: the register's علي رضا, not Reza of the same family name
        (("علي رضا كريمي", "IR"), ("رضا كريمي", "IR"), "Alireza Karimi", "written as one word"),
    ],
    ids=[
        "dagestani-passport",
        "libyan-spoken-qaf",
        "tajik-passport",
        "russian-makhmudov",
        "chechen-passport",
        "title-in-the-name",
        "ali-in-the-name",
    ],
)
def test_a_man_registered_in_one_writing_is_found_by_his_name_written_as_another_says_it(
    engine: Engine,
    registered: tuple[str, str],
    another_man: tuple[str, str],
    searched: str,
    how: str,
) -> None:
    with unit_of_work(engine) as session:
        man, _ = registry.register_persons(
            session,
            persons_in=[
                person(registered[0], nationality=registered[1]),
                person(another_man[0], nationality=another_man[1]),
            ],
        )
    with read_session(engine) as session:
        found = identity.search_persons(session, name=searched)
    assert found.candidates[0].person_id == man
    assert how in " ".join(found.candidates[0].explanation)


_GIVEN = ["Khalid", "Umar", "Yusuf", "Salih", "Ibrahim", "Mahmud", "Mustafa", "Hamza", "Ziyad"]
_NISBAS = ["al-Jubouri", "al-Tikriti", "al-Dulaimi", "al-Obeidi", "al-Shammari", "al-Zaidi"]


def _first_found_after_a_crowd(
    engine: Engine, crowd: list[PersonIn], name: str, searches: list[str]
) -> tuple[int, list[int]]:
    """Register ``crowd``, then a man named ``name``: his id, and the first person each
    search finds."""
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=crowd)
    with unit_of_work(engine) as session:
        (target,) = registry.register_persons(session, persons_in=[person(name)])
    with read_session(engine) as session:
        found = [identity.search_persons(session, name=q, limit=3) for q in searches]
    return target, [f.candidates[0].person_id for f in found]


def test_a_name_of_common_parts_finds_its_man_among_the_namesakes_of_each_part(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a registry of 46,000, thousands are named Mohammed or Ali: more than one query
    # reads. A small registry stands in for it with a smaller reading budget. The Hassans are
    # fetched; the Mohammed and the Ali must still put the Hassan named Mohammed Ali first,
    # though he was registered after more Hassans than a search scores.
    monkeypatch.setattr(keys, "POSTINGS_BUDGET", 100)
    hassans = [
        person(f"Hassan {_GIVEN[i % 9]} {_GIVEN[(i // 9) % 9]} {_NISBAS[i % 6]}") for i in range(60)
    ]
    mohammeds = [
        person(f"Mohammed Ali {_GIVEN[i % 9]} {_NISBAS[(i // 9) % 6]}") for i in range(110)
    ]
    target, firsts = _first_found_after_a_crowd(
        engine,
        [*hassans, *mohammeds],
        "Hassan Mohammed Ali al-Ali",
        ["Hassan Mohammed Ali al-Ali", "حسن محمد علي العلي"],
    )
    assert firsts == [target, target]


def test_a_name_of_only_common_parts_finds_the_man_of_that_very_name(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every part of "Mohammed Al Hashemi" is held by more men than a query reads, so no
    # part can fetch him; 120 men hold both parts, more than a search scores, and were
    # registered before him. The whole name, and the two parts side by side, must.
    monkeypatch.setattr(keys, "POSTINGS_BUDGET", 100)
    apart = [person(f"Mohammed {_GIVEN[i % 9]} {_GIVEN[i // 9]} al-Hashemi") for i in range(60)]
    together = [person(f"{_GIVEN[i % 9]} {_GIVEN[i // 9]} Mohammed al-Hashemi") for i in range(60)]
    target, firsts = _first_found_after_a_crowd(
        engine,
        [*apart, *together],
        "Mohammed Al-Hashemi",
        ["Mohammed Al Hashemi", "محمد الهاشمي", "AL-HASHEMI, Mohamed"],
    )
    assert firsts == [target, target, target]


def test_common_parts_rank_alike_whether_read_whole_or_looked_up(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite reads a common part's holders whole up to a size and looks them up past it (a
    # registry of a million); PostgreSQL always looks them up. The answer is one.
    monkeypatch.setattr(keys, "POSTINGS_BUDGET", 100)
    crowd = [person(f"Mohammed {_GIVEN[i % 9]} Ali {_NISBAS[i // 9 % 6]}") for i in range(150)]
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=crowd)
    with read_session(engine) as session:
        read_whole = identity.search_persons(session, name="Mohammed Ziyad Ali al-Zaidi")
        monkeypatch.setattr(index, "SQLITE_RANGE_MAX", 0)
        looked_up = identity.search_persons(session, name="Mohammed Ziyad Ali al-Zaidi")
    assert [c.person_id for c in looked_up.candidates] == [
        c.person_id for c in read_whole.candidates
    ]
    assert looked_up.candidates[0].names[0] == "Mohammed Ziyad Ali al-Zaidi"


def test_the_persons_found_are_ranked_by_the_weight_they_share_however_the_keys_are_read(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The keys that fetch no one only rank the persons the others fetch: whether the database
    # reads them whole, filtered or looked up, the list is the one the rule gives (each
    # query part at the best key a person holds, summed), and no one is listed for them alone.
    monkeypatch.setattr(keys, "POSTINGS_BUDGET", 100)
    crowd = [
        person(f"Mohammed {_GIVEN[i % 9]} Ali {_NISBAS[i // 9 % 6]}", dob=("1971", "1985")[i % 2])
        for i in range(150)
    ]
    # born the year searched for, and sharing no name with the query: the year ranks, and
    # fetches no one
    others = [person(f"Bakr {given} al-Rawi", dob="1985") for given in _GIVEN * 2]
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=crowd + others)
    query = index.profile_of(
        0,
        names=[("Mohammed Ziyad Ali al-Zaidi", "primary")],
        date_of_birth="1985",
        nationalities=[],
        mother_name=None,
        place_of_birth=None,
    )
    with read_session(engine) as session:
        plan = index.ranking_plan(session, query)
        rows = session.execute(
            select(NameKey.key, NameKey.person_id).where(NameKey.key.in_(plan.weights))
        ).all()
        fetched = {person_id for key, person_id in rows if key in plan.fetch}
        postings: dict[str, set[int]] = {}
        for key, person_id in rows:
            if person_id in fetched:
                postings.setdefault(key, set()).add(person_id)
        # in whole millionths, as the database sums them: namesakes tie exactly
        millionths = {k: round(w * 1e6) for k, w in plan.weights.items()}
        expected = keys.rank_candidates(postings, millionths, plan.parts, limit=1000)
        orders = [
            index.ranked_ids(session, plan, limit=1000, by_lookup=by_lookup)
            for by_lookup in (False, True)
        ]
    assert plan.fetch and set(plan.weights) - set(plan.fetch)
    assert {person_id for _, person_id in rows} - fetched  # held a key that only ranks
    assert orders == [expected, expected]


# PostgreSQL sums each person's parts in the order its aggregation meets them: by a hash
# table, or sorted
_PLANNER_CHOICES = [
    "SET LOCAL enable_hashagg = on",
    "SET LOCAL enable_sort = off",
    "SET LOCAL enable_hashagg = off",
]


def test_namesakes_sharing_the_query_alike_are_fetched_in_registration_order_on_any_plan(
    engine: Engine,
) -> None:
    # Namesakes tie on the weight they share with a query; which of them a search scores is
    # decided by that order, and must not depend on the order the database happened to sum
    # their weights in, nor on how it read the common parts.
    crowd = [person(f"Abdulkarim Mahmoud {given} {nisba}") for given in _GIVEN for nisba in _NISBAS]
    with unit_of_work(engine) as session:
        ids = registry.register_persons(session, persons_in=crowd * 2)
    query = index.profile_of(
        0,
        names=[("Abdulkarim Mahmoud Hassan al-Jubouri", "primary")],
        date_of_birth=None,
        nationalities=[],
        mother_name=None,
        place_of_birth=None,
    )
    orders = []
    with read_session(engine) as session:
        plan = index.ranking_plan(session, query)
        for planner in _PLANNER_CHOICES if engine.dialect.name == "postgresql" else [""]:
            if planner:
                session.execute(text(planner))
            for by_lookup in (False, True):
                orders.append(index.ranked_ids(session, plan, limit=len(ids), by_lookup=by_lookup))
    alike = [ids[i::54] for i in range(54)]  # each name, registered twice
    assert all(order == orders[0] for order in orders)
    assert all(orders[0].index(a) < orders[0].index(b) for a, b in alike)


def test_the_mother_and_birthplace_find_one_man_among_many_namesakes(engine: Engine) -> None:
    mothers = ["Fatima", "Aisha", "Zainab", "Maryam", "Amina", "Hana", "Samira", "Layla"]
    namesakes = [
        person("Muhammad Ahmad al-Jubouri", dob="1985").model_copy(
            update={"mother_name": f"{mothers[i % 8]} Ali", "place_of_birth": "Mosul"}
        )
        for i in range(80)
    ]
    target = person("Muhammad Ahmad al-Jubouri", dob="1985").model_copy(
        update={"mother_name": "Khadija Hussein", "place_of_birth": "Samarra"}
    )
    with unit_of_work(engine) as session:
        ids = registry.register_persons(session, persons_in=[*namesakes, target])
    with read_session(engine) as session:
        plain = identity.search_persons(session, name="Mohammed Ahmed al-Jubouri", limit=5)
        found = identity.search_persons(
            session,
            name="Mohammed Ahmed al-Jubouri",
            mother_name="Khadija",
            place_of_birth="Samarra",
            limit=5,
        )
    assert ids[-1] not in [c.person_id for c in plain.candidates]  # one of 81 alike
    best = found.candidates[0]
    assert best.person_id == ids[-1]
    assert "mother's name agrees" in best.explanation
    assert "place of birth agrees" in best.explanation


def test_propose_decide_merge_split_and_never_repropose(engine: Engine, three: list[int]) -> None:
    a, b, c = three
    with unit_of_work(engine) as session:
        (at_intake,) = identity.list_queue(session, person_id=b).items  # b's intake found a
        item = identity.propose_pair(
            session, person_a_id=b, person_b_id=a, score=0.8, source="names", evidence={"x": 1}
        )
        again = identity.propose_pair(
            session,
            person_a_id=a,
            person_b_id=b,
            score=0.95,
            source="biometrics",
            evidence={"finger": "R2"},
        )
        assert item is not None and item == again == at_intake.id
        shown = identity.get_review_item(session, item_id=item)
        assert shown.sources == ["biometrics", "intake", "names"]
        assert shown.score == max(0.95, at_intake.score)
        assert shown.evidence["biometrics"] == {"score": 0.95, "finger": "R2"}
        merged = identity.decide(
            session, item_id=item, decision="same", note="photo", actor_id=None
        )
        assert merged.person_b is not None and merged.person_b.survivor_id == a
        with pytest.raises(Conflict):
            identity.decide(session, item_id=item, decision="different", note="", actor_id=None)
    with read_session(engine) as session:
        found = identity.search_persons(session, name="Khalid Hamza al-Jubouri")
        assert [x.survivor_id for x in found.candidates].count(a) == 1
    with unit_of_work(engine) as session:
        undone = identity.split(session, item_id=item, note="wrong", actor_id=None)
        assert undone.person_b is not None and undone.person_b.survivor_id == b
        assert [d.decision for d in undone.decisions] == ["same", "split"]
        assert (
            identity.propose_pair(
                session, person_a_id=a, person_b_id=b, score=0.99, source="names", evidence={}
            )
            is None
        )
        other = identity.propose_pair(
            session, person_a_id=a, person_b_id=c, score=0.5, source="names", evidence={}
        )
        identity.decide(session, item_id=other or 0, decision="different", note="", actor_id=None)
        assert (
            identity.propose_pair(
                session, person_a_id=c, person_b_id=a, score=0.9, source="names", evidence={}
            )
            is None
        )
        assert identity.list_queue(session, status="open").total == 0


def test_a_record_merged_into_one_merged_in_turn_is_shown_as_the_last_survivor(
    engine: Engine,
) -> None:
    # Merges link root to root, so a record can lead to its survivor through another; a
    # search follows the links of its candidates only, as far as they lead.
    with unit_of_work(engine) as session:
        first, second, third, apart = registry.register_persons(
            session,
            persons_in=[
                person("Khalid Hamza al-Jubouri"),
                person("Khaled Hamzah al-Jabouri"),
                person("Khalid Hamza al-Jubury"),
                person("Yusuf Bilal al-Tunisi", dob="1990", nationality="TN"),
            ],
        )
        for one, other in ((second, third), (first, second)):
            item = identity.propose_pair(
                session, person_a_id=one, person_b_id=other, score=0.9, source="names", evidence={}
            )
            identity.decide(session, item_id=item or 0, decision="same", note="", actor_id=None)
    with read_session(engine) as session:
        found = identity.search_persons(session, name="Khalid Hamza al-Jubury")
        assert queue.survivors(session, [third, apart]) == {third: first, apart: apart}
    assert [(c.person_id, c.survivor_id) for c in found.candidates][:1] == [(third, first)]
    assert [c.survivor_id for c in found.candidates].count(first) == 1


def at_once(
    engine: Engine, first: Callable[[Session], object], second: Callable[[Session], object]
) -> list[BaseException]:
    """Run ``first`` in a transaction held open while ``second`` runs in another, then let
    both finish; the errors either raised."""
    done, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run(work: Callable[[Session], object], hold: bool) -> None:
        try:
            with unit_of_work(engine) as session:
                work(session)
                if hold:
                    done.set()
                    release.wait(10)
        except BaseException as error:  # reported to the test
            errors.append(error)
            done.set()

    one = threading.Thread(target=run, args=(first, True))
    two = threading.Thread(target=run, args=(second, False))
    one.start()
    assert done.wait(10)
    two.start()
    two.join(0.5)  # the second waits for the first, or (unserialised) goes ahead
    release.set()
    one.join(10)
    two.join(10)
    return errors


def test_two_reviewers_merging_one_person_at_once_give_it_one_survivor(
    engine: Engine, three: list[int]
) -> None:
    a, b, c = three
    with unit_of_work(engine) as session:
        first = identity.propose_pair(
            session, person_a_id=a, person_b_id=c, score=0.9, source="names", evidence={}
        )
        second = identity.propose_pair(
            session, person_a_id=b, person_b_id=c, score=0.9, source="names", evidence={}
        )
    errors = at_once(
        engine,
        lambda s: identity.decide(s, item_id=first or 0, decision="same", note="", actor_id=None),
        lambda s: identity.decide(s, item_id=second or 0, decision="same", note="", actor_id=None),
    )
    assert errors == []
    with read_session(engine) as session:
        items = [identity.get_review_item(session, item_id=i) for i in (first, second) if i]
    sides = [x.person_a for x in items] + [x.person_b for x in items if x.person_b]
    assert len(items) == 2
    assert {side.survivor_id for side in sides} == {a}  # three records, one person


def test_one_pair_proposed_by_two_jobs_at_once_is_one_item_with_both_evidences(
    engine: Engine, three: list[int]
) -> None:
    a, _, c = three  # a pair intake did not queue: the item is made by one of the two

    def propose(source: str) -> Callable[[Session], object]:
        return lambda s: identity.propose_pair(
            s, person_a_id=a, person_b_id=c, score=0.9, source=source, evidence={}
        )

    assert at_once(engine, propose("names"), propose("biometrics")) == []
    with read_session(engine) as session:
        queue = identity.list_queue(session, status="open", person_id=c)
    assert queue.total == 1
    assert queue.items[0].sources == ["biometrics", "names"]


def test_watchlist_import_screen_and_intake(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_text(XML, encoding="utf-8")
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=[person("Ibrahim Awad Ibrahim al-Badri")])
        result = identity.import_un_sc_list(session, path=path)
        assert result.individuals == 1 and result.names == 5
        screened = identity.screen_all_persons(session)
        assert screened.hits == 1
    with unit_of_work(engine) as session:
        registry.register_persons(
            session,
            persons_in=[person("إبراهيم عواد إبراهيم البدري"), person("Yusuf Bilal al-Tunisi")],
        )
    with read_session(engine) as session:
        hits = identity.list_queue(session, kind="watchlist")
    assert hits.total == 2
    assert all(i.watchlist_entry and i.watchlist_entry.reference == "QDi.299" for i in hits.items)


def test_dedupe_queues_a_spelling_variant_but_not_a_namesake(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        a, b, _, _ = registry.register_persons(
            session,
            persons_in=[
                person("Musa Ammar Muhammad al-Ani", dob="1967-08-30"),
                person("Mousa Ammaar Mohammed Alaani", dob="1967"),
                person("Musa Ammar Muhammad al-Ani", dob="1990-01-05"),
                person("Yusuf Bilal al-Tunisi", dob="1967-08-30", nationality="TN"),
            ],
        )
        result = identity.dedupe(session)
        assert result.records == 4
        page = identity.list_queue(session, kind="duplicate")
    pairs = {(i.person_a.person_id, i.person_b.person_id) for i in page.items if i.person_b}
    assert pairs == {(a, b)}


def _filler(i: int) -> PersonIn:
    """Unrelated men, so that each side attribute has a frequency to be weighed against."""
    places = ("Mosul", "Raqqa", "Homs", "Baiji", "Tikrit")
    firsts = ("Omar", "Tariq", "Salim", "Yasir", "Nabil", "Fadi", "Hamid", "Ziad")
    lasts = ("al-Dulaimi", "al-Obaidi", "al-Tai", "al-Zubaidi", "al-Qaisi", "al-Rawi")
    return PersonIn(
        category=PersonCategory.DETAINEE,
        sex=Sex.MALE,
        date_of_birth=f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 27:02d}",
        nationalities=["IQ" if i % 3 else "SY"],
        place_of_birth=places[i % len(places)],
        mother_name=f"{('Amina', 'Huda', 'Salma', 'Rima')[i % 4]} {lasts[(i + 1) % len(lasts)]}",
        names=[NameIn(full_name=f"{firsts[i % 8]} {firsts[(i * 3 + 1) % 8]} {lasts[i % 6]}")],
    )


def test_dedupe_links_a_nom_de_guerre_on_side_attributes_but_not_brothers(
    engine: Engine,
) -> None:
    def man(name: str, dob: str, kind: NameKind = NameKind.PRIMARY) -> PersonIn:
        return PersonIn(
            category=PersonCategory.DETAINEE,
            sex=Sex.MALE,
            date_of_birth=dob,
            nationalities=["IQ"],
            place_of_birth="Hawija",
            mother_name="Khadija Saleh al-Jumaili",
            names=[NameIn(full_name=name, kind=kind)],
        )

    with unit_of_work(engine) as session:
        ids = registry.register_persons(
            session,
            persons_in=[
                man("Musa Ammar Muhammad al-Ani", "1967-08-30"),
                # the same man, recorded only under a nom de guerre: no name in common
                man("Abu Hafs al-Jazrawi", "1967-08-30", NameKind.NOM_DE_GUERRE),
                # his brothers: same mother, place and father's line, born other years
                man("Harun Ammar Muhammad al-Ani", "1971-02-11"),
                man("Idris Ammar Muhammad al-Ani", "1975-06-03"),
                *(_filler(i) for i in range(40)),
            ],
        )
        identity.dedupe(session)
        page = identity.list_queue(session, kind="duplicate")
    items = {(i.person_a.person_id, i.person_b.person_id): i for i in page.items if i.person_b}
    assert set(items) == {(ids[0], ids[1])}
    evidence = str(items[ids[0], ids[1]].model_dump())
    assert "mother's name agrees" in evidence and "same day of birth" in evidence


def test_batch_screening_finds_the_listed_man_among_many_namesakes(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "list.xml"
    path.write_text(XML, encoding="utf-8")
    namesakes = [
        person("Ebrahim Awad Ibraheem al-Badry", dob=str(1940 + i % 25)) for i in range(320)
    ]
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=namesakes)
        (target,) = registry.register_persons(
            session, persons_in=[person("Ibrahim Awwad Ibrahim al-Badri", dob="1971")]
        )
        identity.import_un_sc_list(session, path=path)
        identity.screen_all_persons(session)
    with read_session(engine) as session:
        hits = identity.list_queue(session, kind="watchlist", limit=500)
    hit_persons = {i.person_a.person_id for i in hits.items}
    assert target in hit_persons


def test_batch_screening_in_two_processes_finds_what_one_finds(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "list.xml"
    path.write_text(XML, encoding="utf-8")
    with unit_of_work(engine) as session:
        registry.register_persons(
            session,
            persons_in=[
                person("Ibrahim Awwad Ibrahim al-Badri"),
                person("Abu Duaa", dob="1971"),
                person("Yusuf Bilal al-Tunisi", nationality="TN"),
            ],
        )
        identity.import_un_sc_list(session, path=path)
        serial = identity.screen_all_persons(session)
        forked = identity.screen_all_persons(session, workers=2, every=True)
    assert serial.hits >= 1
    assert (forked.hits, forked.persons) == (serial.hits, serial.persons)
    with read_session(engine) as session:
        assert identity.list_queue(session, kind="watchlist").total == serial.hits


def test_search_with_a_birth_year_finds_the_one_namesake_born_then(engine: Engine) -> None:
    namesakes = [person("Abd al-Rahman Hassan", dob=str(1950 + i % 20)) for i in range(200)]
    with unit_of_work(engine) as session:
        registry.register_persons(session, persons_in=namesakes)
        (target,) = registry.register_persons(
            session, persons_in=[person("Abdulrahman Hasan", dob="1985-03-02")]
        )
    with read_session(engine) as session:
        found = identity.search_persons(session, name="Abdelrahman Hassan", date_of_birth="1985")
    assert found.candidates[0].person_id == target


def test_an_index_built_by_an_older_name_model_warns_and_is_rebuilt(
    engine: Engine, three: list[int]
) -> None:
    with unit_of_work(engine) as session:
        session.get(IndexState, 1).name_model = NAME_MODEL - 1  # type: ignore[union-attr]
    with read_session(engine) as session:
        stale = identity.search_persons(session, name="Khalid Hamza al-Jubouri")
    assert stale.warnings and "reindex" in stale.warnings[0]
    with unit_of_work(engine) as session:
        assert identity.reindex(session) == len(three)  # everyone, not only the unindexed
    with read_session(engine) as session:
        fresh = identity.search_persons(session, name="Khalid Hamza al-Jubouri")
    assert not fresh.warnings
    assert fresh.candidates[0].person_id in three[:2]


def test_identity_of_a_record_gathers_its_merged_records_and_their_items(
    engine: Engine, three: list[int]
) -> None:
    a, b, c = three
    with unit_of_work(engine) as session:
        (pair,) = identity.list_queue(session, person_id=a).items  # queued at intake
        (d,) = registry.register_persons(session, persons_in=[person("Khaled Hamza Jubouri")])
        identity.decide(session, item_id=pair.id, decision="same", note="photo", actor_id=None)
        later = identity.propose_pair(
            session, person_a_id=d, person_b_id=b, score=0.9, source="biometrics", evidence={}
        )
        assert later is not None
        identity.decide(session, item_id=later, decision="same", note="prints", actor_id=None)
        found = identity.identity_of(session, person_id=d)
        assert found.survivor_id == a
        assert [r.person_id for r in found.records] == sorted([a, b, d])
        assert {i.id for i in found.review_items} >= {pair.id, later}
        assert all(i.status == "same" for i in found.review_items if i.id in (pair.id, later))
        identity.split(session, item_id=pair.id, note="twins", actor_id=None)
        # d was matched to b, not to a: it goes with b when a and b are parted
        parted = identity.identity_of(session, person_id=d)
        assert parted.survivor_id == b
        assert [r.person_id for r in parted.records] == sorted([b, d])
        assert [r.person_id for r in identity.identity_of(session, person_id=a).records] == [a]
        alone = identity.identity_of(session, person_id=c)
        assert [r.person_id for r in alone.records] == [c] and alone.survivor_id == c
        with pytest.raises(NotFound):
            identity.identity_of(session, person_id=999_999)


def _proposed(session: Session, a: int, b: int, decision: str | None = None) -> int:
    """A pair put in the queue (as fingerprints would) and, with ``decision``, decided."""
    item = identity.propose_pair(
        session, person_a_id=a, person_b_id=b, score=0.9, source="biometrics", evidence={}
    )
    assert item is not None
    if decision:
        identity.decide(session, item_id=item, decision=decision, note="", actor_id=None)
    return item


def _merge_intake_pair(session: Session, person_id: int) -> ReviewItemOut:
    """The pair intake queued for ``person_id``, decided 'same'."""
    (item,) = identity.list_queue(session, person_id=person_id).items
    identity.decide(session, item_id=item.id, decision="same", note="", actor_id=None)
    return item


def _records(session: Session, person_id: int) -> list[int]:
    return [r.person_id for r in identity.identity_of(session, person_id=person_id).records]


def test_a_split_other_decisions_contradict_keeps_the_identity_and_says_which_decisions(
    engine: Engine, three: list[int]
) -> None:
    a, b, c = three
    with unit_of_work(engine) as session:
        ab = _merge_intake_pair(session, a)
        bc, ac = _proposed(session, b, c, "same"), _proposed(session, a, c, "same")
        undone = identity.split(session, item_id=bc, note="prints mixed up", actor_id=None)
        # a~b and a~c still join b and c: recorded, the identity stays whole, and it says why
        assert undone.status == "different"
        assert undone.warnings and f"review items {ab.id}, {ac}" in undone.warnings[0]
        assert _records(session, c) == [a, b, c]
        identity.split(session, item_id=ac, note="a is not c either", actor_id=None)
        assert _records(session, c) == [c] and _records(session, b) == [a, b]


def test_deciding_different_two_records_other_decisions_join_says_which(
    engine: Engine, three: list[int]
) -> None:
    a, b, c = three
    with unit_of_work(engine) as session:
        ab = _merge_intake_pair(session, a)
        bc, ac = _proposed(session, b, c, "same"), _proposed(session, a, c)
        told = identity.decide(session, item_id=ac, decision="different", note="", actor_id=None)
    assert told.status == "different"
    assert len(told.warnings) == 1 and f"review items {ab.id}, {bc}" in told.warnings[0]


def _listed(reference: str, regime: str, year: str) -> str:
    return f"""<INDIVIDUAL><DATAID>{reference}</DATAID><FIRST_NAME>HASSAN</FIRST_NAME>
<SECOND_NAME>DAHIR</SECOND_NAME><THIRD_NAME>AWEYS</THIRD_NAME>
<UN_LIST_TYPE>{regime}</UN_LIST_TYPE><REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>
<NATIONALITY><VALUE>Somali</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>AWES, Shaykh Hassan Dahir</ALIAS_NAME>
</INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>Exact</TYPE_OF_DATE><YEAR>{year}</YEAR>
</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"""


TWICE_LISTED = (
    '<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST><INDIVIDUALS>'
    + _listed("QDi.042", "Al-Qaida", "1935")
    + _listed("SOi.002", "Somalia", "1935")
    + _listed("SOi.099", "Somalia", "1962")  # a namesake born 27 years later: another man
    + "</INDIVIDUALS></CONSOLIDATED_LIST>"
)


def test_a_man_the_list_names_under_two_regimes_is_one_review_item(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "list.xml"
    path.write_text(TWICE_LISTED, encoding="utf-8")
    aweys = person("Hassan Dahir Aweys", dob="1935", nationality="SO")
    with unit_of_work(engine) as session:
        (first,) = registry.register_persons(session, persons_in=[aweys])
        result = identity.import_un_sc_list(session, path=path)
        assert (result.individuals, result.listed_twice) == (3, 2)
        screened = identity.screen_all_persons(session)
        assert (screened.hits, screened.proposed) == (1, 1)
    with unit_of_work(engine) as session:  # intake screening: the same rule
        (second,) = registry.register_persons(session, persons_in=[aweys])
    with read_session(engine) as session:
        hits = identity.list_queue(session, kind="watchlist")
    assert sorted(i.person_a.person_id for i in hits.items) == [first, second]
    for item in hits.items:
        entry = item.watchlist_entry
        assert entry is not None and entry.reference in ("QDi.042", "SOi.002")
        other = ({"QDi.042", "SOi.002"} - {entry.reference}).pop()
        assert entry.also_listed_as == [other]
        lines = [line for e in item.evidence.values() for line in e.get("explanation", [])]
        assert any(f"again as {other}" in line for line in lines)


def test_a_list_imported_again_by_another_process_is_read_afresh(
    engine: Engine, tmp_path: Path
) -> None:
    from custodia.identity import screening
    from tests.clirun import run_cli

    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    first.write_text(XML, encoding="utf-8")
    # the same entry, re-published with one more alias
    added = "<ALIAS_NAME>Abu Ali al-Qurashi</ALIAS_NAME>"
    second.write_text(
        XML.replace(
            "<ALIAS_NAME>",
            added + "</INDIVIDUAL_ALIAS><INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>",
            1,
        ),
        encoding="utf-8",
    )
    with unit_of_work(engine) as session:
        identity.import_un_sc_list(session, path=first)
    with read_session(engine) as session:
        before = screening.watchlist_index(session)
        assert before is not None and len(before.profiles) == 1
    url = engine.url.render_as_string(hide_password=False)
    done = run_cli(tmp_path, "watchlist", "import", "un-sc", str(second), database_url=url)
    assert done.returncode == 0, done.stderr
    with read_session(engine) as session:
        after = screening.watchlist_index(session)
    assert after is not None and after is not before
    (entry,) = after.profiles.values()
    assert "Abu Ali al-Qurashi" in [n.parsed.text for n in entry.names]


def _held_twice(session: Session) -> list[tuple[int, int | None]]:
    found, _ = rollcall.list_discrepancies(session)
    return [(d.facility_id, d.person_id) for d in found if d.kind == "held_twice"]


def test_merging_two_records_custody_holds_both_of_opens_a_discrepancy_to_settle(
    world: World,
) -> None:
    """One man held at Hasakah as record a and at Qamishli as record b: the merge stands, and
    each prison gets a discrepancy to settle which record is wrong, which the item shows
    until they are resolved; a released record is no conflict, a record of a dead man is; a
    split says what is still open."""
    a, b, released, dead = register(world, 4)
    record(
        world,
        IntakeIn(person_id=a, facility_id=world.prison_a),
        IntakeIn(person_id=b, facility_id=world.prison_b),
        IntakeIn(person_id=released, facility_id=world.prison_a),
        IntakeIn(person_id=dead, facility_id=world.prison_b),
    )
    record(
        world,
        ReleaseIn(person_id=released, reason="court order"),
        DeathIn(person_id=dead, cause="illness"),
    )
    with unit_of_work(world.engine) as session:
        # a record released before is a man taken in again: nothing to settle
        again = _proposed(session, released, a)
        told = identity.decide(session, item_id=again, decision="same", note="", actor_id=None)
        assert told.status == "same" and not told.warnings and not _held_twice(session)
        ab = _proposed(session, a, b)
        shown = identity.get_review_item(session, item_id=ab)
        assert shown.person_a.custody == "in custody at HSK-01 Hasakah prison"
        assert shown.person_b is not None
        assert shown.person_b.custody == "in custody at QAM-01 Qamishli prison"
        analyst = world.users["analyst"]
        merged = identity.decide(session, item_id=ab, decision="same", note="", actor_id=analyst)
        assert merged.status == "same" and len(merged.warnings) == 1
        assert f"record {a} in custody at HSK-01 Hasakah prison" in merged.warnings[0]
        assert f"record {b} in custody at QAM-01 Qamishli prison" in merged.warnings[0]
        assert _held_twice(session) == [(world.prison_a, a), (world.prison_b, b)]
        # each prison reads whose merge opened it
        found, _ = rollcall.list_discrepancies(session)
        assert {d.opened_by for d in found if d.kind == "held_twice"} == {analyst}
        # a record of a dead man cannot be one with a man held
        ghost = _proposed(session, dead, a)
        told = identity.decide(session, item_id=ghost, decision="same", note="", actor_id=None)
        assert told.warnings and f"record {dead} deceased" in told.warnings[0]
        assert len(_held_twice(session)) == 4
    with read_session(world.engine) as session:  # the item says so until custody settles
        (standing,) = identity.get_review_item(session, item_id=ab).warnings
        listed = identity.list_queue(session, status="same").items
    assert "discrepancies 1, 2, 3, 4 are open" in standing
    assert {i.id: i.warnings for i in listed}[ab] == [standing]  # the list says so too
    assert f"record {dead} deceased" in standing
    with unit_of_work(world.engine) as session:
        undone = identity.split(session, item_id=ab, note="two brothers", actor_id=None)
        assert undone.status == "different"
        assert [w for w in undone.warnings if "still open" in w]
        found, _ = rollcall.list_discrepancies(session)
        for d in found:
            rollcall.resolve_discrepancy(
                session, discrepancy_id=d.id, resolution="two brothers", actor_id=None
            )
        assert not identity.get_review_item(session, item_id=ab).warnings
        assert not any(i.warnings for i in identity.list_queue(session, status=None).items)
