"""Candidate generation: which persons share a rare enough name key with a query. The same
logic runs over the database index (``identity_name_key``) and over an in-memory index (for
screening a whole registry and for the benchmarks)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from custodia.identity.names import ParsedName, parse_name, text_with_ch_as_kh
from custodia.identity.scoring import (
    MIN_COVER,
    PART_ORDER_MARKS,
    Profile,
    Weigher,
    idf_weigher,
    part_order_keys,
    parts_standing_together,
    plausible,
)

POSTINGS_BUDGET = 3000  # index rows one query reads at most (beyond its rarest key)
MAX_CANDIDATES = 50  # profiles scored per query, the best by shared key weight
ORDER_BUDGET = 1000  # index rows of keys of parts standing together one query fetches
COMMON_KEY_SHARE = 0.2  # a key held by more than this share of persons only corroborates


def query_keys(profile: Profile) -> set[str]:
    """The profile's keys, and what a clerk's spacing hides: two adjacent parts written as one
    (Hamid Reza = Hamid-Reza) and the name after Abd (Abdul Chaudhry, Chaudhry); and the keys
    of its names read with a German ch for a kh (``read_with_kh``)."""
    keys = set(profile.keys)
    for name in profile.names:
        keys |= name.parsed.link_keys
    for read in read_with_kh(profile):
        keys |= read.keys
    return keys


def query_rank_keys(profile: Profile) -> set[str]:
    """The profile's rank keys, and the keys of the parts standing together of its names
    read with a German ch for a kh (``read_with_kh``)."""
    read = read_with_kh(profile)
    if not read:
        return profile.rank_keys
    return profile.rank_keys.union(*map(part_order_keys, read))


def read_with_kh(profile: Profile) -> list[ParsedName]:
    """The profile's Latin names with each ch not after an s read as the kh German and Dutch
    clerks write with it (``names.ch_as_kh``: Chalid = Khalid), parsed: a query looks them
    up as it looks up its own names. "Ali ibn Chalid" found "Ali Khaled" of his town and
    year only one letter from Khalid, a key too common to fetch; read so, Ali beside Khalid
    fetches him. Only a query's: stored, the French ch of "Lebachir" and "Chokri" pulled men
    written with a kh past the search's candidate cap, ahead of their own. Scoring reads
    the ch itself (scoring._LETTERS_READ_AS)."""
    out: list[ParsedName] = []
    for name in profile.names:
        if not name.parsed.arabic and (text := text_with_ch_as_kh(name.parsed.text)):
            out.append(parse_name(text))
    return out


def near_keys(
    keys: set[str], vocabulary: Collection[str], memo: dict[str, tuple[str, ...]] | None = None
) -> set[str]:
    """The keys and, for keys of 3+ letters, the known keys one edit away: a spelling whose
    skeleton slipped by a letter still finds its candidates. ``memo`` caches per key for
    one vocabulary (screening asks the same keys thousands of times), as tuples of strings,
    which the garbage collector stops walking once it has seen them (a server's memo grows
    with the keys its queries hold: 3,452 after 1,500 intake checks)."""
    out = set(keys)
    vocab: list[str] | None = None
    for key in keys:
        if len(key) < 3:
            continue
        found = memo.get(key) if memo is not None else None
        if found is None:
            vocab = vocab if vocab is not None else list(vocabulary)
            found = tuple(
                hit
                for hit, _, _ in process.extract(
                    key, vocab, scorer=Levenshtein.distance, score_cutoff=1, limit=20
                )
            )
            if memo is not None:
                memo[key] = found
        out.update(found)
    return out


def within_budget(
    df: Mapping[str, int],
    exact: Collection[str] = (),
    *,
    budget: int = POSTINGS_BUDGET,
    at_least_one: bool = True,
) -> list[str]:
    """The rarest keys first, until their postings reach ``budget`` (by default at least
    one key): a common key (Muhammad) would cost thousands of candidates and says little."""
    chosen: list[str] = []
    spent = 0
    # the query's own keys before the keys one letter away, each rarest first
    for key in sorted(df, key=lambda k: (k not in exact, df[k], k)):
        if (chosen or not at_least_one) and spent + df[key] > budget:
            continue
        chosen.append(key)
        spent += df[key]
    return chosen


def fetching_keys(
    known: Mapping[str, int], exact: Collection[str], held: Mapping[str, int]
) -> tuple[list[str], list[str]]:
    """The keys a query fetches its candidates by, and which of them are keys of parts
    standing together (a whole name, two parts side by side). ``known``: the query's name
    keys the index holds (its own, ``exact``, and those a letter away) -> holders; ``held``:
    its rank keys the index holds -> holders.

    Its name keys rarest first up to ``POSTINGS_BUDGET`` index rows, and beside them its keys
    of parts standing together rarest first up to ``ORDER_BUDGET``: these fetch the man of a
    name whose every part is too common to fetch ("Mohammed Ali Alobaidi": Mohammed, Ali and
    Obaidi are each held thousands of times, the three together by one man). When nothing
    fits, one key fetches alone, the rarest of the query's own and of its parts standing
    together: in the scenario's registry repeated 21 times (966,000 persons), the rarest part
    of "Umar Ahmad al-Jubouri" is held 66,000 times, Umar beside Ahmad 5,900."""
    together = {k: n for k, n in held.items() if n and k.startswith(PART_ORDER_MARKS)}
    order = within_budget(together, budget=ORDER_BUDGET, at_least_one=False)
    rarest_own = min((n for k, n in known.items() if k in exact), default=None)
    if not order and together and (rarest_own is None or min(together.values()) < rarest_own):
        order = [min(together, key=lambda k: (together[k], k))]
    return within_budget(known, exact, at_least_one=not order) + order, order


def ranking_keys(
    query: Profile, known: Mapping[str, int], fetched: Collection[str], rank_df: Mapping[str, int]
) -> dict[str, int]:
    """Keys that rank the persons a query fetched without fetching any: the query's own keys
    left out of the fetch ("Mohammad Islami" puts the Mohammad among the Islamis first; in
    "Mohammed Hassan" the Mohammed puts the Hassans named Mohammed first), however common,
    as only their holders among the fetched persons are read; and its rank keys (spellings,
    birth years) held by at most ``POSTINGS_BUDGET`` records (a commoner one costs more to
    read than it tells), each with its frequency."""
    out = {k: known[k] for k in query_keys(query) & known.keys() if k not in fetched}
    mine = query_rank_keys(query)
    out.update(
        (k, n)
        for k, n in rank_df.items()
        if k in mine and n <= POSTINGS_BUDGET and k not in fetched
    )
    return out


def read_among_fetched(ranking: Mapping[str, int]) -> set[str]:
    """The ranking keys too common to read whole (held by more than ``POSTINGS_BUDGET``
    records): only their holders among the fetched persons are looked up."""
    return {k for k, n in ranking.items() if n > POSTINGS_BUDGET}


def query_parts(keys: Iterable[str], exact: Collection[str]) -> dict[str, str]:
    """The query key each key stands for: a key of the query's own stands for itself, a key
    one letter away for the query key nearest to it (ties: the first in order). A person
    holding two spellings near one part of the query (Hasanov read as hsnf and hsnv, near
    Hassan) has matched that part once."""
    ordered = sorted(exact)
    out: dict[str, str] = {}
    for key in keys:
        if key in exact or not ordered:
            out[key] = key
            continue
        out[key] = min(ordered, key=lambda e: Levenshtein.distance(key, e))
    return out


def key_weights(
    keys: Iterable[str], df: Mapping[str, int], total: int, exact: Collection[str]
) -> tuple[dict[str, str], dict[str, float]]:
    """The query part each key stands for (``query_parts``) and what sharing the key says:
    its rarity; for a key one letter away from the query's, half of that, and never more
    than half of what the query's own key would say (a rare misspelling of a common name is
    still a common name); for a key of parts standing together (two side by side, a whole
    name), what it tells beyond its parts, which their own keys have counted already: the
    pair Mohammed-Hassan, held 211 times, is rarer than Mohammed or Hassan but says little
    more than the two do. One rule for the database index and the in-memory one."""

    def rarity(key: str) -> float:
        return math.log((total + 1) / (df.get(key, 0) + 0.5))

    def weight(key: str, part: str) -> float:
        if key.startswith(PART_ORDER_MARKS):
            return max(0.0, rarity(key) - sum(rarity(p) for p in parts_standing_together(key)))
        return rarity(key) if key in exact else 0.5 * min(rarity(key), rarity(part))

    parts = query_parts(keys, exact)
    return parts, {key: weight(key, part) for key, part in parts.items()}


@dataclass(frozen=True)
class RankingPlan:
    """What one query's ranking reads, in the database index and the in-memory one alike:
    the keys that fetch persons; the keys that only rank the fetched persons (-> holders),
    of which the ``common`` ones are read among the fetched persons only
    (``read_among_fetched``); each key's weight and the query part it stands for."""

    fetch: list[str]
    ranking: dict[str, int]
    common: dict[str, int]
    weights: dict[str, float]
    parts: dict[str, str]


