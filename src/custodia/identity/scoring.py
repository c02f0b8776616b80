"""Scoring a query (or a record) against every name a person is known by, with rare name
parts weighing more than common ones, kunyas and low-quality aliases as corroboration,
partial dates of birth as evidence, and a plain explanation of each score.

One configuration serves every use (search, compare, screening, the benchmarks): the
constants below.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from custodia.identity.arabic import APART, CONVENTIONAL_SPELLINGS
from custodia.identity.names import (
    ABD_INITIAL_ROLE,
    G_AS_RUSSIAN,
    KEY_ROLES,
    SKELETON_DIGRAPHS,
    TITLES_AS_NAMES,
    NameToken,
    ParsedName,
    apart_skeleton,
    arabic_readings,
    cache_key,
    ch_as_kh,
    doubled_v_as_w,
    letter_readings,
    loose_fold,
    parse_name,
    seam_fold,
    skeleton,
    split_cache_key,
    th_as_s,
    turkish_letter_readings,
    turkish_letters,
    turkish_reading,
)
from custodia.identity.origins import is_origin_spelling

MATCH_THRESHOLD = 0.70  # `compare` says match at or above this score
REVIEW_THRESHOLD = 0.85  # de-duplication and screening queue pairs at or above this score
CORROBORATION_FACTOR = 0.9  # a kunya, nom de guerre or low-quality alias proves less
WEAK_KINDS = frozenset({"kunya", "nom_de_guerre", "low"})
QUERY_SHARE = 0.65  # how much of the score is the query's coverage (the rest: the name's)
MARKER_WEIGHT = 0.15  # "Abu"/"Umm" alone say little
ORDER_FACTOR = 0.85  # matched parts in another order
ABD_BARE_SIMILARITY = 0.7  # "Abd al-X" against a bare "X": the same name shortened, or not
LOOSE_SIMILARITY = 0.85  # skeletons equal but for letters transliterations swap (loose_fold)
CROSS_READING_SIMILARITY = 0.88  # across scripts, a letter Arabic writes for another (v, f)
INITIAL_SIMILARITY = 0.75  # "M." against a name starting with M: Muhammad, or Mahmud
INITIAL_WEIGHT = 0.2  # one letter of twenty-odd says little of who someone is
ABD_INITIAL_FACTOR = 0.95  # "A. Rahman" against "Abd al-Rahman": the A may be an Ahmad's
SAME_SKELETON_FLOOR = 0.65  # same skeleton, Latin spellings far apart (the rest: spelling)
OTHER_OPENING_VOWEL_SIMILARITY = 0.5  # same skeleton, but Umar against Amar
ARABIC_ORTHOGRAPHY_SIMILARITY = 0.95  # one name written two ways in Arabic script: ة or ه
ARABIC_ALEF_SIMILARITY = 0.7  # an alef more in Arabic script: عمر, عامر (two); إسحق, إسحاق (one)
RANK_KEY_MARKS = ("=", "#")  # how a rank key (Profile.rank_keys) starts; name keys never do
# Rank keys of how a name's parts stand together (part_order_keys): two adjacent parts, and
# a whole name. They weigh what they tell beyond the parts themselves (keys.key_weights).
PART_ORDER_MARKS = ("#2", "#w")
ATTRIBUTE_YEARS = 6  # a birth-year range wider than this ranks no candidate
# Share of a query name's weight a candidate must hold before it is scored: search shows the
# best candidates whatever their score; screening and de-duplication want only pairs that can
# reach REVIEW_THRESHOLD.
MIN_COVER = 0.2
MIN_COVER_REVIEW = 0.5
# What agreeing side evidence adds to a name score (side_evidence), and an agreeing kunya
# where both are known by a real name too (compare_profiles).
MOTHER_AGREES = 0.06
PLACE_AGREES = 0.02
KUNYA_AGREES = 0.03
# The most side evidence (date of birth, nationality, mother, place of birth) and an agreeing
# kunya add to a name score: a pair whose best name score is below REVIEW_THRESHOLD minus
# this cannot reach review (name_score_needed: what a pair's own side evidence leaves).
MAX_SIDE_GAIN = 0.08 + 0.03 + MOTHER_AGREES + PLACE_AGREES + KUNYA_AGREES
# A query whose parts are spread over several of a person's names ("Kawa Omar Ahmad" against
# "Farhad Kanabi Ahmad" and "Kawa Hamawandi") is evidence, weaker than one name holding them.
UNION_FACTOR = 0.8
# What a title both names carry adds (Qari Saifullah, Qari Saifullah Tokhi), as a part of
# this weight matched on each side; a title one name lacks costs nothing.
TITLE_WEIGHT = 0.3

# Weights of very common name parts when no registry statistics are at hand (compare):
# the skeletons of names that prove almost nothing on their own.
COMMON_PARTS = {
    "mhmd": 0.25,
    "hmd": 0.35,
    "l": 0.35,
    "bdl": 0.4,
    "mr": 0.45,
    "hsn": 0.45,
    "hsyn": 0.5,
    "brhm": 0.5,
    "xld": 0.5,
    "ysf": 0.5,
    "bdrhmn": 0.5,
    "abu": MARKER_WEIGHT,
    "umm": MARKER_WEIGHT,
}


@dataclass(frozen=True, slots=True)
class KnownName:
    parsed: ParsedName
    kind: str  # primary | alias | kunya | nom_de_guerre | low


def part_order_keys(parsed: ParsedName) -> set[str]:
    """Rank keys of how a name's parts stand together: each two adjacent parts (``#2`` and
    their skeletons in alphabetical order, so that "Mohammed Hassan" and "HASSAN, Mohammed"
    are one key), and for a name of two parts or more without a kunya the whole name
    (``#w`` and its skeletons sorted). Among the hundreds of men holding a Mohammed and a
    Hashemi, they put "Mohammed Al Hashemi" himself first, then the men whose names hold
    the two side by side."""
    parts = [t.skeleton for t in parsed.tokens if t.role == "name" and t.skeleton]
    out = {PART_ORDER_MARKS[0] + ".".join(sorted(pair)) for pair in itertools.pairwise(parts)}
    if len(parts) > 1 and not parsed.has_kunya:
        out.add(PART_ORDER_MARKS[1] + ".".join(sorted(parts)))
    return out


def parts_standing_together(key: str) -> set[str]:
    """The skeletons of the parts a key of ``part_order_keys`` holds."""
    return set(key[len(PART_ORDER_MARKS[0]) :].split("."))


def parsed_as_json(parsed: ParsedName) -> list[Any]:
    """A parsed name's tokens, script and titles as the index stores them (JSON)."""
    return [
        [[t.skeleton, t.spelling, t.role] for t in parsed.tokens],
        int(parsed.arabic),
        list(parsed.titles),
        int(parsed.russian),
    ]


def parsed_as_key(parsed: ParsedName) -> str:
    """A parsed name as one string (``cache_key``): script, Russian writing, titles, then each
    part's skeleton, spelling and role. For a mother's name, where a name keeps the lists of
    ``parsed_as_json``: a search loads hundreds of candidates and builds few of their
    mothers, and JSON reads one string quicker than a dozen lists (a round trip 2.8 µs
    against 4.6, timeit). Building either back costs the same (9.4 and 8.6 µs)."""
    head = ("1" if parsed.arabic else "0", "1" if parsed.russian else "0", " ".join(parsed.titles))
    return cache_key((*head, *(f for t in parsed.tokens for f in (t.skeleton, t.spelling, t.role))))


def parsed_from_key(text: str, key: str) -> ParsedName:
    """The parsed name ``parsed_as_key`` wrote for ``text``, without parsing it again."""
    arabic, russian, titles, *fields = split_cache_key(key)
    return ParsedName(
        text=text,
        tokens=tuple(NameToken(*fields[i : i + 3]) for i in range(0, len(fields), 3)),
        arabic=arabic == "1",
        titles=tuple(titles.split()),
        russian=russian == "1",
    )


def parsed_from_json(text: str, stored: Sequence[Any]) -> ParsedName:
    """The parsed name ``parsed_as_json`` stored for ``text``, without parsing it again."""
    tokens, arabic, *rest = stored
    return ParsedName(
        text=text,
        tokens=tuple(NameToken(s, sp, r) for s, sp, r in tokens),
        arabic=bool(arabic),
        titles=tuple(rest[0]) if rest else (),
        russian=bool(rest[1]) if len(rest) > 1 else False,
    )


@dataclass(slots=True)
class Profile:
    """Everything the scorer knows of a person (or watchlist entry)."""

    ident: int
    names: list[KnownName]
    dob: tuple[int, int] | None = None  # earliest, latest as proleptic ordinals
    dob_text: str | None = None
    nationalities: tuple[str, ...] = ()
    mother: str | None = None
    place_of_birth: str | None = None
    sex: str | None = None  # side attributes for batch de-duplication (side.py)
    category: str | None = None
    extra_dobs: list[tuple[int, int]] = field(default_factory=list)
    # the mother's name and its parts as the index stored them (see mother_parsed)
    stored_mother: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    # how the mother's name is parsed when the index did not store it: a query's through
    # its own small cache (names.parse_query)
    parse: Callable[[str], ParsedName] = field(default=parse_name, repr=False, compare=False)
    _keys: set[str] | None = field(default=None, repr=False, compare=False)
    _rank_keys: set[str] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": [[n.parsed.text, n.kind] for n in self.names],
            # the parsed tokens too: loading a candidate must not re-parse its names
            "t": [parsed_as_json(n.parsed) for n in self.names],
            "d": list(self.dob) if self.dob else None,
            "dt": self.dob_text,
            "c": list(self.nationalities),
            "m": self.mother,
            "p": self.place_of_birth,
            "s": self.sex,
            "g": self.category,
        }
        if (mother := self.mother_parsed) is not None:
            out["mt"] = parsed_as_key(mother)  # and the mother's: see mother_parsed
        return out

    @classmethod
    def from_json(cls, ident: int, data: dict[str, Any], *, stored_mother: bool = True) -> Profile:
        """The profile ``to_json`` stored. ``stored_mother=False`` leaves the mother's stored
        parts aside, for a batch job: it compares each record with many, and parses each
        mother's name once, through ``parse_name``'s cache (see ``mother_parsed``)."""
        dob = data.get("d")
        parsed = data.get("t")
        if parsed is not None and len(parsed) == len(data["n"]):
            names = [
                KnownName(parsed_from_json(text, stored), kind)
                for (text, kind), stored in zip(data["n"], parsed, strict=True)
            ]
        else:
            names = [KnownName(parse_name(text), kind) for text, kind in data["n"]]
        return cls(
            ident=ident,
            names=names,
            dob=(dob[0], dob[1]) if dob else None,
            dob_text=data.get("dt"),
            nationalities=tuple(data.get("c") or ()),
            mother=data.get("m"),
            place_of_birth=data.get("p"),
            sex=data.get("s"),
            category=data.get("g"),
            stored_mother=(
                (data["m"], data["mt"])
                if stored_mother and data.get("m") and isinstance(data.get("mt"), str)
                else None
            ),
        )

    @property
    def mother_parsed(self) -> ParsedName | None:
        """The mother's name parsed. As the index stored it, built afresh at each use and
        kept nowhere: an intake check compares the mothers of dozens of candidates (57 a
        check on the scenario), and a cache of them, ``parse_name``'s or the profile's,
        would keep each for every full garbage collection of the server to walk. A profile
        the index did not store (a query, a new record), one a batch job loaded
        (``stored_mother=False``), or one stored before the index kept mothers parses the
        name, through ``parse``."""
        text = self.mother
        if not text:
            return None
        stored = self.stored_mother
        if stored is not None and stored[0] == text:  # not a copy given another mother
            return parsed_from_key(text, stored[1])
        return self.parse(text)

    @property
    def place_parsed(self) -> ParsedName | None:
        """The place of birth parsed. Through ``parse_name``'s cache, unlike a mother's name:
        a registry's people are born in a few hundred places, which it then holds once."""
        return parse_name(self.place_of_birth) if self.place_of_birth else None

    @property
    def rank_keys(self) -> set[str]:
        """Index keys of each name part's own spelling, the birth year (each year of a range
        up to ``ATTRIBUTE_YEARS``), the parts of the mother's name and of the place of birth;
        not nationality, which half a registry shares and which would cost more to read than
        it tells. They never fetch candidates; they rank the namesakes a name fetched:
        "Islami" before the "Salim"s that share its skeleton, "Abdelrahman, born 1975" the
        Abdelrahmans born in 1975 first, and the one whose mother is Khadija before the
        Muhammad Ahmads whose mothers are not."""
        if self._rank_keys is not None:
            return self._rank_keys
        out = {
            f"={t.spelling}"
            for n in self.names
            for t in n.parsed.tokens
            if t.role != "kunya_marker"
        }
        # titles: "Hafiz Muhammad" ranks the Muhammads known as Hafiz first; kunyas: "Abu
        # Maryam" ranks the fathers of a Maryam before the women named Maryam
        out.update(f"#t{t}" for n in self.names for t in n.parsed.titles)
        out.update(
            f"#k{t.skeleton}" for n in self.names for t in n.parsed.tokens if t.role == "kunya"
        )
        for lo, hi in ([self.dob] if self.dob else []) + self.extra_dobs:
            first, last = dt.date.fromordinal(lo).year, dt.date.fromordinal(hi).year
            if last - first < ATTRIBUTE_YEARS:
                out.update(f"#y{y}" for y in range(first, last + 1))
        for n in self.names:
            out |= part_order_keys(n.parsed)
        # the mother's name and the birthplace: how the region's registers tell namesakes apart
        for mark, parsed in (("#m", self.mother_parsed), ("#p", self.place_parsed)):
            if parsed is not None:
                out.update(f"{mark}{k}" for k in parsed.keyset)
        self._rank_keys = out
        return out

    @property
    def keys(self) -> set[str]:
        if self._keys is None:
            out: set[str] = set()
            for name in self.names:
                out |= name.parsed.keys
            self._keys = out
        return self._keys


