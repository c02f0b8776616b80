"""Properties of the synthetic Arabic naming generator (pure functions, no database)."""

from __future__ import annotations

import random

import pytest

from custodia.scenario.naming import (
    CAMP_NATIONALITY_WEIGHTS,
    FAMILY_NISBAS,
    FEMALE_GIVEN_NAMES,
    MALE_GIVEN_NAMES,
    NATIONALITY_WEIGHTS,
    STYLES,
    PersonNames,
    alias_name,
    alias_record,
    generate_person_name,
    sample_nationality,
    spelling_variant,
    spelling_variant_record,
)


def _people(seed: int, n: int = 200, *, camp: bool = False) -> list[PersonNames]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        nationality = sample_nationality(rng, camp=camp)
        out.append(
            generate_person_name(rng, sex="F" if i % 3 == 0 else "M", nationality=nationality)
        )
    return out


def test_same_seed_gives_same_names() -> None:
    assert _people(42) == _people(42)
    assert [p.full_latin for p in _people(42)] != [p.full_latin for p in _people(43)]


def test_variants_and_aliases_are_deterministic() -> None:
    person = generate_person_name(random.Random(1), sex="M", nationality="IQ")
    a = [spelling_variant(random.Random(9), person) for _ in range(3)]
    b = [spelling_variant(random.Random(9), person) for _ in range(3)]
    assert a == b
    assert alias_name(random.Random(5), person) == alias_name(random.Random(5), person)


def test_generation_does_not_touch_global_random() -> None:
    random.seed(123)
    expected = random.random()
    random.seed(123)
    _people(7, 50)
    assert random.random() == expected


def test_spelling_variant_differs_but_keeps_the_arabic_form() -> None:
    rng = random.Random(2024)
    for person in _people(11, 300):
        record = spelling_variant_record(rng, person)
        assert record.full_latin != person.full_latin
        assert record.full_arabic == person.full_arabic
        assert spelling_variant(rng, person) != person.full_latin


def test_spelling_variants_of_arab_names_are_varied() -> None:
    rng = random.Random(3)
    person = generate_person_name(rng, sex="M", nationality="IQ", style="classical")
    variants = {spelling_variant(rng, person) for _ in range(30)}
    assert len(variants) >= 10


def test_arab_nationals_have_arabic_script_names() -> None:
    for person in _people(5, 300):
        if person.nationality in ("IQ", "SY"):
            assert person.full_arabic is not None
            assert any("\u0600" <= ch <= "\u06ff" for ch in person.full_arabic)
            assert person.mother_arabic is not None


def test_iraqi_document_style_and_classical_connectors() -> None:
    rng = random.Random(8)
    plain = generate_person_name(rng, sex="M", nationality="IQ", style="iraqi")
    assert " bin " not in plain.full_latin and " ibn " not in plain.full_latin
    assert len(plain.primary.nasab) == 2
    classical = generate_person_name(rng, sex="M", nationality="IQ", style="classical")
    words = classical.full_latin.split()
    assert classical.habit.bin_word in words
    assert "بن" in (classical.full_arabic or "").split()
    woman = generate_person_name(rng, sex="F", nationality="SY", style="classical")
    assert woman.habit.bint_word in woman.full_latin.split()
    assert "بنت" in (woman.full_arabic or "").split()


def test_names_carry_kunya_mother_and_habit() -> None:
    people = _people(13, 400)
    with_kunya = [p for p in people if p.kunya]
    assert len(with_kunya) > len(people) // 3
    for p in with_kunya:
        head = p.kunya.split()[0] if p.kunya else ""
        if p.sex == "M":
            assert head in ("Abu", "Abou", "Abo")
            assert (p.primary.kunya_arabic or "").startswith("أبو ")
        else:
            assert head in ("Umm", "Um", "Oum", "Om")
            assert (p.primary.kunya_arabic or "").startswith("أم ")
    assert all(p.mother_latin for p in people)
    assert len({p.habit.code for p in people}) >= 4