def plan_ranking(
    query: Profile,
    own: Collection[str],
    known: Mapping[str, int],
    held: Mapping[str, int],
    total: int,
) -> RankingPlan:
    """The ranking plan of ``query`` over an index of ``total`` persons. ``own``: the
    query's own name keys; ``known``: its name keys the index holds (its own and those a
    letter away) -> holders; ``held``: its rank keys the index holds -> holders."""
    fetch, order = fetching_keys(known, own, held)
    ranking = ranking_keys(query, known, fetch, held)
    common = {k: ranking[k] for k in read_among_fetched(ranking)}
    ranked_by = set(own) | set(order) | set(ranking)
    parts, weights = key_weights(set(fetch) | set(ranking), {**known, **held}, total, ranked_by)
    return RankingPlan(fetch, ranking, common, weights, parts)


def rank_candidates(
    postings: Mapping[str, Iterable[int]],
    weights: Mapping[str, float],
    parts: Mapping[str, str],
    *,
    limit: int,
) -> list[int]:
    """Persons ordered by the summed weight of the query parts they share, each part counted
    once, at the weight of its best key the person holds. The weights are summed as whole
    millionths, as the database index sums them (``index._ranking_params``): exactly, so
    persons sharing the same parts tie and come out by id, in either index."""
    by_part: dict[str, list[tuple[int, Iterable[int]]]] = {}
    for key, persons in postings.items():
        by_part.setdefault(parts[key], []).append((round(weights[key] * 1e6), persons))
    totals: dict[int, int] = {}
    total_of = totals.get
    # a part by part sum, not person by person: a screening run ranks millions of holders
    for keyed in by_part.values():
        for person, w in _best_key_of_part(keyed):
            totals[person] = total_of(person, 0) + w
    if len(totals) > limit:
        floor = sorted(totals.values(), reverse=True)[limit - 1]
        ranked = [(person, t) for person, t in totals.items() if t >= floor]
    else:
        ranked = list(totals.items())
    ranked.sort(key=lambda kv: (-kv[1], kv[0]))
    return [person for person, _ in ranked[:limit]]