def plausible(
    query: Profile,
    cand: Profile,
    weigh: Callable[[str], float],
    near: Callable[[str], set[str]],
    min_cover: float = MIN_COVER,
) -> bool:
    """Cheap gate before scoring: some name of the query has at least ``min_cover`` of its
    weight in parts whose key (or a key one letter away) the candidate holds. A candidate
    sharing only "Muhammad" with a query never reaches a review score, and screening a
    registry scores millions of such pairs otherwise."""
    held = cand.keys
    for name in query.names:
        total = got = 0.0
        missed: list[tuple[int, float]] = []
        for i, t in enumerate(name.parsed.tokens):
            if t.role == "kunya_marker":
                continue
            w = part_weight(t, weigh)
            total += w
            if t.skeleton in held or not held.isdisjoint(near(t.skeleton)):
                got += w
            elif _reading_held(t, name.parsed, held):
                got += w  # Tayyip, whose tp is no letter away from طيب: too short to be near
            else:
                missed.append((i, w))
        if total and got / total < min_cover and missed:
            # parts held another way, asked only where the rest falls short
            split = _held_another_way(name.parsed, cand, near)
            got += sum(w for i, w in missed if i in split)
        if total and got / total >= min_cover:
            return True
    return False


def _reading_held(t: NameToken, name: ParsedName, held: set[str]) -> bool:
    """Does the candidate hold the part read another way: a Latin one as Turkish writes
    (``turkish_reading``; in a name written as Turkish, its h as a kh and its z as a d),
    with a doubled v as a doubled w (``doubled_v_as_w``: Havva, whose hv is no letter away
    from حواء), an Arabic one with an h apart (``apart_skeleton``)?"""
    if name.arabic:
        apart = apart_skeleton(t.spelling)
        return apart is not None and apart in held
    # Havva, whose hv is no letter away from حواء; Chalid, whose sld is none from خالد
    if any(
        letters in t.spelling and reading(t.spelling) in held
        for letters, reading, _, _ in _LETTERS_READ_AS
    ):
        return True
    reading = turkish_reading(t.spelling)
    if reading is not None and (reading in held or not held.isdisjoint(arabic_readings(reading))):
        return True
    return name.turkish and not held.isdisjoint(turkish_letter_readings(t.spelling))


def _held_another_way(name: ParsedName, cand: Profile, near: Callable[[str], set[str]]) -> set[int]:
    """The indexes of the name's parts the candidate holds another way: its first part with
    the title before it run in (Haji Murad, Gadzhimurad), and parts a name of the candidate
    writes as one, or as two (``_written_apart``)."""
    split = _written_apart(name, cand)
    run = name.title_run
    if run is not None and (
        run.skeleton in cand.keys or not cand.keys.isdisjoint(near(run.skeleton))
    ):
        split.add(0)
    return split


def _written_apart(name: ParsedName, cand: Profile) -> set[int]:
    """The indexes of the name's parts that a name of the candidate in the other script
    writes together with the part beside them, or apart (``_may_join``): Alireza and علي
    رضا, Nursultan and نور سلطان. Nearly always empty; seams are cached."""
    out: set[int] = set()
    for other in cand.names:
        theirs = other.parsed
        if theirs.arabic == name.arabic:
            continue
        if not name.arabic:  # a Latin part, an Arabic name's two parts
            runs = theirs.seams[1]
            if runs and any(f in runs for f in name.loose_keys):  # cached: nearly never
                out.update(i for i, t in enumerate(name.tokens) if seam_fold(t.skeleton) in runs)
            continue
        keys, loose = theirs.keyset, theirs.loose_keys
        for i, (run, folded) in enumerate(zip(*name.seams, strict=True)):
            if run in keys or folded in loose:
                out.update((i, i + 1))
    return out


Weigher = Callable[[str], float]


def default_weight(skeleton: str) -> float:
    return COMMON_PARTS.get(skeleton, 1.0)


def part_weight(token: NameToken, weigh: Weigher) -> float:
    """How much a part of a name tells: its rarity, or little for an initial."""
    return INITIAL_WEIGHT if token.role == "initial" else weigh(token.skeleton)


def idf_weigher(df: dict[str, int], total: int) -> Weigher:
    """Weights from document frequencies: ``log(N/df) / log(N)``, at least 0.1."""
    top = math.log(max(total, 2))
    memo: dict[str, float] = {}

    def weigh(skel: str) -> float:
        known = memo.get(skel)
        if known is not None:
            return known
        count = df.get(skel, 0)
        if skel in ("abu", "umm"):
            value = MARKER_WEIGHT
        elif count <= 0:
            value = 1.0
        else:
            value = max(0.1, min(1.0, math.log(max(total, 2) / count) / top + 0.15))
        memo[skel] = value
        return value

    return weigh


# Different names whose skeletons are one letter apart: near spellings of one of them are
# not evidence for the other.
DISTINCT_NAMES = frozenset(
    {
        frozenset({"mhmd", "mhmwd"}),  # Muhammad, Mahmud
        frozenset({"mhmd", "mhd"}),  # Muhammad, Mahdi
        frozenset({"hsn", "hsyn"}),  # Hasan, Husayn: two brothers' names
    }
)
_DISTINCT_PARTS = frozenset().union(*DISTINCT_NAMES)


# Arabic ض ظ ذ are written d, dh, z or th in Latin (Persian and Urdu say z): Fazl = فضل,
# Zakir = ذاکر, Zia = ضیا. Only across scripts; in Latin, d and z are different letters.
_CROSS_FOLD = str.maketrans({"z": "d"})


def _cross_fold(skel: str) -> str:
    return skel.translate(_CROSS_FOLD)


def _across(skel: str) -> dict[str, tuple[str, ...]]:
    """The skeletons Arabic script may write for a Latin one, each with the letters it
    takes for another (its z a d, its v an f or a w: names.arabic_readings); an Arabic
    skeleton holds neither letter and reads as itself."""
    z = ("z for d",) if "z" in skel else ()
    return {_cross_fold(r): tuple(sorted({*z, *how})) for r, how in arabic_readings(skel).items()}


def _turkish(x: str, x_spelling: str, y: str, y_spelling: str, cross_script: bool) -> bool:
    """Does one spelling read as Turkish and Kurmanji write, its c as a j, a final p as a b
    and a final t as a d, make the two parts one name (Cemal = Jamal, Recep = رجب, Habip =
    Habib, Sait = سعيد), with a transliteration's letters besides?"""
    ours, theirs = turkish_reading(x_spelling), turkish_reading(y_spelling)
    if ours is None and theirs is None:
        return False
    return not _folded_readings(x, ours, cross_script).isdisjoint(
        _folded_readings(y, theirs, cross_script)
    )


def _folded_readings(skel: str, turkish: str | None, cross_script: bool) -> set[str]:
    """A part's skeleton and its Turkish reading, across scripts each as Arabic script
    writes its v, with the letters transliterations swap folded. The v is read first:
    folded before, Cevdet's d and t would run together once its v is read as a vowel."""
    read = (r for k in (skel, turkish) if k for r in (arabic_readings(k) if cross_script else (k,)))
    return {loose_fold(r) for r in read}


def _letters_across(x: str, y: str) -> str | None:
    """Across scripts, the letters Arabic writes for Latin's by which two different
    skeletons meet ("v for f"), or None if they do not."""
    if x == y or not ("z" in x or "z" in y or "v" in x or "v" in y):
        return None  # the common case, without building readings
    ours, theirs = _across(x), _across(y)
    met = ours.keys() & theirs.keys()
    if not met:
        return None
    reading = min(met, key=lambda r: (len(ours[r]) + len(theirs[r]), r))
    return ", ".join(sorted({*ours[reading], *theirs[reading]}))


def _transliterated_across(x: str, y: str) -> bool:
    """Across scripts, one transliteration's letters for another's (``loose_fold``) on top of
    Arabic's letters for a Latin v: Russian Khasanov = حسنوف. Not for its z: a z read as
    a d and that d as a t would make Izabayo طيب."""
    if "v" not in x and "v" not in y:
        return False  # each is its own reading: _transliterated has compared them
    ours = {loose_fold(a) for a in arabic_readings(x)}
    return any(loose_fold(b) in ours for b in arabic_readings(y))


def _ending_across(x: str, x_spelling: str, y: str, y_spelling: str) -> str:
    """Across scripts, a last letter one skeleton holds and the other, the same name, lacks:
    a Latin spelling's final h that its skeleton dropped (as it drops the h of Fatimah) is
    the ح the Arabic writes (Saleh = صالح); a Latin final -at or -et is the ta marbuta (ة)
    that the Arabic ends with, said as a t, as Persian, Turkish, Central Asian and Caucasian
    names say it (Hikmat = حكمة, Izzet = عزة, Avar Aminat = أمينة). "" if neither. The h
    that ends Allah is a ه, as Ilah's is: Abdullah's is no final h that عبد الإله holds."""
    for short, short_spelling, longer, longer_spelling in (
        (x, x_spelling, y, y_spelling),
        (y, y_spelling, x, x_spelling),
    ):
        if (
            longer == short + "h"
            and short_spelling.endswith("h")
            and not short_spelling.endswith("llah")  # Allah's h, ه: Abdullah is not Abd al-Ilah
        ):
            return "a final h"
        if (
            longer == short + "t"
            and short_spelling.endswith("a")
            and longer_spelling.endswith(("at", "et"))
        ):
            return "the ta marbuta said as t"
    return ""


# The -ov, -ev of a family name, written ف after a name's own f: يوسفوف, لطيفوفا, عارفيف
_ARABIC_FAMILY_ON_F = re.compile(r"f[uio]fa?$")


def _family_name_on_its_f(latin: str, arabic_spelling: str) -> bool:
    """Across scripts, is a Latin family name built on a name that ends in f (Yusufov,
    Latifova; Aripov, its p read as an f) set against that name bare in Arabic script (يوسف,
    لطيف)? Its -ov, read as an f, runs into the name's own, and a skeleton writes a doubled
    letter once: only the Arabic spelling tells the family name (يوسفوف) from the name.
    An Arabic skeleton holds no v."""
    return latin.endswith("fv") and not _ARABIC_FAMILY_ON_F.search(arabic_spelling)


def _x_for_ks(x: str, y: str) -> bool:
    """One skeleton's x (a kh to the name model) is the other's ks: a Latin x is also the
    ks of Western names (Alexander = Aleksandr, Maxim = Maksim)."""
    return ("x" in x) != ("x" in y) and x.replace("x", "ks") == y.replace("x", "ks")


def _transliterated(x: str, y: str, x_spelling: str = "", y_spelling: str = "") -> bool:
    """Two skeletons one transliteration writes for the other's (``loose_fold``, x for ks).
    A t for a d inside a name needs a th or a dh, Iraqi th for the dh of ذ (Thiab = Dhiyab
    = ذياب); otherwise only a final letter is made voiceless (Turkish and Russian: Ahmet,
    Murat, Magomet; a part joined to the next: ``_join_similarity``). Sultan is no Salah
    ad-Din (sldn), Italy no Adil (عادل)."""
    if _x_for_ks(x, y):
        return True
    if len(x) != len(y) or loose_fold(x) != loose_fold(y):
        return False
    if any(d in x_spelling or d in y_spelling for d in ("th", "dh")):
        return True
    return all(a == b or a + b not in ("dt", "td") for a, b in zip(x[:-1], y[:-1], strict=True))


# The vowel a Latin spelling opens with: Umar, Omar and Oumar are one name, Amar and Amer
# (Ammar, Amir) others, though the consonants agree; likewise Usman and Asman, Ubaid and
# Abid.
_ROUND_VOWELS = frozenset("ou")
_OPEN_VOWELS = frozenset("aei")


def _other_opening_vowel(skeleton: str, x: str, y: str) -> bool:
    """Do two Latin spellings of one skeleton open with vowels of two kinds (Umar, Amar)?
    Ullah and Allah are one word however written."""
    a, b = x[:1], y[:1]
    other = (a in _ROUND_VOWELS and b in _OPEN_VOWELS) or (a in _OPEN_VOWELS and b in _ROUND_VOWELS)
    return other and skeleton != "allah"


# Letters a skeleton drops as vowels (the ya and waw among them), the rest, and the two
# qualities of a long vowel a spelling shows (ya: i, y; waw: u, o, w).
_VOWEL_LETTERS = "aeiouyw"
_CONSONANT_LETTERS = "bcdfghjklmnpqrstvxz'"
_QUALITIES = (frozenset("iy"), frozenset("uow"))


def _leading(text: str, letters: str) -> str:
    return text[: len(text) - len(text.lstrip(letters))]


def _vowel_runs(spelling: str) -> tuple[str, str]:
    """The vowels a spelling opens with, and those after its first consonants: "Ayman"
    gives ("ay", "a"), "Amin" ("a", "i")."""
    opening = _leading(spelling, _VOWEL_LETTERS)
    rest = spelling[len(opening) :]
    after = rest[len(_leading(rest, _CONSONANT_LETTERS)) :]
    return opening, _leading(after, _VOWEL_LETTERS)


