"""What a pair needs of its names to reach review (``scoring.name_score_needed``): screening
and de-duplication compare no names for a pair that cannot, so the bound must never be
short of what the scorer adds."""

from __future__ import annotations

import itertools

import pytest

from custodia.identity.index import profile_of
from custodia.identity.keys import MemoryIndex
from custodia.identity.scoring import (
    MAX_SIDE_GAIN,
    REVIEW_THRESHOLD,
    Profile,
    compare_parsed,
    default_weight,
    name_score_needed,
    score_profiles,
)
from custodia.identity.screening import find_hits


def _record(
    ident: int,
    *names: tuple[str, str],
    dob: str | None = None,
    nationality: str | None = None,
    mother: str | None = None,
    place: str | None = None,
    sex: str | None = None,
) -> Profile:
    return profile_of(
        ident,
        names=names,
        date_of_birth=dob,
        nationalities=[nationality] if nationality else [],
        mother_name=mother,
        place_of_birth=place,
        sex=sex,
    )


# one man's records, or two men's, with every kind of side evidence the scorer weighs
_MAN = _record(
    1,
    ("Abdulrahman Khalid al-Jubouri", "primary"),
    ("Abu Hamza al-Iraqi", "kunya"),
    dob="1981-03-04",
    nationality="IQ",
    mother="Khadija Salim",
    place="Mosul",
    sex="male",
)
_RECORDS = [
    _record(
        2,
        ("Abd al-Rahman Khaled Jubouri", "primary"),
        ("Abu Hamza", "kunya"),
        dob="1981-03-04",
        nationality="IQ",
        mother="Khadija Salem",
        place="Mosul",
        sex="male",
    ),
    _record(3, ("Abdul Rahman al-Jabouri", "primary"), dob="1981", nationality="IQ"),
    _record(4, ("Abdulrahman Khalid", "primary"), dob="1982-05-01", nationality="SY"),
    _record(5, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1958", mother="Amina Ali"),
    _record(6, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1984", sex="female"),
    _record(7, ("Khalid Abdulrahman", "primary"), place="Tikrit"),
    _record(8, ("Abu Hamza al-Iraqi", "nom_de_guerre"), dob="1981-03-04", nationality="IQ"),
]


def _best_name_score(a: Profile, b: Profile) -> float:
    return max(
        compare_parsed(x.parsed, y.parsed, default_weight).score
        for x, y in itertools.product(a.names, b.names)
    )


@pytest.mark.parametrize("other", _RECORDS, ids=lambda p: p.names[0].parsed.text)
def test_no_pair_scores_more_than_its_best_name_and_what_its_side_may_add(other: Profile) -> None:
    for a, b in ((_MAN, other), (other, _MAN)):
        needed = name_score_needed(a, b)
        score = score_profiles(a, b, default_weight).score
        assert needed >= REVIEW_THRESHOLD - MAX_SIDE_GAIN - 1e-6
        assert score <= _best_name_score(a, b) + (REVIEW_THRESHOLD - needed) + 1e-6


def test_a_pair_agreeing_on_everything_gets_all_the_bound_allows() -> None:
    # names too far apart to reach 1, so nothing caps the sum
    a = _record(
        1,
        ("Omar Faisal Hamdan", "primary"),
        ("Abu Bakr", "kunya"),
        dob="1979-01-02",
        nationality="SY",
        mother="Fatima Hasan",
        place="Raqqa",
    )
    b = _record(
        2,
        ("Omar Faisal al-Shammari", "primary"),
        ("Abu Bakr", "kunya"),
        dob="1979-01-02",
        nationality="SY",
        mother="Fatima Hassan",
        place="Raqqa",
    )
    # the real names decide, the kunya agreeing adds its part
    best = compare_parsed(a.names[0].parsed, b.names[0].parsed, default_weight).score
    assert best < 0.8
    assert score_profiles(a, b, default_weight).score == pytest.approx(
        best + REVIEW_THRESHOLD - name_score_needed(a, b)
    )


def test_a_namesake_born_a_generation_apart_needs_more_than_any_name_gives() -> None:
    listed = _record(1, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1958")
    held = _record(2, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1984")
    assert name_score_needed(held, listed) > 1.0
    assert score_profiles(held, listed, default_weight).score < REVIEW_THRESHOLD


def test_screening_finds_the_listed_man_and_not_his_namesake_born_years_apart() -> None:
    listed = MemoryIndex()
    listed.add(_record(100, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1981"))
    people = MemoryIndex()
    people.add(_record(1, ("Abdul Rahman Khaled al-Jubouri", "primary"), dob="1981-03-04"))
    people.add(_record(2, ("Abdulrahman Khalid al-Jubouri", "primary"), dob="1958-06-01"))
    hits = find_hits(people, listed)
    assert list(hits) == [1]
    assert [s.ident for s in hits[1]] == [100]