def _best_key_of_part(
    keyed: Sequence[tuple[int, Iterable[int]]],
) -> Iterable[tuple[int, int]]:
    """Each person holding one of a part's keys, with the weight of the best of them."""
    if len(keyed) == 1:  # nearly every part: its own key
        w, persons = keyed[0]
        return ((person, w) for person in persons)
    best: dict[int, int] = {}
    for w, persons in sorted(keyed, key=lambda kw: -kw[0]):
        for person in persons:
            best.setdefault(person, w)
    return best.items()


class MemoryIndex:
    """Profiles and their keys held in memory."""

    def __init__(self) -> None:
        self.profiles: dict[int, Profile] = {}
        self.postings: dict[str, set[int]] = defaultdict(set)
        # spellings and birth years (Profile.rank_keys): they rank, never fetch
        self.rank_postings: dict[str, set[int]] = defaultdict(set)
        self._near: dict[str, tuple[str, ...]] = {}
        self._weigher: Weigher | None = None

    def add(self, profile: Profile) -> None:
        """Add or replace a profile."""
        old = self.profiles.get(profile.ident)
        if old is not None:
            for key in old.keys:
                self.postings[key].discard(profile.ident)
            for key in old.rank_keys:
                self.rank_postings[key].discard(profile.ident)
        self.profiles[profile.ident] = profile
        self._near.clear()
        self._weigher = None
        for key in profile.keys:
            self.postings[key].add(profile.ident)
        for key in profile.rank_keys:
            self.rank_postings[key].add(profile.ident)

    def _postings(self, key: str, known: Collection[str]) -> Mapping[str, set[int]]:
        """The postings a key of the query is held in: a name key's, or a rank key's."""
        return self.postings if key in known else self.rank_postings

    def df(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.postings.items()}

    def weigher(self) -> Weigher:
        if self._weigher is None:
            self._weigher = idf_weigher(self.df(), len(self.profiles))
        return self._weigher

    def candidates(
        self,
        query: Profile,
        *,
        limit: int = MAX_CANDIDATES,
        min_cover: float = MIN_COVER,
        weigh: Weigher | None = None,
    ) -> list[Profile]:
        """The persons worth scoring against ``query``; ``weigh`` is the weigher the scores
        will use (by default this index's term frequencies)."""
        own = query_keys(query)
        keys = near_keys(own, self.postings.keys(), self._near)
        total = len(self.profiles)
        known = {k: len(self.postings[k]) for k in keys if k in self.postings}
        held = {
            k: len(self.rank_postings[k])
            for k in query_rank_keys(query) & self.rank_postings.keys()
        }
        plan = plan_ranking(query, own, known, held, total)
        found: dict[str, Collection[int]] = {k: self._postings(k, known)[k] for k in plan.fetch}
        if plan.ranking:
            fetched_persons: set[int] = set().union(*found.values())
            for key in plan.ranking:
                found[key] = self._postings(key, known)[key] & fetched_persons
        ids = rank_candidates(found, plan.weights, plan.parts, limit=limit)
        weigh = weigh or self.weigher()
        vocab = self.postings.keys()

        def near(key: str) -> set[str]:
            return near_keys({key}, vocab, self._near)

        return [
            p
            for p in (self.profiles[i] for i in ids)
            if plausible(query, p, weigh, near, min_cover)
        ]