def _long_vowel_elsewhere(x: str, y: str) -> bool:
    """Do two spellings of one skeleton hold their ya or waw in two places, one before the
    first consonant and the other after it? Ayman (أيمن) and Amin (أمين), Ayyub (أيوب) and
    Abu (أبو) are two names each, though the skeleton keeps neither the ya nor the waw;
    Ayman and Aiman are one."""
    (x_open, x_next), (y_open, y_next) = _vowel_runs(x), _vowel_runs(y)
    for letters in _QUALITIES:
        # a long vowel or diphthong opens the name (Ay-, Ai-, Iya-, Aw-), not a lone short
        # vowel that spellings write as they like (Idlebi and Edlibi, Idrees and Driss)
        x_first = len(x_open) > 1 and not letters.isdisjoint(x_open) and letters.isdisjoint(x_next)
        y_first = len(y_open) > 1 and not letters.isdisjoint(y_open) and letters.isdisjoint(y_next)
        x_later = letters.isdisjoint(x_open) and not letters.isdisjoint(x_next)
        y_later = letters.isdisjoint(y_open) and not letters.isdisjoint(y_next)
        if (x_first and y_later) or (y_first and x_later):
            return True
    return False


# What Latin spellings write for the long vowels Arabic script writes: a waw as u, o or w
# (Mahmoud, Mahmud, Sawsan), a ya as i, e or y (Said, Saeed, Sayed); its alef and ayn (both
# an a when romanized) they write as any vowel, or none
_LONG_VOWEL_LATIN = (("u", frozenset("uow")), ("i", frozenset("iey")))
_LONG_VOWEL_UNMET = "the same consonants, a long vowel of the Arabic not written: another name"
_LONG_VOWEL_IN_ONE = "the same consonants, a long vowel written in one only: another name"
_LATIN_LONG_VOWEL_UNWRITTEN = (
    "the same consonants, a long vowel the Arabic does not write: another name"
)
_OPENING_LETTERS = "aeiou"  # what the skeleton drops before the first consonant
_DOUBLED = ":"  # marks the vowels after a doubled consonant (_vowels_after_consonants)


def _skeleton_letters(spelling: str, first: tuple[tuple[str, str], ...] = ()) -> str:
    """A spelling's letters as the skeleton reads them (``names.SKELETON_DIGRAPHS``; a French
    ou before a vowel a w), after the replacements ``first``, vowels kept."""
    word = re.sub(r"^ou(?=[aei])", "w", spelling.replace(APART, ""))
    for digraph, letter in (*first, *SKELETON_DIGRAPHS):
        word = word.replace(digraph, letter)
    return word


# Asked of each spelling of a pair the part cache has not seen: a spelling's reading is
# cached, as the spellings repeat far more than their pairs
@functools.lru_cache(maxsize=1 << 16)
def _vowels_after_consonants(
    spelling: str, across_vowels: bool = False, long_marked: bool = False
) -> tuple[str, ...]:
    """The vowels a spelling writes after each of its consonants, the letters read as the
    skeleton reads them (digraphs one letter, a doubled letter one, marked by a leading
    ":") and its opening vowels left out: "Mahmoud" gives ["a", "", "u", ""], محمود (mhmud)
    ["", "", "u", ""], "Saffet" ["a", ":e", ""]. ``across_vowels``: a consonant that
    repeats the one before it across vowels is one too, as the skeleton writes it (ميساء
    عيسى run together, misaaisa, gives ["i", "aaia"]). ``long_marked``: the letters only a
    long vowel is written with (ee, ii, oo, uu) and a diphthong's (ay, ey) as one letter of
    their own, ī or ū, and an i after a vowel as ɨ, a ya or an ayn and a short i
    (``_LATIN_LONG_VOWELS``)."""
    vowels = _VOWEL_LETTERS + ("īūɨ" if long_marked else "")
    word = _skeleton_letters(spelling, _LATIN_LONG_VOWELS if long_marked else ())
    word = word.lstrip(_OPENING_LETTERS)
    gaps: list[str] = []
    consonant = ""
    for i, letter in enumerate(word):
        if i and letter in vowels:
            gaps[-1] += letter
        elif letter == word[i - 1] and gaps:
            gaps[-1] = _DOUBLED
        elif not (across_vowels and letter == consonant):
            gaps.append("")
        consonant = consonant if letter in vowels and i else letter
    return tuple(gaps)


def _long_vowel_unmet(latin: str, arabic: str) -> bool:
    """Across scripts, for two parts of one skeleton: does the Arabic write a long u or i
    (a waw or ya) after a consonant where the Latin writes no vowel, or vowels none of
    which may be it? Arabic script writes its long vowels: Khaled is not خلود (Khulud),
    Saad not سعيد (Said), Hamid not حمود (Hamud), Salman not سليمان (Sulayman). Where the
    two count their consonants differently (a shadda Arabic leaves unwritten, a letter read
    otherwise), nothing is said; nor of a Latin vowel that Turkish writes for one: a ya
    that ends the name as its u (Şükrü = شكري, Hüsnü = حسني), a waw that a doubled letter
    took in (Saffet = صفوت); nor of an a for a final ya, which Persian script writes for
    the alef maqsura (مصطفی, موسی)."""
    if arabic in CONVENTIONAL_SPELLINGS:
        return False
    ours, theirs = _vowels_after_consonants(latin), _vowels_after_consonants(arabic)
    if len(theirs) > len(ours):
        # two Arabic parts run together, as the skeleton reads them (ميساء عيسى for Mousa:
        # its s written twice); not the Latin, whose extra letters are an article Arabic
        # script's romanization leaves out (Abdulilah, abdilh)
        theirs = _vowels_after_consonants(arabic, across_vowels=True)
    if len(ours) != len(theirs):
        return False
    last = len(ours) - 1
    for k, (said, written) in enumerate(zip(ours, theirs, strict=True)):
        if k == last and written == "i" and said and not said.strip("a"):
            continue  # Persian script's ya that is an alef maqsura: Mustafa = مصطفی
        if k == last and "i" in written and not said:
            return True  # a final ya Latin writes: al-Hussein is not الحسيني, Hamd not حمدي
        if said == _DOUBLED or (said.startswith(_DOUBLED) and "u" in written):
            # Saffet: the w of Safwat taken into the doubled f
            continue
        if not said and k == last:
            continue  # the waw of Amr (عمرو) is not said
        if k == last and "u" in said and "u" in "".join(ours[:k]):
            said += "i"  # Şükrü: the i of Shukri said as the vowels before it
        if any(long in written and ok.isdisjoint(said) for long, ok in _LONG_VOWEL_LATIN):
            return True
    return False


# Latin letters that can only write a long vowel (Kareem, Masood, Sa'iid), each read as one
# letter of its own (``_vowels_after_consonants``), and what the romanized Arabic must
# write there for it
_LATIN_LONG_VOWELS = (
    ("ee", "ī"),
    ("ii", "ī"),
    ("oo", "ū"),
    ("uu", "ū"),
    # a y after a vowel, the ya of a diphthong (Sulayman, Zeynep): always written
    ("ay", "ī"),
    ("ey", "ī"),
    # an i after a vowel: that ya (Sulaiman, Hussein), or an ayn and a short i (Moneim =
    # منعم, Mounaim), which is a letter all the same: another name only against none
    ("ai", "ɨ"),
    ("ei", "ɨ"),
)
_LATIN_LONG = re.compile("|".join(digraph for digraph, _ in _LATIN_LONG_VOWELS))
_ARABIC_FOR_LONG = {"ī": frozenset("iye"), "ū": frozenset("uwo"), "ɨ": frozenset("aeiouy")}


def _latin_long_vowel_unwritten(latin: str, other: str) -> bool:
    """The other way round: does the Latin write a long vowel that only a ya or a waw can be
    (ee, oo) after a consonant where the other spelling, romanized Arabic script or Latin,
    writes no letter that could be it? Kareem is not كرم (Karam) nor Karam, Hameed not حمد
    (Hamad), Saeed not سعد or Saad, Noor not نار. A Latin i or u may be short (Hamid =
    حامد): only the doubled letters say a vowel is long, and a y after a vowel a ya
    (Sulayman is not سلمان, Salman; Haytham not Hatim). An i after a vowel may be that ya or
    an ayn and a short i (Moneim = منعم): it is another name only where the other writes
    no vowel there (Sulaiman is not Salman)."""
    if other in CONVENTIONAL_SPELLINGS or not _LATIN_LONG.search(latin):
        return False  # nearly every pair: no ee, oo or diphthong
    ours = _vowels_after_consonants(latin, long_marked=True)
    theirs = _vowels_after_consonants(other)
    if len(ours) != len(theirs):
        return False
    # not after the last consonant, where a Latin ii or ee may be an ayn and a ya (Wadii,
    # al-Wadi'i = الوادعي; Zawbaee) and a final long vowel is written every which way
    return any(
        long in said and ok.isdisjoint(written)
        for said, written in zip(ours[:-1], theirs[:-1], strict=True)
        for long, ok in _ARABIC_FOR_LONG.items()
    )


# What a spelling writes after its last consonant for the ya of a nisba (al-Husseini, Omari,
# Hamdy, Hachemee), and where it writes no vowel there (a doubled letter, ":", is none)
_FINAL_YA = frozenset({"i", "y", "ee", "ie", "iy", "ii", "iyy"})
_NO_FINAL_VOWEL = frozenset({"", _DOUBLED})
_FINAL_YA_IN_ONE = "the same consonants, the final i of a nisba in one only: another name"
_FINAL_A_IN_ONE = "the same consonants, a final a in one only: another name"
_FINAL_A_AGAINST_I = "the same consonants, a final a in one, a final i in the other: another name"
_ENDINGS_READ = frozenset({_FINAL_YA_IN_ONE, _FINAL_A_IN_ONE, _FINAL_A_AGAINST_I})
_FINAL_A = frozenset({"a", "aa"})
# a final a, or the -iya of a woman's nisba (Saadia, Saadiya, سعدية: not Saad)
_FINAL_A_SAID = frozenset({"a", "ia", "iya", "iyya"})
_RUSSIAN_FAMILY_NAME = re.compile(r"[oe]va?$")  # Aliev, Alieva: one family's two forms


def _ending_in_one(x_spelling: str, y_spelling: str, across: bool = False) -> str:
    """How two spellings of one skeleton end, where one writes a vowel after its last
    consonant and the other, its consonants counted alike, writes none, or (in Latin) an a
    and an i: "" for one name, else the reading that found another.

    - The ya of a nisba, an i or y (``_FINAL_YA_IN_ONE``): a nisba is a name of its own,
      Husseini (الحسيني) is not Hussein, Omari not Omar, Hamdi not Hamad, Hachemi not
      Hachem; Arabic script writes that ya, and no spelling of a name drops it. Not a nisba
      of origin, which English and Persian write without its ya (Afghan, Turk, Iranian =
      al-Irani). Swahili and Persian add an i to a name now and then (Rashidi, Abubakary,
      Azami), but read as one name those found fewer of the UN list's aliases.
    - An a, most often the ta marbuta of a woman's name (``_FINAL_A_IN_ONE``): Karima
      (كريمة) is not Karim, Latifa not Latif, Amina not Amin; the -iya of a woman's nisba
      too (Saadia, سعدية Sa'diyya, is not Saad). Not a Russian family name's -a (Aliev,
      Alieva), nor a French -e (Amine is Amin).
    - In Latin, an a in one and an i in the other (``_final_a_against_i``).

    A final ayn or ta marbuta, which romanized Arabic script writes as an a, is a vowel
    there (Rabi = ربيع, Shafi = شافع). Nothing is said where the two count their consonants
    differently: a consonant said twice (Hadi, Hadid) is ``_consonant_repeated_in_one``'s,
    and an Abdullah written without its h is one name."""
    x_gaps = _final_gaps(x_spelling, y_spelling.endswith("h"))
    y_gaps = _final_gaps(y_spelling, x_spelling.endswith("h"))
    if not x_gaps or len(x_gaps) != len(y_gaps):
        return ""
    if x_gaps[-1] in _NO_FINAL_VOWEL:
        said = y_gaps[-1].lstrip(_DOUBLED)
    elif y_gaps[-1] in _NO_FINAL_VOWEL:
        said = x_gaps[-1].lstrip(_DOUBLED)
    else:
        return "" if across else _final_a_against_i(x_gaps[-1], y_gaps[-1])
    if said in _FINAL_YA and not _of_origin(x_spelling, y_spelling):
        return _FINAL_YA_IN_ONE
    russian = _RUSSIAN_FAMILY_NAME.search(x_spelling) and _RUSSIAN_FAMILY_NAME.search(y_spelling)
    return _FINAL_A_IN_ONE if said in _FINAL_A_SAID and not russian else ""


_SIN_AGAINST_SHIN = "the same consonants, an s against a sh: another name"
# The s-like letters of a spelling, in order: a shin (sh, sch, ch; ش), an s that can only be
# a sin (a doubled s, a French c before e, i or y; س), or a single s, which may be a sin or
# a Turkish ş written without its cedilla (Hasim, Ayse). A Latin sh before a vowel and a q
# or k is an s and an h (Ishaq, إسحاق) and tells nothing.
_LATIN_S_LETTERS = re.compile(
    r"(?P<ishaq>sh(?=[aeiou]+[qk]))|(?P<shin>sch|sh|ch)|(?P<sin>ss+|c(?=[eiy]))|s"
)
_ARABIC_S_LETTERS = re.compile(r"(?P<shin>sh)|(?P<sin>s)")