def test_foreign_fighters_sometimes_carry_non_arab_names() -> None:
    rng = random.Random(17)
    names = [generate_person_name(rng, sex="M", nationality=c) for c in ("RU", "UZ", "TR") * 20]
    foreign = [p for p in names if p.style == "foreign"]
    assert len(foreign) >= 40
    assert all(p.full_arabic is None and p.primary.surname for p in foreign)
    explicit = generate_person_name(rng, sex="M", nationality="DE", style="foreign")
    assert explicit.style == "foreign" and explicit.full_arabic is None


def test_alias_is_a_kunya_with_a_nisba() -> None:
    rng = random.Random(21)
    for person in _people(19, 100):
        alias = alias_record(rng, person)
        first = alias.latin.split()[0]
        assert first in ("Abu", "Abou", "Abo", "Umm", "Um", "Oum", "Om")
        assert len(alias.latin.split()) >= 3
        assert alias.arabic.startswith(("أبو ", "أم "))


def test_alias_for_a_foreigner_names_the_origin() -> None:
    rng = random.Random(4)
    person = generate_person_name(rng, sex="M", nationality="RU", style="foreign")
    aliases = {alias_record(rng, person).arabic.split()[-1] for _ in range(40)}
    assert "الشيشاني" in aliases


def test_nationality_weights() -> None:
    ranked = sorted(NATIONALITY_WEIGHTS, key=NATIONALITY_WEIGHTS.__getitem__, reverse=True)
    assert set(ranked[:2]) == {"IQ", "SY"}
    assert len(NATIONALITY_WEIGHTS) >= 40
    total = sum(NATIONALITY_WEIGHTS.values())
    assert 0.30 <= NATIONALITY_WEIGHTS["IQ"] / total <= 0.40
    assert 0.25 <= NATIONALITY_WEIGHTS["SY"] / total <= 0.35
    camp_ranked = sorted(
        CAMP_NATIONALITY_WEIGHTS, key=CAMP_NATIONALITY_WEIGHTS.__getitem__, reverse=True
    )
    assert set(camp_ranked[:2]) == {"IQ", "SY"}
    camp_total = sum(CAMP_NATIONALITY_WEIGHTS.values())
    assert (CAMP_NATIONALITY_WEIGHTS["IQ"] + CAMP_NATIONALITY_WEIGHTS["SY"]) / camp_total > 0.8
    for code in (*NATIONALITY_WEIGHTS, *CAMP_NATIONALITY_WEIGHTS):
        assert len(code) == 2 and code.isupper()


def test_common_names_are_frequent() -> None:
    rng = random.Random(31)
    counts: dict[str, int] = {}
    for _ in range(2000):
        ism = generate_person_name(rng, sex="M", nationality="IQ").parts.ism.arabic or ""
        counts[ism] = counts.get(ism, 0) + 1
    top = sorted(counts, key=counts.__getitem__, reverse=True)[:8]
    assert top[0] == "محمد"
    assert {"أحمد", "علي", "عمر", "عبد الله"} & set(top)


def test_table_sizes() -> None:
    assert len(MALE_GIVEN_NAMES) >= 140
    assert len(FEMALE_GIVEN_NAMES) >= 75
    assert len(FAMILY_NISBAS) >= 100
    assert len({e.arabic for e in MALE_GIVEN_NAMES}) == len(MALE_GIVEN_NAMES)
    assert sum(1 for e in MALE_GIVEN_NAMES if (e.arabic or "").startswith("عبد ")) >= 20
    assert sum(1 for e in MALE_GIVEN_NAMES if (e.arabic or "").endswith(" الدين")) >= 10


def test_invalid_arguments_are_rejected() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError):
        generate_person_name(rng, sex="X", nationality="IQ")
    with pytest.raises(ValueError):
        generate_person_name(rng, sex="M", nationality="IQ", style="martian")
    for style in STYLES:
        assert generate_person_name(rng, sex="F", nationality="SY", style=style).full_latin