def _s_letters(spelling: str, arabic: bool) -> list[str]:
    """What each s-like letter of a spelling is, in order: shin, sin, or "" (either)."""
    letters = _ARABIC_S_LETTERS if arabic else _LATIN_S_LETTERS
    return [
        m.lastgroup if m.lastgroup in ("shin", "sin") else "" for m in letters.finditer(spelling)
    ]


def _sin_against_shin(x_spelling: str, y_spelling: str, arabic_side: int = 0) -> bool:
    """Does one spelling of a skeleton write a shin where the other writes an s that can only
    be a sin? The skeleton reads both as an s, as French and English spellings write the
    shin otherwise (Aicha, Aisha), but they are two letters: Aissa (عيسى) is not Aisha
    (عائشة), Hossam (حسام) not Hisham (هشام). A single Latin s may be a Turkish ş written
    without its cedilla, and says nothing. ``arabic_side``: which spelling is romanized
    Arabic script, whose s is always a sin (an s and an h of their own, إسحاق, are apart)."""
    both = x_spelling + " " + y_spelling
    if "sh" not in both and "ch" not in both:
        return False  # nearly every pair: no shin
    x = _s_letters(x_spelling, arabic_side == 1)
    y = _s_letters(y_spelling, arabic_side == 2)
    return len(x) == len(y) and any({a, b} == {"shin", "sin"} for a, b in zip(x, y, strict=True))


def _final_a_against_i(x_said: str, y_said: str) -> str:
    """Does one Latin spelling end in an a and the other, its consonants counted alike, in
    an i? An alef, hamza or ta marbuta is not a ya: Ala (علاء) is not Ali, Safa (صفاء) not
    Safi, Hamda not Hamdi. Not across scripts, where the a of romanized Arabic script may be
    a final ayn (Shafi = شافع) and its ya Persian script's alef maqsura (موسی)."""
    x, y = x_said.lstrip(_DOUBLED), y_said.lstrip(_DOUBLED)
    if (x in _FINAL_A and y in _FINAL_YA) or (y in _FINAL_A and x in _FINAL_YA):
        return _FINAL_A_AGAINST_I
    return ""


def _final_gaps(spelling: str, other_ends_in_h: bool) -> tuple[str, ...]:
    """``_vowels_after_consonants``, a ta marbuta written h left out (Aishah = Aisha,
    Fatimah = فاطمة); not against a spelling that ends in an h too, which may be a letter of
    the name (Abdelilah = عبد الإله, abdilh)."""
    return _vowels_after_consonants(spelling if other_ends_in_h else _without_final_h(spelling))


def _without_final_h(word: str) -> str:
    """A final h after a vowel, a ta marbuta written h, left out: Talhah = طلحة."""
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWEL_LETTERS:
        return word[:-1]
    return word


def _english_demonym(word: str) -> bool:
    """English's -ian for a nisba of origin: the Iranian = al-Irani, the Tanzanian."""
    return len(word) > 5 and word.endswith("ian")


def _of_origin(x_spelling: str, y_spelling: str) -> bool:
    """Is either spelling a nisba of origin (``origins``), or English's -ian for one?"""
    return any(
        _english_demonym(spelling) or is_origin_spelling(spelling, skeleton(spelling))
        for spelling in (x_spelling, y_spelling)
    )


def _abd_of(
    compound: str, compound_spelling: str, bare: str, bare_spelling: str, arabic_side: int
) -> bool:
    """``Abd al-Rahman`` written without its Abd (``Rahman, Mohamad Iqbal``), or an Abd that
    a list put before another part (``MAJEED ABDUL CHAUDHRY``); not where the name after the
    Abd and the bare part are two names for an opening alef or ayn (Abd al-Hamid is no
    Ahmad, as Hamid is none: ``_opening_alef_or_ayn``). ``arabic_side``: 1 where the
    compound is written in Arabic script, 2 where the bare part is."""
    if len(bare) < 3 or compound != "bd" + bare:
        return False
    names = _names_after_abd(compound_spelling, bare)
    return not names or any(
        not _opening_alef_or_ayn(bare, name, bare, bare_spelling, arabic_side) for name in names
    )


def _names_after_abd(spelling: str, bare: str) -> list[str]:
    """The spellings the name after an Abd may have in ``spelling`` (Abdul Hamid: hamid;
    Abd al-Alim: alim; Abdurrahman: urrahman or rrahman), those whose skeleton is ``bare``."""
    if not spelling.startswith("abd"):
        return []
    rest = spelling[3:]
    tails = [rest]
    if rest[:1] in _OPENING_VOWELS:
        tails.append(rest[1:])
        if rest[1:2] == "l":
            tails.append(rest[2:])
    return [tail for tail in tails if tail and skeleton(tail) == bare]


def token_similarity(
    a: NameToken,
    b: NameToken,
    cross_script: bool,
    both_arabic: bool = False,
    arabic_side: int = 0,
) -> float:
    """0..1: the same skeleton is strong evidence, a near spelling weaker. Two parts written
    in Arabic script (``both_arabic``) are not read as Latin spellings are; across scripts,
    ``arabic_side`` says which part is in Arabic script, where known (``_arabic_side``)."""
    scripts = f"x{arabic_side or ''}" if cross_script else "a" if both_arabic else ""
    return _pair_score(a, b, scripts)


def _pair_score(a: NameToken, b: NameToken, scripts: str) -> float:
    """``_part_similarity`` of two parts, its key built from them and their scripts' code
    (``_scripts_code``)."""
    return _part_similarity(cache_key((a.skeleton, a.spelling, b.skeleton, b.spelling, scripts)))


def _scripts_code(cross: bool, g_letters: tuple[str, str]) -> str:
    """How ``_part_similarity``'s key writes the scripts of two names: "x1" or "x2" across
    scripts (``_arabic_side``), "a" for two in Arabic script (``_both_arabic``), "" for two
    in Latin."""
    if cross:
        return "x1" if g_letters[0] == "" else "x2"
    return "a" if g_letters == ("", "") else ""


def _arabic_side(cross_script: bool, g_letters: tuple[str, str]) -> int:
    """Across scripts, which of two names is in Arabic script (1 or 2: the one whose g stands
    for nothing else, ``ParsedName.g_letters``); 0 within one script."""
    if not cross_script:
        return 0
    return 1 if g_letters[0] == "" else 2


def _both_arabic(g_letters: tuple[str, str]) -> bool:
    """Are both names in Arabic script? Only there may a g stand for nothing else
    (``ParsedName.g_letters``)."""
    return g_letters == ("", "")


# Registries repeat their names: a batch compares the same two parts millions of times.
@functools.lru_cache(maxsize=1 << 18)
def _part_similarity(pair: str) -> float:
    x, x_spelling, y, y_spelling, scripts = split_cache_key(pair)
    cross_script, arabic_side = scripts[:1] == "x", int(scripts[1:] or 0)
    return _parts_read(x, x_spelling, y, y_spelling, cross_script, scripts == "a", arabic_side)[0]


def _parts_read(
    x: str,
    x_spelling: str,
    y: str,
    y_spelling: str,
    cross_script: bool,
    both_arabic: bool,
    arabic_side: int = 0,
) -> tuple[float, str]:
    """How far two parts (skeleton and spelling each) are one name, and in words why: the
    score and the explanation come from one reading, so an analyst is told the rule that
    scored the pair."""
    alike = _spelt_read(x, x_spelling, y, y_spelling, cross_script, both_arabic, arabic_side)
    if cross_script and (APART in x_spelling or APART in y_spelling):
        # an Arabic h after a z, s, t, d or k read both ways (arabic.APART): Zuhair = زهير
        apart = _spelt_read(
            *_apart(x, x_spelling), *_apart(y, y_spelling), True, False, arabic_side
        )
        if apart[0] > alike[0]:
            alike = (apart[0], _read_apart(apart[1]))
    if alike[0] <= OTHER_OPENING_VOWEL_SIMILARITY and alike[1] not in _ENDINGS_READ:
        return alike
    if _opening_alef_or_ayn(x, x_spelling, y, y_spelling, arabic_side):
        # told before an ending that differs too: a name's first difference first
        # (Usama and سهام, Siham)
        return OTHER_OPENING_VOWEL_SIMILARITY, _ALEF_OR_AYN
    if alike[1] in _ENDINGS_READ:
        return alike
    if (
        x != y
        and not cross_script
        and not both_arabic
        and (vowels := _vowels_read(x_spelling, y_spelling))
    ):
        return OTHER_OPENING_VOWEL_SIMILARITY, vowels
    if (cross_script and not arabic_side) or not _consonant_repeated_in_one(
        x_spelling, y_spelling, both_arabic or arabic_side == 1, both_arabic or arabic_side == 2
    ):
        return alike
    return OTHER_OPENING_VOWEL_SIMILARITY, _REPEATED_IN_ONE


_REPEATED_IN_ONE = "the same consonants, one said twice in one name: another name"


def _vowels_read(x_spelling: str, y_spelling: str) -> str:
    """Two Latin spellings one reading of a letter makes one skeleton (an s for a th, a
    Turkish c for a j, another transliteration), read for their vowels as two spellings of
    one skeleton are: "" for one name, else why they are two. Thamer (ثامر) is not Samira,
    Muath not Maysa (ميساء), Majid not Magda, Husam not Haytham."""
    if ending := _ending_in_one(x_spelling, y_spelling):
        return ending
    if _latin_long_vowel_unwritten(x_spelling, y_spelling) or _latin_long_vowel_unwritten(
        y_spelling, x_spelling
    ):
        return _LONG_VOWEL_IN_ONE
    return ""


def _consonant_repeated_in_one(
    x_spelling: str, y_spelling: str, x_arabic: bool, y_arabic: bool
) -> bool:
    """Does one spelling say a consonant twice, a vowel between (Habib, Dawud, Hadid), where
    the other, its consonants otherwise the same, says it once (هبة Hiba, ضياء Diya, Hadi)?
    The skeleton writes both once. Two names: Habib is no Hiba, Dawud no Diya. Not the l of
    an article before a name that opens with one (Abdullatif, Fadlallah), nor an ad-Din
    compound, whose article Latin takes into the d (Imadeddine = Imad al-Din)."""
    if _AD_DIN.search(x_spelling) or _AD_DIN.search(y_spelling):
        return False
    x, y = _consonants_said(x_spelling, x_arabic), _consonants_said(y_spelling, y_arabic)
    if x is None or y is None:
        return False
    return x[1] != y[1] and x[0] == y[0]


_AD_DIN = re.compile(r"d(?:in|ine|een|iin)$")


@functools.lru_cache(maxsize=1 << 16)
def _consonants_said(spelling: str, arabic: bool) -> tuple[str, int] | None:
    """A spelling's consonants as said, each said again once and with the letters
    transliterations swap folded together (``loose_fold``), and how often one is said again
    after a vowel (not an l). Its letters are read as the skeleton reads them, its opening
    vowels and an Abu run into the name after it left out (``_ABU_RUN_IN``); a letter a
    Latin spelling doubles is one (Hassan, the shadda), and English's -ian for a nisba is
    its -i. None for romanized Arabic script that writes a letter twice side by side: a
    short vowel may stand between them or none (ممدوح Mamdouh, محمد's conventional
    muhammad)."""
    word = _without_final_h(_skeleton_letters(spelling))
    if not arabic and _english_demonym(word):
        word = word[:-2]  # read as the nisba's -i
    if abu := _ABU_RUN_IN.match(word):
        word = word[abu.end() - 1 :]  # Abubakar: Abu's b is no part of Bakr
    word = word.lstrip(_OPENING_LETTERS)
    if arabic and re.search(r"([^aeiouyw])\1", word.replace("ll", "")):
        return None
    said = re.sub(r"(.)\1+", r"\1", word)
    said = said[:1] + re.sub(f"[{_VOWEL_LETTERS}]", "", said[1:])
    repeats = sum(1 for a, b in itertools.pairwise(said) if a == b and a != "l")
    return loose_fold(re.sub(r"(.)\1+", r"\1", said)), repeats


_ALEF_OR_AYN = "the same consonants, one opening with an alef or ayn"
_LONG_VOWEL_ELSEWHERE = "the same consonants, the long vowel in another place"


def _read_apart(how: str) -> str:
    """The words of a reading with an Arabic h read as a letter of its own."""
    rest = how.removeprefix("the other script").removeprefix(", ")
    return ", ".join(filter(None, ("the other script, the h a letter of its own", rest)))


_OPENING_VOWELS = _ROUND_VOWELS | _OPEN_VOWELS
_MUHAMMAD = "mhmd"


def _opening_alef_or_ayn(
    x: str, x_spelling: str, y: str, y_spelling: str, arabic_side: int = 0
) -> bool:
    """Does one spelling open with a vowel, the alef or ayn of its name, and the other with
    a consonant and a vowel, a name without one, where the skeletons, which drop an opening
    vowel, are as long? Ahmad (أحمد) and Hamad (حمد), Izzat and Zaid, Islam and Salam, Asad
    and Saad are two names each. Not: a consonant before another, a Maghrebi spelling that
    dropped the vowel (Brahim, Driss, Hmed); an l, the article Maghrebi spellings fuse
    (Lamine = al-Amin, Lazhar); a French ou before a vowel, a w (Ouassim = Wassim); the
    vowel Libyan and Maghrebi spellings put before a Muhammad said without its first vowel
    (M'hamed: Amhamed, Imhemed = محمد), as no name opens with an alef before it (not an
    Umm Ahmed run together). Across scripts (``arabic_side``: which spelling is romanized
    Arabic script), a Latin vowel before the consonant that opens the Arabic is an alef or
    ayn the Arabic does not write, whatever follows that consonant, as Arabic script writes
    no short vowel: Ahmed is not حمد (Hamad), nor Usama سهام (Siham), nor Imane منى. Not an
    Abu run into a name that opens with a b (``_ABU_RUN_IN``)."""
    opens, other = x_spelling[:1] in _OPENING_VOWELS, y_spelling[:1] in _OPENING_VOWELS
    if opens == other or len(x) != len(y):
        return False
    vowel, bare = (x_spelling, y_spelling) if opens else (y_spelling, x_spelling)
    if vowel.startswith("ou") and vowel[2:3] in "aei":
        return False
    if x == y == _MUHAMMAD and vowel[1:3] == "mh":
        return False  # Amhamed, not Umm Ahmed run together
    if arabic_side == (2 if opens else 1):
        # Arabic script writes its article apart: its l is the name's (Ali is not ليلى)
        return not _ABU_RUN_IN.match(vowel)
    return bare[:1] != "l" and bare[1:2] in _OPENING_VOWELS


# An Abu run into the name after it (Abubakar, Ebubekir: أبو بكر): the skeleton writes the
# b of both once, so its vowel opens no name that the Arabic's part lacks an alef of
_ABU_RUN_IN = re.compile(r"[ae]bo?u?b")


def _apart(skel: str, spelling: str) -> tuple[str, str]:
    """A part's skeleton and spelling with an Arabic h after a z, s, t, d or k a letter of
    its own (``names.apart_skeleton``); as they are without one."""
    apart = apart_skeleton(spelling)
    return (skel, spelling) if apart is None else (apart, spelling.replace(APART, ""))


def _spelt_read(
    x: str,
    x_spelling: str,
    y: str,
    y_spelling: str,
    cross_script: bool,
    both_arabic: bool = False,
    arabic_side: int = 0,
) -> tuple[float, str]:
    """``_parts_read`` before an Arabic h apart and an opening alef or ayn: the score of two
    parts, and in words the reading that gave it ("" for two parts spelt alike)."""
    if x in _DISTINCT_PARTS and y in _DISTINCT_PARTS and frozenset({x, y}) in DISTINCT_NAMES:
        return 0.0, ""
    if x == y:
        return _same_skeleton_read(
            x, x_spelling, y_spelling, cross_script, both_arabic, arabic_side
        )
    if cross_script and (
        _family_name_on_its_f(x, y_spelling) or _family_name_on_its_f(y, x_spelling)
    ):
        return 0.0, ""
    if cross_script and (across := _letters_across(x, y)):
        return CROSS_READING_SIMILARITY, f"the other script, {across}"
    if cross_script and (ending := _ending_across(x, x_spelling, y, y_spelling)):
        return 0.9, f"the other script, {ending}"
    if abs(len(x) - len(y)) == 2 and (
        _abd_of(x, x_spelling, y, y_spelling, arabic_side)
        or _abd_of(y, y_spelling, x, x_spelling, (3 - arabic_side) % 3)
    ):
        return ABD_BARE_SIMILARITY, "with and without Abd"
    if both_arabic:
        return _arabic_letters_read(x, x_spelling, y, y_spelling)
    if _transliterated(x, y, x_spelling, y_spelling) or (
        cross_script and _transliterated_across(x, y)
    ):
        return LOOSE_SIMILARITY, "another transliteration"
    if _may_be_turkish(x_spelling, y_spelling) and _turkish(
        x, x_spelling, y, y_spelling, cross_script
    ):
        turkish = turkish_letters(x_spelling) or turkish_letters(y_spelling)
        return LOOSE_SIMILARITY, f"the Turkish {turkish}"
    if not cross_script and (latin := _latin_letters_read(x, x_spelling, y, y_spelling)):
        return LOOSE_SIMILARITY, latin
    if ("th" in x_spelling or "th" in y_spelling) and (
        said := _th_said_s(x, x_spelling, y, y_spelling, cross_script)
    ):
        if cross_script:
            return CROSS_READING_SIMILARITY, f"the other script, {said}"
        return LOOSE_SIMILARITY, said
    if how := _letters_read_as(x, x_spelling, y, y_spelling):
        if cross_script:
            return CROSS_READING_SIMILARITY, f"the other script, {how}"
        return LOOSE_SIMILARITY, how
    return _near_spelling(x, x_spelling, y, y_spelling, cross_script), "a near spelling"


def _writes_kh(theirs: str, their_spelling: str) -> bool:
    return "x" in theirs  # the skeleton's kh: Chadli is not Hadli


def _writes_w(theirs: str, their_spelling: str) -> bool:
    # a w, or a u (as Arabic script's romanized و), which the skeleton reads as a vowel:
    # Savva is not Isa, nor Havva Haya
    return "w" in their_spelling or "u" in their_spelling


# Letters of a Latin part read as others the skeleton does not read them as, in words: (the
# letters, the part's skeleton so read, does the other part write what they are read as)
_LETTERS_READ_AS: tuple[
    tuple[str, Callable[[str], str | None], Callable[[str, str], bool], str], ...
] = (
    # names.ch_as_kh: Chalid = Khaled = خالد
    ("ch", ch_as_kh, _writes_kh, "the German ch for a kh"),
    # names.doubled_v_as_w: Havva = Hawwa = حواء
    ("vv", doubled_v_as_w, _writes_w, "a doubled v for a doubled w"),
)


def _letters_read_as(x: str, x_spelling: str, y: str, y_spelling: str) -> str:
    """In words, how one part's letters read as ``_LETTERS_READ_AS`` reads them make it the
    other, which writes what they are read as; "" if none does."""
    for letters, reading, writes, how in _LETTERS_READ_AS:
        for our_spelling, theirs, their_spelling in (
            (x_spelling, y, y_spelling),
            (y_spelling, x, x_spelling),
        ):
            if (
                letters in our_spelling
                and writes(theirs, their_spelling)
                and reading(our_spelling) == theirs
            ):
                return how
    return ""


# The digraphs a Latin spelling writes ش with (Hashim, Hichem, Schams): their s is no s
_SHIN = re.compile("sch|sh|ch")


def _th_said_s(x: str, x_spelling: str, y: str, y_spelling: str, cross_script: bool) -> str:
    """In words, how one part's th (ث) said as an s (``names.th_as_s``) makes it the other,
    which writes an s there: Kevser = Kawthar = كوثر, with its v as Arabic writes the w,
    Kulsum = كلثوم, Saqib = ثاقب; "" if it does not. The s must be written as one, not
    the s of a shin (Shams is not Thomas). A v is read as a w only where the th side
    writes one, a w or a u (Kauther), or across scripts, where Arabic has no v: Navid is
    not Nathid."""
    for our_spelling, theirs, their_spelling in (
        (x_spelling, y, y_spelling),
        (y_spelling, x, x_spelling),
    ):
        if "s" not in theirs or (said := th_as_s(our_spelling)) is None:
            continue
        if _SHIN.search(their_spelling):
            theirs = skeleton(_SHIN.sub("\u0283", their_spelling))  # ʃ: a letter no s meets
        if said == theirs:
            return "an s for a th"
        if "v" in theirs and (cross_script or "w" in our_spelling or "u" in our_spelling):
            how = arabic_readings(theirs)
            if said in how:
                return ", ".join(("an s for a th", *how[said]))
    return ""


def _same_skeleton_read(
    x: str,
    x_spelling: str,
    y_spelling: str,
    cross_script: bool,
    both_arabic: bool,
    arabic_side: int = 0,
) -> tuple[float, str]:
    """``_spelt_read`` for two parts of one skeleton ``x``."""
    if is_origin_spelling(x_spelling, x) != is_origin_spelling(y_spelling, x):
        # "al-Saudi" is where a man is from, "Saad" his name: one skeleton, two words
        return 0.0, ""
    if _long_vowel_elsewhere(x_spelling, y_spelling):
        return OTHER_OPENING_VOWEL_SIMILARITY, _LONG_VOWEL_ELSEWHERE
    if cross_script:
        latin, arabic = (x_spelling, y_spelling) if arabic_side == 2 else (y_spelling, x_spelling)
        if arabic_side and _long_vowel_unmet(latin, arabic):
            return OTHER_OPENING_VOWEL_SIMILARITY, _LONG_VOWEL_UNMET
        if arabic_side and _latin_long_vowel_unwritten(latin, arabic):
            return OTHER_OPENING_VOWEL_SIMILARITY, _LATIN_LONG_VOWEL_UNWRITTEN
        if arabic_side and (ending := _ending_in_one(latin, arabic, across=True)):
            return OTHER_OPENING_VOWEL_SIMILARITY, ending
        if arabic_side and _sin_against_shin(x_spelling, y_spelling, arabic_side):
            return OTHER_OPENING_VOWEL_SIMILARITY, _SIN_AGAINST_SHIN
        return 0.92, "the other script"
    if both_arabic:
        return _arabic_spellings_read(x_spelling, y_spelling)
    if _other_opening_vowel(x, x_spelling, y_spelling):
        return OTHER_OPENING_VOWEL_SIMILARITY, "the same consonants, another opening vowel"
    if _latin_long_vowel_unwritten(x_spelling, y_spelling) or _latin_long_vowel_unwritten(
        y_spelling, x_spelling
    ):
        return OTHER_OPENING_VOWEL_SIMILARITY, _LONG_VOWEL_IN_ONE
    if ending := _ending_in_one(x_spelling, y_spelling):
        return OTHER_OPENING_VOWEL_SIMILARITY, ending
    if _sin_against_shin(x_spelling, y_spelling):
        return OTHER_OPENING_VOWEL_SIMILARITY, _SIN_AGAINST_SHIN
    similarity = Levenshtein.normalized_similarity(x_spelling, y_spelling)
    how = "" if x_spelling == y_spelling else "another spelling"
    return SAME_SKELETON_FLOOR + (1 - SAME_SKELETON_FLOOR) * similarity, how


def _near_spelling(x: str, x_spelling: str, y: str, y_spelling: str, cross_script: bool) -> float:
    """Two skeletons or spellings a letter or two apart: a clerk's slip, or another name."""
    best = 0.0
    if len(x) >= 3 and len(y) >= 3:
        jw = JaroWinkler.similarity(x, y)
        if jw >= 0.88:
            best = 0.75 * jw
    if not cross_script and len(x_spelling) >= 4 and len(y_spelling) >= 4:
        lev = Levenshtein.normalized_similarity(x_spelling, y_spelling)
        if lev >= 0.75:
            best = max(best, 0.85 * lev)
    return 0.0 if best and _after_ali(x, x_spelling, y, y_spelling) else best


# Arabic script writes each letter of a name, its long vowels too: two spellings of one
# skeleton are one name only where they differ as its orthography lets one name be written
# (_arabic_orthography); an alef more is another name as often (عمر Umar, عامر Amir) as
# the same one written in full (إسحق, إسحاق); a ya or waw more, or an alef elsewhere, is
# another name (سلمان Salman, سليمان Sulayman; عمر Umar, عمرو Amr; كمال Kamal, كامل Kamil).
# Nor does it swap letters as transliterations do: خبيب (Khubayb) is not حبيب (Habib), دلال
# (Dalal) not طلال (Talal); only a Persian letter Arabic lacks is written with another
# (پرویز, برويز).
_PERSIAN_AS_ARABIC = str.maketrans({"p": "b", "j": "g"})
_WRITTEN_OTHERWISE = "one name, written otherwise in Arabic script"
_ARABIC_VOWELS = re.compile("[aiu]")  # alef, ayn and ta marbuta; ya; waw (arabic.romanize)


def _arabic_orthography(spelling: str) -> str:
    """A romanized Arabic spelling (``arabic.romanize``) with what its orthography writes
    either way made one: the seat of an opening hamza (إبراهيم, ابراهيم), a waw written twice
    (داوود, داود) or with a hamza (رؤوف, رءوف)."""
    spelling = spelling.replace(APART, "")
    if spelling[:1] == "i":
        spelling = "a" + spelling[1:]
    return spelling.replace("uu", "u")


def _arabic_ending(spelling: str) -> str:
    """The last letter as either of the pair Arabic script writes alike (ة or ه, ى or ي)."""
    return spelling[:-1] + "a" if spelling[-1:] in ("i", "h") else spelling


def _written_alike_in_arabic(x_spelling: str, y_spelling: str) -> bool:
    """Are two romanized Arabic spellings one name as Arabic orthography writes it?"""
    x, y = _arabic_orthography(x_spelling), _arabic_orthography(y_spelling)
    return _arabic_ending(x) == _arabic_ending(y)


def _an_alef_more(x_spelling: str, y_spelling: str) -> bool:
    """Does one spelling hold an alef more than the other, inside the name (an opening one
    is a hamza: أحمد Ahmad, حمد Hamad), and are they alike but for it?"""
    x, y = _arabic_orthography(x_spelling), _arabic_orthography(y_spelling)
    return (
        x[:1] == y[:1] and x.count("a") != y.count("a") and x.replace("a", "") == y.replace("a", "")
    )


def _arabic_spellings_read(x_spelling: str, y_spelling: str) -> tuple[float, str]:
    """Two Arabic-script spellings of one skeleton (``_arabic_orthography``): how far they
    are one name, and why, in words."""
    if x_spelling == y_spelling:
        return 1.0, ""
    if _written_alike_in_arabic(x_spelling, y_spelling):
        return ARABIC_ORTHOGRAPHY_SIMILARITY, _WRITTEN_OTHERWISE
    if _an_alef_more(x_spelling, y_spelling):
        return ARABIC_ALEF_SIMILARITY, "an alef more: another name, or the same written in full"
    x, y = _arabic_orthography(x_spelling), _arabic_orthography(y_spelling)
    if _ARABIC_VOWELS.sub("", x) != _ARABIC_VOWELS.sub("", y):
        how = "another letter: another name"  # ثامر and تامر, ذياب and دياب: one skeleton
    elif x[:1] != y[:1]:
        how = "the same consonants, one opening with an alef or ayn: another name"
    else:
        how = "the same consonants, another long vowel: another name"
    return OTHER_OPENING_VOWEL_SIMILARITY, how


def _persian_letter_as_arabic(x: str, y: str) -> bool:
    """Do two skeletons differ only by a Persian letter and the Arabic one written for it?"""
    return len(x) == len(y) and x.translate(_PERSIAN_AS_ARABIC) == y.translate(_PERSIAN_AS_ARABIC)


def _arabic_letters_read(x: str, x_spelling: str, y: str, y_spelling: str) -> tuple[float, str]:
    """Two Arabic-script parts of different skeletons, and why, in words: one name where
    only the last letter differs as Arabic writes it alike (فاطمة, فاطمه) or a Persian
    letter is written as Arabic writes it; else near or not, as a clerk's slip is."""
    if _written_alike_in_arabic(x_spelling, y_spelling):
        return ARABIC_ORTHOGRAPHY_SIMILARITY, _WRITTEN_OTHERWISE
    if _persian_letter_as_arabic(x, y):
        return LOOSE_SIMILARITY, "a Persian letter, written as Arabic writes it"
    return _near_spelling(x, x_spelling, y, y_spelling, False), "a near spelling"


def _latin_letters_read(x: str, x_spelling: str, y: str, y_spelling: str) -> str:
    """The letters by which one Latin spelling writes the other's as Turkish, Persian, Kurdish
    and Central Asian spellings do, in words ("a v for a w"), or "": their v for the w (و)
    another spelling writes (Tevfik = Tawfiq, Rıdvan = Ridwan, Javad = Jawad), their z for
    the dh (ذ, ض, ظ) of Iraqi and Gulf spellings (Kazim = Kadhim, Fazil = Fadhil, Hafiz =
    Hafidh), a Turkish c for j besides (Cevdet = Jawdat). The other spelling must write the
    w or the dh: Navid is not Nadia, Nazir (ناظر) not Nadir (نادر). The index keys a v so
    already (names.arabic_readings); across scripts the Arabic letter meets it there."""
    if not _LATIN_LETTER_HELD.intersection(x + y):
        return ""  # nearly every pair holds no letter of _LATIN_LETTERS
    read: list[str] = []
    turkish = ""
    for letter, written, readings, how in _LATIN_LETTERS:
        found = _written_for(x, x_spelling, y, y_spelling, letter, written, readings)
        if found is not None:
            read.append(how)
            turkish = turkish or found
    said = " and ".join(read)
    return f"the Turkish {turkish}, {said}" if said and turkish else said


def _z_as_d(skel: str) -> tuple[str]:
    """A skeleton's z read as the d of a dh (``_LATIN_LETTERS``)."""
    return (skel.replace("z", "d"),)


def _written_for(
    x: str,
    x_spelling: str,
    y: str,
    y_spelling: str,
    letter: str,
    written: str,
    readings: Callable[[str], Iterable[str]],
) -> str | None:
    """Does one part's ``letter``, read as ``readings`` read it (its Turkish c as a j too),
    make it the other part, which writes ``written`` and holds no ``letter``? None if not;
    else the Turkish letters the reading took (``names.turkish_letters``), "" if none."""
    for ours, our_spelling, theirs, their_spelling in (
        (x, x_spelling, y, y_spelling),
        (y, y_spelling, x, x_spelling),
    ):
        if letter not in ours or written not in their_spelling or letter in theirs:
            continue
        if letter == "z" and "zz" in our_spelling:
            continue  # a doubled z is a zay: Izz al-Din is not Dhiya al-Din
        target = loose_fold(theirs)
        if any(loose_fold(r) == target for r in readings(ours)):
            return ""
        turkish = turkish_reading(our_spelling)
        if turkish and any(loose_fold(r) == target for r in readings(turkish)):
            return turkish_letters(our_spelling)
    return None


_LATIN_LETTERS: tuple[tuple[str, str, Callable[[str], Iterable[str]], str], ...] = (
    ("v", "w", arabic_readings, "a v for a w"),
    ("z", "dh", _z_as_d, "a z for a dh"),
)
_LATIN_LETTER_HELD = frozenset(letter for letter, *_ in _LATIN_LETTERS)


def _may_be_turkish(x_spelling: str, y_spelling: str) -> bool:
    """May either spelling hold a letter Turkish writes for another (``turkish_reading``): a
    c, or a final p or t?"""
    ends = x_spelling[-1:] + y_spelling[-1:]
    return "c" in x_spelling or "c" in y_spelling or "p" in ends or "t" in ends


def _after_ali(x: str, x_spelling: str, y: str, y_spelling: str) -> bool:
    """Is one part the other with the l of an Ali, or of a Turkic Al or El, before it
    (Alimurad and Murad, Aliakbar and Akbar, Elmurod and Murod, Altynbek)? Another name,
    not a near spelling of it: an Arabic article before a name is no part of it (parse)."""
    return (x[:1] == "l" and x[1:] == y and x_spelling.startswith(("al", "el"))) or (
        y[:1] == "l" and y[1:] == x and y_spelling.startswith(("al", "el"))
    )


def _how_parts_agree(
    a: NameToken, b: NameToken, cross_script: bool, g_letters: tuple[str, str]
) -> str:
    """In words, why two aligned name parts count as one name: the reading of
    ``_similarity`` that scored them, what an analyst checks before trusting it. Two parts
    spelt alike need no word ("")."""
    if a.role == "initial" or b.role == "initial":
        return "an initial"
    s, how = _parts_read(
        a.skeleton,
        a.spelling,
        b.skeleton,
        b.spelling,
        cross_script,
        _both_arabic(g_letters),
        _arabic_side(cross_script, g_letters),
    )
    if s < LOOSE_SIMILARITY:
        return (
            _letters_read_as_one(a, b, cross_script, g_letters)
            or _read_without_article(a, b, cross_script)
            or how
        )
    return how


def _how(
    q: Sequence[NameToken],
    c: Sequence[NameToken],
    cross_script: bool,
    g_letters: tuple[str, str],
) -> str:
    if len(q) != len(c):
        initial = any(t.role == "initial" for t in (*q, *c))
        return "an initial for Abd" if initial else "written as one word"
    how = _how_parts_agree(q[0], c[0], cross_script, g_letters)
    if "kunya" in (q[0].role, c[0].role) and q[0].role != c[0].role:
        how = ", ".join(filter(None, (how, "one of them in a kunya")))
    return how


_TITLE_AS_NAME = "the same title, written as a given name"


def _shown(pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
    """Pairs as an explanation shows them: romanized Arabic without its mark of an h apart
    (``arabic.APART``)."""
    if not any(APART in p[0] or APART in p[1] for p in pairs):
        return pairs
    return tuple((a.replace(APART, ""), b.replace(APART, ""), s, how) for a, b, s, how in pairs)


Span = tuple[int, ...]  # indexes of the parts one side of an aligned pair covers
Pair = tuple[str, str, float, str]  # query part, matched part, similarity, how they agree


class NameMatch:
    """A name comparison's score and, built only when read, its evidence: the matched parts
    (query part, matched part, similarity) and the query's unmatched parts. A batch compares
    millions of names and explains only the few it keeps."""

    __slots__ = ("_later", "_pairs", "_source", "_unmatched", "score")

    def __init__(
        self,
        score: float,
        pairs: tuple[Pair, ...] = (),
        unmatched: tuple[str, ...] = (),
        source: tuple[ParsedName, ParsedName, list[tuple[Span, Span, float]]] | None = None,
        later: Callable[[], tuple[tuple[Pair, ...], tuple[str, ...]]] | None = None,
    ) -> None:
        """``source``: the two names and their aligned parts, which the evidence is read
        from; ``later``: what gives the evidence otherwise (a match spread over names)."""
        self.score = score
        self._pairs = pairs
        self._unmatched = unmatched
        self._source = source
        self._later = later

    def _explain(self) -> None:
        if self._later is not None:
            self._pairs, self._unmatched = self._later()
            self._later = None
        if self._source is None:
            return
        q, c, aligned = self._source
        self._source = None
        cross = q.arabic != c.arabic
        g_letters = (q.g_letters, c.g_letters)
        pairs: list[Pair] = []
        for qi, cj, s in sorted(aligned):
            ours, theirs = [q.tokens[i] for i in qi], [c.tokens[j] for j in cj]
            titled = _title_run_matched(q, c, qi, cj, s, g_letters)
            if titled is not None:
                pairs.append(titled)
                continue
            pairs.append(
                (
                    " ".join(t.spelling for t in ours),
                    " ".join(t.spelling for t in theirs),
                    round(s, 3),
                    _how(ours, theirs, cross, g_letters),
                )
            )
        self._pairs = tuple(pairs)
        self._pairs += tuple((t, t, 1.0, "the same title") for t in q.titles if t in c.titles)
        matched = {i for qi, _, _ in aligned for i in qi}
        as_name_q, as_name_c = _titles_written_as_names(q, c, aligned)
        if as_name_q:
            matched.add(0)
            word = q.tokens[0].spelling
            self._pairs += ((word, TITLES_AS_NAMES[word], 1.0, _TITLE_AS_NAME),)
        if as_name_c:
            word = c.tokens[0].spelling
            self._pairs += ((TITLES_AS_NAMES[word], word, 1.0, _TITLE_AS_NAME),)
        self._unmatched = tuple(t.spelling for i, t in enumerate(q.tokens) if i not in matched)

    @property
    def pairs(self) -> tuple[Pair, ...]:
        self._explain()
        return _shown(self._pairs)

    @property
    def unmatched(self) -> tuple[str, ...]:
        self._explain()
        return tuple(u.replace(APART, "") for u in self._unmatched)


def _title_run_matched(
    q: ParsedName, c: ParsedName, qi: Span, cj: Span, s: float, g_letters: tuple[str, str]
) -> Pair | None:
    """The explanation of two aligned parts where one of them is a name's first part run
    together with the title before it (``ParsedName.title_run``: Gadzhimurad ~ haji mrad);
    None where the parts matched as themselves, as they do on a tie (``_aligned``)."""
    if len(qi) != 1 or len(cj) != 1 or 0 not in (qi[0], cj[0]):
        return None
    cross = q.arabic != c.arabic
    qt, ct = q.tokens[qi[0]], c.tokens[cj[0]]
    if s <= _similarity(qt, ct, cross, g_letters):
        return None
    for name, joined_query, other in ((q, True, ct), (c, False, qt)):
        run = name.title_run
        if run is None or (qi[0] if joined_query else cj[0]) != 0:
            continue
        if _join_similarity(other, run, joined_query, cross, g_letters) != s:
            continue
        titled = f"{name.titles[-1]} {name.tokens[0].spelling}"
        how = _how(*(([run], [other]) if joined_query else ([other], [run])), cross, g_letters)
        how = ", ".join(filter(None, ("a title written into the name", how)))
        return (
            (titled, other.spelling, round(s, 3), how)
            if joined_query
            else (other.spelling, titled, round(s, 3), how)
        )
    return None


def _related(q: ParsedName, c: ParsedName) -> bool:
    """Do two names share a part, parts one letter apart, a name with and without its Abd,
    or two parts one side writes joined? Names that do not cannot score, and this test is a
    hundred times cheaper than the alignment."""
    a, b = q.keyset, c.keyset
    if not a.isdisjoint(b):
        return True
    if not q.link_keys.isdisjoint(b) or not c.link_keys.isdisjoint(a):
        return True
    if q.arabic != c.arabic and (_said_at_the_end(a, b) or _said_at_the_end(b, a)):
        # Saleh and صالح, Hikmat and حكمة: a last letter one script says (_ending_across)
        return True
    if q.arabic != c.arabic and (_may_join(q, c) if q.arabic else _may_join(c, q)):
        return True  # Nursultan and نور سلطان (_joined), without building the join
    return any(
        (len(x) >= 3 and len(y) >= 3 and Levenshtein.distance(x, y, score_cutoff=1) <= 1)
        or _x_for_ks(x, y)  # short too: Alexei (lx) and Aleksey (lks)
        # a transliteration's letters, short parts too: Halil, Khalil; Riza, Ridha; Hatice, خديجة
        or (len(x) == len(y) and seam_fold(x) == seam_fold(y))
        for x in a
        for y in b
    )


def _said_at_the_end(a: frozenset[str], b: frozenset[str]) -> bool:
    """Does a key of ``b`` add an h or a t to one of ``a``?"""
    return any(y[-1:] in ("h", "t") and y[:-1] in a for y in b)


def _may_join(arabic: ParsedName, latin: ParsedName) -> bool:
    """Do two adjacent parts of an Arabic name, run together, spell a key a Latin name
    holds (Nursultan, نور سلطان), or one a transliteration's letters away (a Russian kh for
    the ح: Mukhammadali, محمد علي), or its leading title run into its first part
    (``ParsedName.title_run``: Gadzhimurad, حاجي مراد)? The name's seams (``ParsedName.seams``)
    are what the two parts joined nearly always read as: cheap enough to ask of every pair
    across scripts, where building the joins is not."""
    seams, loose_seams = arabic.seams
    run = arabic.title_run
    if run is not None and (
        run.skeleton in latin.keyset or seam_fold(run.skeleton) in latin.loose_keys
    ):
        return True
    if not seams:
        return False
    if any(s in latin.keyset for s in seams):
        return True
    loose = latin.loose_keys
    return any(s in loose for s in loose_seams)


def _similarity(a: NameToken, b: NameToken, cross: bool, g_letters: tuple[str, str]) -> float:
    """How far two parts are one name; ``g_letters``: what each side's g may stand for
    (``ParsedName.g_letters``: a qaf in a Latin name, an h too in one written as Russian
    writes, where a p may be an f)."""
    role = a.role
    if role != b.role or role == "initial":
        if (role == "kunya_marker") != (b.role == "kunya_marker"):
            return 0.0
        if role == "initial" or b.role == "initial":
            return _initial_similarity(a, b)
    # the scripts' code read once from g_letters: a search asks this of some 2,000 pairs
    s = _pair_score(a, b, _scripts_code(cross, g_letters))
    if (
        s < LOOSE_SIMILARITY
        and _may_read_letters(a, b, g_letters)
        and _letters_read_as_one(a, b, cross, g_letters)
    ):
        # another transliteration (across scripts, another letter Arabic writes), never more
        s = CROSS_READING_SIMILARITY if cross else LOOSE_SIMILARITY
    return s


_ARTICLE_WRITTEN_ON = "the next name's article written on it"


def _read_without_article(a: NameToken, b: NameToken, cross: bool) -> str:
    """How a part that carries the next part's article (``NameToken.glued_stem``: Habibur
    Rahman, Ziaul Haq) is the other part without it (حبيب, Zia), in words; "" if it is
    not. The stem must be the other part as a transliteration writes it, not a near
    spelling of it, nor only its consonants: Zeynel Abidin is no Zanoun (ذنون) Abidin."""
    for glued, other in ((a, b), (b, a)):
        if glued.glued_stem:
            stem = NameToken(skeleton(glued.glued_stem), glued.glued_stem, glued.role)
            if token_similarity(stem, other, cross) >= LOOSE_SIMILARITY:
                return _ARTICLE_WRITTEN_ON
    return ""


def _may_read_letters(a: NameToken, b: NameToken, g_letters: tuple[str, str]) -> bool:
    """May a g or a p read as another letter make two parts one (``_letters_read_as_one``)?
    Cheap, and false for nearly every pair: a g read as a qaf needs a q on the other side,
    and only a name written as Russian writes reads more."""
    x, y = a.spelling, b.spelling
    if ("g" in x and "q" in y) or ("q" in x and "g" in y):
        return True
    return G_AS_RUSSIAN in g_letters and ("g" in x or "g" in y or "p" in x or "p" in y)


def _letters_read_as_one(
    a: NameToken, b: NameToken, cross: bool, g_letters: tuple[str, str]
) -> str:
    """How a g or a p read as another letter makes two parts one name: a qaf spoken as a g
    (Gaddafi = القذافي = Qadhafi), or in a name written as Russian writes, a g for an h or a
    q (Gasan = حسن = Hasan, Abdulgamid = عبد الحميد, Gurbanov = قربانوف) and a p for an f
    (Yusup = يوسف); "" if none does. A reading that only brings them near proves nothing. A
    g read as a qaf meets only a part spelt with a q, as ق: a k is a kaf as often (Gamal is
    Jamal, not Kamal)."""
    if not _may_read_letters(a, b, g_letters):
        return ""  # nearly every pair: asked of each pair of parts that do not agree
    readings = [(r, b, b, how, g_letters[0]) for r, how in letter_readings(a, g_letters[0])]
    readings += [(a, r, a, how, g_letters[1]) for r, how in letter_readings(b, g_letters[1])]
    for x, y, other, how, letters in readings:
        if letters != G_AS_RUSSIAN and "q" not in other.spelling:
            continue
        if token_similarity(x, y, cross) >= LOOSE_SIMILARITY:
            return how
    return ""


def _may_read_alike(a: NameToken, b: NameToken, cross: bool, g_letters: tuple[str, str]) -> bool:
    """May two parts of different skeletons read as one with a transliteration's letters
    (``_transliterated``, ``_letters_read_as_one``; across scripts, the letters Arabic
    writes for a v or a z)? Cheap, and false for nearly every pair: asked of each join
    against each part of the other name, of the same length."""
    x, y = a.skeleton, b.skeleton
    if cross and ("v" in x or "v" in y or "z" in x or "z" in y):
        return True
    if (
        not cross
        and not _both_arabic(g_letters)
        and ("z" in x or "z" in y)
        and ("dh" in a.spelling or "dh" in b.spelling)
    ):
        return True  # a z for a dh (_latin_letters_read): Abdulhafiz = Abdul Hafidh
    return loose_fold(x) == loose_fold(y) or _may_read_letters(a, b, g_letters)


def _initial_similarity(a: NameToken, b: NameToken) -> float:
    """An initial stands for any name starting with its letter, and only for those."""
    if a.role == b.role:
        return 1.0 if a.spelling == b.spelling else 0.0
    return INITIAL_SIMILARITY if a.spelling[:1] == b.spelling[:1] else 0.0


def _aligned(q: ParsedName, c: ParsedName) -> list[tuple[Span, Span, float]]:
    """Greedy one-to-one alignment of parts, best first; two adjacent parts of one side may
    match one part of the other when they spell the same name joined."""
    cross = q.arabic != c.arabic
    sims: list[tuple[float, int, Span, Span]] = []
    g_letters = (q.g_letters, c.g_letters)
    for i, qt in enumerate(q.tokens):
        for j, ct in enumerate(c.tokens):
            s = _similarity(qt, ct, cross, g_letters)
            if s > 0:
                sims.append((s, -2, (i,), (j,)))
    # a joined pair must beat its parts matched alone: it covers two parts
    for joined, singles, flip in (
        (_joined(q, c), c.tokens, False),
        (_joined(c, q), q.tokens, True),
    ):
        for span, jt in joined:
            for k, t in enumerate(singles):
                if t.skeleton != jt.skeleton and len(t.skeleton) != len(jt.skeleton):
                    continue  # nearly every pair, without a call: a batch asks it millions of times
                s = _join_similarity(t, jt, not flip, cross, g_letters)
                if s > 0:
                    sims.append((s, -3, (k,), span) if flip else (s, -3, span, (k,)))
    if q.has_glued or c.has_glued:
        sims.extend(_read_without_articles(q, c, cross))
    sims.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    out: list[tuple[Span, Span, float]] = []
    for s, _, qi, cj in sims:
        if used_q.intersection(qi) or used_c.intersection(cj):
            continue
        used_q.update(qi)
        used_c.update(cj)
        out.append((qi, cj, s))
    return out


def _read_without_articles(
    q: ParsedName, c: ParsedName, cross: bool
) -> list[tuple[float, int, Span, Span]]:
    """The pairs of parts that are one name once the next part's article written on one of
    them is read off (``_read_without_article``), scored as another transliteration is:
    asked only of names holding such a part, so no other pair pays for it."""
    reading = CROSS_READING_SIMILARITY if cross else LOOSE_SIMILARITY
    return [
        (reading, -2, (i,), (j,))
        for i, qt in enumerate(q.tokens)
        for j, ct in enumerate(c.tokens)
        if (qt.glued_stem or ct.glued_stem)
        and qt.role in KEY_ROLES
        and ct.role in KEY_ROLES
        and _read_without_article(qt, ct, cross)
    ]


def _join_similarity(
    t: NameToken, jt: NameToken, query_joined: bool, cross: bool, g_letters: tuple[str, str]
) -> float:
    """How far a part ``t`` of one name is the parts ``jt`` joins of the other (``_joined``;
    ``query_joined``: the query's); 0 unless they read alike with a transliteration's
    letters at most (Mukhammadali = محمد علي, Magomedrasul = محمد رسول): not a near
    spelling."""
    if t.skeleton != jt.skeleton and (
        len(t.skeleton) != len(jt.skeleton) or not _may_read_alike(t, jt, cross, g_letters)
    ):
        return 0.0
    s = (
        _similarity(jt, t, cross, g_letters)
        if query_joined
        else _similarity(t, jt, cross, g_letters)
    )
    if (
        0.0 < s < LOOSE_SIMILARITY
        and s != OTHER_OPENING_VOWEL_SIMILARITY  # a reading that found another name
        and t.skeleton != jt.skeleton
        and loose_fold(t.skeleton) == loose_fold(jt.skeleton)
    ):
        # a t for a d where the parts meet, a final one to the first (Mehmetali = محمد علي),
        # which _transliterated reads only at a name's end
        s = LOOSE_SIMILARITY
    if t.skeleton != jt.skeleton and s < LOOSE_SIMILARITY:
        return 0.0
    return s * ABD_INITIAL_FACTOR if jt.role == ABD_INITIAL_ROLE else s


def _joined(name: ParsedName, other: ParsedName) -> tuple[tuple[Span, NameToken], ...]:
    """The name's adjacent parts joined, where the other name may write them as one: Latin
    spacing is a clerk's habit; Arabic script spaces an Arabic name one way, and writes as
    two words only a foreign name that Latin writes as one (Nursultan = نور سلطان). An
    Arabic name's joins are built only where a Latin part may hold one: most pairs of
    names a search scores are across scripts, and few of them need it. A leading title
    run into the first part (``ParsedName.title_run``) stands for that part alone."""
    if name.arabic and (other.arabic or not _may_join(name, other)):
        return ()
    run = name.title_run
    return name.joined if run is None else (*name.joined, ((0,), run))


def _by_initial(q: ParsedName, qi: Span, c: ParsedName, cj: Span) -> bool:
    return any(q.tokens[i].role == "initial" for i in qi) or any(
        c.tokens[j].role == "initial" for j in cj
    )


def compare_parsed(q: ParsedName, c: ParsedName, weigh: Weigher) -> NameMatch:
    """Weighted, aligned comparison of two parsed names (each part used once)."""
    if not q.tokens or not c.tokens or not _related(q, c):
        return NameMatch(0.0, (), ())
    aligned = _aligned(q, c)
    if q.has_initial or c.has_initial:
        wq = [part_weight(t, weigh) for t in q.tokens]
        wc = [part_weight(t, weigh) for t in c.tokens]
        got_q = got_c = 0.0
        for qi, cj, s in aligned:
            # a name matched by an initial is proven only as far as one letter proves it;
            # an initial read as the Abd of the next part (a span of two) weighs as itself
            single = len(qi) == len(cj) == 1
            cap = INITIAL_WEIGHT if single and _by_initial(q, qi, c, cj) else 1.0
            got_q += s * sum(min(wq[i], cap) for i in qi)
            got_c += s * sum(min(wc[j], cap) for j in cj)
    else:  # the common case, and the hot path of a batch: no initials
        wq = [weigh(t.skeleton) for t in q.tokens]
        wc = [weigh(t.skeleton) for t in c.tokens]
        got_q = sum(wq[i] * s for qi, _, s in aligned for i in qi)
        got_c = sum(wc[j] * s for _, cj, s in aligned for j in cj)
    shared = TITLE_WEIGHT * len(set(q.titles) & set(c.titles)) if q.titles and c.titles else 0.0
    total_q, total_c = sum(wq), sum(wc)
    if q.titles != c.titles:  # rare: most names carry no title
        as_name_q, as_name_c = _titles_written_as_names(q, c, aligned)
        total_q -= wq[0] if as_name_q else 0.0
        total_c -= wc[0] if as_name_c else 0.0
        shared += TITLE_WEIGHT * (as_name_q + as_name_c)
    score = QUERY_SHARE * (got_q + shared) / (total_q + shared) + (1 - QUERY_SHARE) * (
        got_c + shared
    ) / (total_c + shared)
    order = [cj[0] for _, cj, _ in sorted(aligned)]
    if any(b < a for a, b in itertools.pairwise(order)):
        # "Ali Ahmad" is not "Ahmad Ali": in a nasab chain the order is who is whose son
        score *= ORDER_FACTOR
    matched_q = {i for qi, _, _ in aligned for i in qi}
    if all(q.tokens[i].role == "kunya_marker" for i in matched_q):
        score = min(score, 0.3)  # "Abu" matching "Abu" is no evidence
    return NameMatch(score, source=(q, c, aligned))


def _titles_written_as_names(
    q: ParsedName, c: ParsedName, aligned: Sequence[tuple[Span, Span, float]]
) -> tuple[bool, bool]:
    """Does each name write as its first part, left unmatched, a title the other one leads
    with (``TITLES_AS_NAMES``: Gadzhi Magomedov ~ حاجي محمدوف)? Then the two share it."""
    matched_q = any(0 in qi for qi, _, _ in aligned)
    matched_c = any(0 in cj for _, cj, _ in aligned)
    return (
        not matched_q and _title_as_name(q, c) is not None,
        not matched_c and _title_as_name(c, q) is not None,
    )


def _title_as_name(name: ParsedName, other: ParsedName) -> str | None:
    """The title the other name leads with that this one writes as its first part, a given
    name too; None if none. A name of that part alone is not read so: nothing would be left
    of it to match."""
    if len(name.tokens) < 2:
        return None
    title = TITLES_AS_NAMES.get(name.tokens[0].spelling)
    return title if title in other.titles and title not in name.titles else None


def union_match(q: ParsedName, names: Sequence[ParsedName], weigh: Weigher) -> NameMatch:
    """The query's parts each matched in whichever of the person's names holds them (each
    distinct part once), scored by the query's weighted coverage alone: there is no one
    candidate name to cover."""
    parts = [t for t in q.tokens if t.role != "kunya_marker"]
    if len(parts) < 2 or len(names) < 2:
        return NameMatch(0.0, (), ())
    if all(q.keyset.isdisjoint(n.keyset) for n in names):
        return NameMatch(0.0, (), ())  # cheap: no part held exactly, nothing to spread
    pool: dict[str, NameToken] = {}
    source: dict[str, ParsedName] = {}  # the name each pooled part comes from
    for name in names:
        for t in name.tokens:
            if t.role != "kunya_marker" and t.skeleton not in pool:
                pool[t.skeleton] = t
                source[t.skeleton] = name

    def across(key: str) -> tuple[bool, tuple[str, str]]:
        """Is the part's name in the query's other script; what may each one's g stand for?"""
        return q.arabic != source[key].arabic, (q.g_letters, source[key].g_letters)

    sims = sorted(
        (
            (_similarity(qt, ct, *across(key)), i, key)
            for i, qt in enumerate(parts)
            for key, ct in pool.items()
        ),
        reverse=True,
    )
    used: dict[int, tuple[str, float]] = {}
    taken: set[str] = set()
    for s, i, key in sims:
        if s <= 0:
            break
        if i in used or key in taken:
            continue
        used[i] = (key, s)
        taken.add(key)
    if len(used) < 2:
        return NameMatch(0.0, (), ())
    weights = [part_weight(t, weigh) for t in parts]
    got = 0.0
    for i, (key, s) in used.items():
        # as in compare_parsed: a part matched by an initial proves one letter's worth
        initial = "initial" in (parts[i].role, pool[key].role)
        got += s * (min(weights[i], INITIAL_WEIGHT) if initial else weights[i])
    score = got / sum(weights)

    def explained() -> tuple[tuple[Pair, ...], tuple[str, ...]]:
        pairs = tuple(
            (
                parts[i].spelling,
                pool[key].spelling,
                round(s, 3),
                _how([parts[i]], [pool[key]], *across(key)),
            )
            for i, (key, s) in sorted(used.items())
        )
        return pairs, tuple(t.spelling for i, t in enumerate(parts) if i not in used)

    return NameMatch(score * UNION_FACTOR, later=explained)


@dataclass(frozen=True, slots=True)
class Scored:
    ident: int
    score: float
    name_score: float
    matched_name: str
    matched_kind: str
    explanation: tuple[str, ...]
    evidence: dict[str, Any]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two date ranges (0 if they overlap)."""
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0


def _years_apart(days: int) -> str:
    """Two birth dates at least ``days`` apart, in words: "more than a year apart", "3 years
    apart or more"."""
    years = days // 365
    return "more than a year apart" if years < 2 else f"{years} years apart or more"


def side_evidence(query: Profile, cand: Profile) -> tuple[float, list[str]]:
    """Adjustment from dates of birth, sex, nationality, mother's name and place of birth,
    with reasons."""
    delta, notes = _recorded_side(query, cand)
    if query.mother and cand.mother and (qm := query.mother_parsed) and (cm := cand.mother_parsed):
        m = compare_parsed(qm, cm, default_weight)
        # both written in full (given and family name) yet only one part agrees: two
        # mothers ("Aysel Quliyeva", "Nigar Quliyeva"), not one written shorter
        both_full = len(qm.tokens) >= 2 and len(cm.tokens) >= 2
        if m.score >= 0.85:
            delta += MOTHER_AGREES
            notes.append("mother's name agrees")
        elif m.score < 0.5 or both_full:
            # the mother's name is how the region's registers tell namesakes apart
            delta -= 0.3
            notes.append("mother's name differs")
    q_place, c_place = query.place_parsed, cand.place_parsed
    if q_place and c_place and not q_place.keyset.isdisjoint(c_place.keyset):
        delta += PLACE_AGREES
        notes.append("place of birth agrees")
    return delta, notes


def name_score_needed(query: Profile, cand: Profile, threshold: float = REVIEW_THRESHOLD) -> float:
    """The least best name score (``compare_parsed``) with which the pair may still score
    ``threshold``: the threshold less the most that side evidence and an agreeing kunya
    may add (``compare_profiles``), with dates of birth, sex and nationality as they are and
    a mother's name and a place of birth both sides give as if they agreed. Above 1, no
    name can: two namesakes born years apart. Cheap, unlike comparing names; at least
    ``threshold - MAX_SIDE_GAIN``."""
    gain, _ = _recorded_side(query, cand)
    if query.mother and cand.mother:
        gain += MOTHER_AGREES
    if query.place_of_birth and cand.place_of_birth:
        gain += PLACE_AGREES
    # a hair below: the bound and the score add the same figures in another order
    return threshold - (gain + KUNYA_AGREES) - 1e-9


def _recorded_side(query: Profile, cand: Profile) -> tuple[float, list[str]]:
    """``side_evidence`` from dates of birth, sex and nationality: what needs no name read."""
    delta = 0.0
    notes: list[str] = []
    q_dobs = ([query.dob] if query.dob else []) + query.extra_dobs
    c_dobs = ([cand.dob] if cand.dob else []) + cand.extra_dobs
    if q_dobs and c_dobs:
        gap = min(_overlap(a, b) for a in q_dobs for b in c_dobs)
        exact = any(a == b and a[0] == a[1] for a in q_dobs for b in c_dobs)
        if exact:
            delta += 0.08
            notes.append("date of birth: the same day")
        elif gap == 0:
            delta += 0.04
            notes.append("date of birth: the ranges agree (a year or a range, not a day)")
        elif gap <= 400:
            delta -= 0.02
            notes.append("date of birth: about a year apart")
        elif gap <= 5 * 365:
            delta -= 0.12
            notes.append(f"date of birth: {_years_apart(gap)}")
        else:
            # beyond a clerk's slip of a digit or two: another generation, another man
            delta -= 0.3
            notes.append(f"date of birth: {_years_apart(gap)}")
    if query.sex and cand.sex and query.sex != cand.sex:
        # "Abu Maryam" is a man, the father of a Maryam, not the girl Maryam
        delta -= 0.3
        notes.append("sex differs")
    if query.nationalities and cand.nationalities:
        if set(query.nationalities) & set(cand.nationalities):
            delta += 0.03
            notes.append("nationality agrees")
        else:
            delta -= 0.05
            notes.append("nationality differs")
    return delta, notes


def _weak(name: KnownName) -> bool:
    return name.kind in WEAK_KINDS or name.parsed.by_kunya


def known_only_by_kunya(profile: Profile) -> bool:
    """Is every name of the record a kunya, a nom de guerre or a low-quality alias?"""
    return bool(profile.names) and all(_weak(n) for n in profile.names)


def _names_holding(spread: NameMatch, names: Sequence[ParsedName]) -> str:
    """The names a spread match found its parts in, for the explanation: "Abu Maryam
    al-Saudi; AHMED ABDULLAH SALEH AL-ZAHRANI", not every name the person is known by."""
    wanted = {matched for _, matched, _, _ in spread.pairs}
    held: list[str] = []
    for name in names:
        spellings = {t.spelling for t in name.tokens}
        if not wanted.isdisjoint(spellings):
            held.append(name.text)
            wanted -= spellings
    return "; ".join(held)


def score_profiles(
    query: Profile,
    cand: Profile,
    weigh: Weigher,
    *,
    skip: Iterable[str] = (),
    explain: bool = True,
) -> Scored:
    """The best name match over every pair of names, then the side evidence
    (``compare_profiles``); without ``explain`` the score alone (no explanation or
    evidence), for a batch that keeps few."""
    return compare_profiles(query, cand, weigh, skip=skip).scored(explain=explain)


@dataclass(slots=True)
class Compared:
    """A candidate's score and what its explanation is put in words from: a search scores
    every candidate and explains the few it shows, without comparing them again."""

    ident: int
    score: float
    name_score: float
    best: NameMatch
    best_name: str
    best_kind: str
    notes: list[str]
    side: list[str]

    def scored(self, *, explain: bool = True) -> Scored:
        if not explain:
            return Scored(
                self.ident, self.score, self.name_score, self.best_name, self.best_kind, (), {}
            )
        best = self.best
        if self.best_name:
            parts = ", ".join(
                f"{a}~{b} {s:.2f}" + (f" ({how})" if how else "") for a, b, s, how in best.pairs
            )
            summary = f"name {self.best_name!r} ({self.best_kind}): {parts or 'no part agrees'}"
        else:
            summary = "no name agrees: no part of one name meets a part of the other"
        if best.unmatched:
            summary += f"; unmatched: {' '.join(best.unmatched)}"
        evidence = {
            "name_score": round(self.name_score, 4),
            "matched_name": self.best_name,
            "matched_kind": self.best_kind,
            "parts": [list(p) for p in best.pairs],
            "side": self.side,
        }
        return Scored(
            self.ident,
            self.score,
            self.name_score,
            self.best_name,
            self.best_kind,
            (summary, *self.notes, *self.side),
            evidence,
        )


def compare_profiles(
    query: Profile, cand: Profile, weigh: Weigher, *, skip: Iterable[str] = ()
) -> Compared:
    """The best name match over every pair of names, then the side evidence.

    A kunya, nom de guerre or low-quality alias is corroboration: when both sides are known
    by a real name and by a kunya, their real names decide and an agreeing kunya only adds
    a little (two different men are both "Abu Hamza"); otherwise the kunya counts,
    discounted."""
    skipped = set(skip)
    strong = weak = NameMatch(0.0, (), ())
    strong_name = weak_name = ("", "")
    q_names = [(n, _weak(n)) for n in query.names]
    c_names = [(n, _weak(n)) for n in cand.names if n.parsed.text not in skipped]
    # Both known by a real name and by a kunya/alias: the real names decide.
    both_full = all(
        any(not w for _, w in names) and any(w for _, w in names) for names in (q_names, c_names)
    )
    for qn, q_weak in q_names:
        for cn, c_weak in c_names:
            match = compare_parsed(qn.parsed, cn.parsed, weigh)
            if q_weak or c_weak:
                if match.score > weak.score:
                    weak, weak_name = match, (cn.parsed.text, cn.kind)
            elif match.score > strong.score:
                strong, strong_name = match, (cn.parsed.text, cn.kind)
    notes: list[str] = []
    strong_names = [cn.parsed for cn, c_weak in c_names if not c_weak]
    every_name = [cn.parsed for cn, _ in c_names]
    for qn, q_weak in q_names:
        # a spread match scores at most UNION_FACTOR
        if not q_weak and strong.score < UNION_FACTOR:
            spread = union_match(qn.parsed, strong_names, weigh)
            if spread.score > strong.score:
                strong, strong_name = spread, (_names_holding(spread, strong_names), "names")
        elif q_weak and weak.score < UNION_FACTOR:
            # a nom de guerre is a kunya and a nisba: "Abu Maryam al-Zahrani" is the man
            # known as Abu Maryam whose family name is al-Zahrani; it stays corroboration
            spread = union_match(qn.parsed, every_name, weigh)
            if spread.score > weak.score:
                weak, weak_name = spread, (_names_holding(spread, every_name), "names")
    if both_full:
        best, (best_name, best_kind) = strong, strong_name
        name_score = strong.score
        if weak.score >= 0.8 and strong.score < 0.5:
            notes.append(f"kunya/alias {weak_name[0]!r} agrees, but the names differ")
        elif weak.score >= 0.8:
            name_score += KUNYA_AGREES
            notes.append(f"kunya/alias {weak_name[0]!r} agrees too")
    elif weak.score * CORROBORATION_FACTOR > strong.score:
        best, (best_name, best_kind) = weak, weak_name
        name_score = weak.score * CORROBORATION_FACTOR
        notes.append("matched on a kunya/nom de guerre/low-quality alias: corroboration only")
    else:
        best, (best_name, best_kind) = strong, strong_name
        name_score = strong.score
    delta, side = side_evidence(query, cand)
    score = min(1.0, max(0.0, name_score + delta if name_score > 0 else 0.0))
    return Compared(cand.ident, score, name_score, best, best_name, best_kind, notes, side)


def rank(
    query: Profile,
    candidates: Sequence[Profile],
    weigh: Weigher,
    *,
    limit: int = 10,
    skip: Iterable[str] = (),
) -> list[Scored]:
    # every candidate compared, the few shown explained
    return [c.scored() for c in compared_best_first(query, candidates, weigh, skip=skip)[:limit]]


def compared_best_first(
    query: Profile, candidates: Iterable[Profile], weigh: Weigher, *, skip: Iterable[str] = ()
) -> list[Compared]:
    """Each candidate compared with the query, the best first (ties by id)."""
    compared = [compare_profiles(query, c, weigh, skip=skip) for c in candidates]
    compared.sort(key=lambda c: (-c.score, c.ident))
    return compared
