"""Side-attribute evidence for batch de-duplication, Fellegi-Sunter style.

A man recorded a second time under his nom de guerre shares no name with his first record,
but he keeps his date and place of birth, nationality, often his mother's name and
sometimes his kunya. An analyst links such records when those agree and are rare together.
The weight of an agreement is ``log2(m / u)`` bits: ``u`` is the chance that a record drawn
from this registry holds the same value (its frequency: a common place of birth or a bare
year weighs less than a day of birth), ``m`` the chance that two records of one man agree,
measured on the pairs the names already linked (with a pseudo-count toward a default, so a
small registry still has an estimate). A disagreement weighs ``log2((1 - m) / (1 - u))``:
brothers share mother, place and nationality, but a date of birth that differs by years
costs about ten bits.

Two records that both carry a real name were compared by name already; when their names
disagree the side attributes do not link them (brothers, sisters and twins share mother,
place, nationality and sometimes the day of birth). Side evidence decides only when one
record is known by a kunya or nom de guerre alone; the nisba of that nom de guerre found
among the other record's names counts too, its u being its frequency among records of the
same nationality (so "al-Iraqi" for an Iraqi proves little). A nisba of origin (origins.py:
"al-Ustrali", "al-Muhajir") is no family name, so its absence from the other record's names
costs nothing; where the nom-de-guerre record holds no nationality it stands in for one.

The prior is the chance that two records drawn at random are one man: the rate of
duplicates found by name, over the registry size. A record known only by kunya or nom de
guerre has no real name to compare; for such a record the prior is even odds that it
duplicates someone, over the registry size. The posterior probability is the pair's score.
Such a record's candidates compete, one man (the records the names linked) one candidate,
and a record its nom de guerre already matched by name (another man's kunya) is one of them.

The same weights update a name match (``conflict``): each attribute a man keeps when
recorded again (``KEPT``) that differs costs ``log2((1 - m) / (1 - u))`` bits: two
"Islam Hasanov" born in Grozny and in Khasavyurt, or on two different days, are two men.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from custodia.identity import origins
from custodia.identity.components import clusters
from custodia.identity.names import NameToken
from custodia.identity.scoring import REVIEW_THRESHOLD, Profile

# Default m (chance two records of one man agree) and the weight of that default, in pairs.
M_DEFAULT = {
    "dob_day": 0.9,
    "dob_month": 0.95,
    "dob_overlap": 0.99,
    "pob": 0.95,
    "nationality": 0.9,
    "mother": 0.95,
    "kunya": 0.3,
    "nisba": 0.5,
    "origin": 0.9,
    "sex": 0.99,
    "category": 0.99,
}
# Attributes a man keeps when recorded again (field -> row key): one that differs weighs
# against a name match.
KEPT = {
    "nationality": "nationality",
    "sex": "sex",
    "category": "category",
    "pob": "pob",
    "dob_overlap": "year_lo",
    "dob_day": "dob",
    "dob_month": "month",
}
LABELS = {
    "dob_overlap": "date of birth",
    "dob_day": "day of birth",
    "dob_month": "month of birth",
    "pob": "place of birth",
}
# Fields read from the names themselves. A record known only by a kunya or nom de guerre
# was linked by those very names, so its pairs agree on them by selection, not because a
# man keeps his kunya: their m is learned from the other pairs only (or stays the default).
NAME_BORNE = frozenset({"kunya", "nisba", "origin"})
PSEUDO_PAIRS = 2.0
M_RANGE = (0.01, 0.999)
WEAK_ONLY_PRIOR = 0.5  # a record known only by a nom de guerre: even odds it is a duplicate
# A record known only by a nom de guerre is proposed with the man it is more likely than not
# to be. The posterior is a probability, not a name score read on REVIEW_THRESHOLD's scale,
# and its candidates share one mass (``SideModel.link``): at most one man can pass.
SIDE_THRESHOLD = 0.5
# The evidence key of a side link's probability: the mark of a pair proposed from
# SIDE_THRESHOLD rather than from REVIEW_THRESHOLD.
POSTERIOR = "side_posterior"


def proposed_from(evidence: Mapping[str, Any]) -> float:
    """The cut a source's evidence was proposed at: ``SIDE_THRESHOLD`` for a side link (a
    probability), else the review threshold of name scores."""
    return SIDE_THRESHOLD if POSTERIOR in evidence else REVIEW_THRESHOLD


def nisba_of(profile: Profile) -> NameToken | None:
    """The nisba of a nom de guerre: the last name part of the record's first name ("Abu
    Hamza al-Iraqi": al-Iraqi), None without one."""
    if not profile.names:
        return None
    parts = [t for t in profile.names[0].parsed.tokens if t.role == "name"]
    return parts[-1] if parts else None


def _bits(x: float) -> float:
    return math.log2(x)


def _agreement_bits(m: float, u: float) -> float:
    """What an agreement weighs, ``log2(m / u)``, and never less than nothing: where every
    record of a block holds the value (the nationality of a birthplace's records), agreeing
    tells nothing, while m, measured over the whole registry, says a man's two records
    disagree now and then."""
    return max(0.0, _bits(m / u))


def _how_common(u: float) -> str:
    """A value's share of records in words: "1 record in 597 holds it", "87% of records hold
    it"."""
    return f"1 record in {1 / u:.0f} holds it" if u <= 0.5 else f"{u:.0%} of records hold it"


def _share(count: int, total: int) -> float:
    """u: the share of ``total`` records holding a value, counting at least one, and below
    one (a value every record holds cannot weigh a disagreement infinitely)."""
    return min(max(count, 1) / max(total, 1), M_RANGE[1])


class SideModel:
    """u from value frequencies of ``rows`` (see dedupe.features), m from ``linked`` pairs."""

    def __init__(
        self,
        rows: Sequence[dict[str, Any]],
        linked: Iterable[tuple[int, int]],
        profiles: Sequence[Profile],
    ) -> None:
        self.rows = {r["unique_id"]: r for r in rows}
        # every skeleton of a record's names (apart: those written as a nisba of origin,
        # "al-Saudi", whose skeleton names such as "Saad" share), its kunyas, and the nisba
        # of a nom de guerre, and whether that is one of origin
        self.skeletons: dict[int, frozenset[str]] = {}
        self.origin_skeletons: dict[int, frozenset[str]] = {}
        self.kunyas: dict[int, frozenset[str]] = {}
        self.nisba: dict[int, str] = {}
        self.of_origin: set[int] = set()
        nisba_freq: Counter[tuple[str | None, str]] = Counter()
        for p in profiles:
            tokens = [t for n in p.names for t in n.parsed.tokens if t.role == "name"]
            origin = [origins.is_origin_spelling(t.spelling, t.skeleton) for t in tokens]
            skels = frozenset(t.skeleton for t, o in zip(tokens, origin, strict=True) if not o)
            self.skeletons[p.ident] = skels
            self.origin_skeletons[p.ident] = frozenset(
                t.skeleton for t, o in zip(tokens, origin, strict=True) if o
            )
            self.kunyas[p.ident] = frozenset(
                t.skeleton for n in p.names for t in n.parsed.tokens if t.role == "kunya"
            )
            nat = self.rows[p.ident]["nationality"]
            for skel in {t.skeleton for t in tokens}:
                nisba_freq[nat, skel] += 1
            if self.rows[p.ident]["weak_only"] and (last := nisba_of(p)) is not None:
                self.nisba[p.ident] = last.skeleton
                if origins.is_origin_spelling(last.spelling, last.skeleton):
                    self.of_origin.add(p.ident)
        self.nisba_freq = nisba_freq
        # (nationality, nisba) -> records holding the nisba, and records of that nationality,
        # where counted over a registry larger than ``rows`` (within_block)
        self.nisba_counted: dict[tuple[str | None, str], tuple[int, int]] = {}
        n = max(len(self.rows), 2)
        self.n = n
        self.freq: dict[str, Counter[Any]] = {
            "dob_day": Counter(r["dob"] for r in rows if r["dob"]),
            "dob_month": Counter(r["month"] for r in rows if r["month"]),
            "year": Counter(r["year_lo"] for r in rows if r["year_lo"] is not None),
            "pob": Counter(r["pob"] for r in rows if r["pob"]),
            "nationality": Counter(r["nationality"] for r in rows if r["nationality"]),
            "mother": Counter(r["mother_full"] for r in rows if r["mother_full"]),
            "kunya": Counter(k for ks in self.kunyas.values() for k in ks),
            "sex": Counter(r["sex"] for r in rows if r["sex"]),
            "category": Counter(r["category"] for r in rows if r["category"]),
            "nationality_all": Counter(r["nationality"] for r in rows),
        }
        self.present = {k: max(sum(c.values()), 1) for k, c in self.freq.items()}
        # records holding each primary name (skeletons) with each birth year
        self.namesakes = Counter((r["name"], r["year_lo"]) for r in rows if r["name"])
        linked = list(linked)
        agree: Counter[str] = Counter()
        seen: Counter[str] = Counter()
        for a, b in linked:
            by_kunya = self.rows[a]["weak_only"] or self.rows[b]["weak_only"]
            for field, level in self._levels(a, b):
                if by_kunya and field in NAME_BORNE:
                    continue
                seen[field] += 1
                agree[field] += level
        self.m = {
            field: min(
                M_RANGE[1],
                max(
                    M_RANGE[0],
                    (agree[field] + PSEUDO_PAIRS * default) / (seen[field] + PSEUDO_PAIRS),
                ),
            )
            for field, default in M_DEFAULT.items()
        }
        # two records drawn at random are born the same year this often
        self.u_overlap = sum((c / self.present["year"]) ** 2 for c in self.freq["year"].values())
        # odds that a given record is the one a nom-de-guerre record duplicates
        self.weak_prior_bits = _bits(WEAK_ONLY_PRIOR / (1 - WEAK_ONLY_PRIOR) / n)

    @classmethod
    def within_block(
        cls,
        rows: Sequence[dict[str, Any]],
        profiles: Sequence[Profile],
        *,
        registry_size: int,
        registry_counts: dict[str, dict[Any, int]],
        nisba_counts: Mapping[tuple[str | None, str], tuple[int, int]] | None = None,
    ) -> SideModel:
        """The model for one new record at intake against ``rows``: the registry's records
        of its birthplace and birth year (the block), the new record among them. A value's
        u is its share of the block (the chance a record of that place and year holds it:
        brothers of one town share more than strangers do), except for the fields of
        ``registry_counts`` (the place, the year, the mother's name, the kunya, the day or
        month of birth), counted over the whole registry of ``registry_size`` records, as is
        the prior; and for the nisbas of ``nisba_counts`` ((nationality, nisba) -> the
        records holding it, those of the nationality), counted there too: a block's share of
        the "al-Anbari" the man and the new record both hold, among few of their town and
        year, said 1 in 2. m is the default (no pairs linked by name to learn it from)."""
        model = cls(rows, (), profiles)
        model.nisba_counted = dict(nisba_counts or {})
        for field, counts in registry_counts.items():
            model.freq[field] = Counter(counts)
            model.present[field] = max(registry_size, 1)
        model.n = max(registry_size, 2)
        model.weak_prior_bits = _bits(WEAK_ONLY_PRIOR / (1 - WEAK_ONLY_PRIOR) / model.n)
        return model

    def _levels(self, a_id: int, b_id: int) -> list[tuple[str, bool]]:
        """(field, agrees) for each field both records hold."""
        a, b = self.rows[a_id], self.rows[b_id]
        out: list[tuple[str, bool]] = []
        if a["year_lo"] is not None and b["year_lo"] is not None:
            overlap = a["year_lo"] <= b["year_hi"] and b["year_lo"] <= a["year_hi"]
            if a["dob"] and b["dob"]:
                out.append(("dob_day", a["dob"] == b["dob"]))
            elif a["month"] and b["month"]:
                out.append(("dob_month", a["month"] == b["month"]))
            out.append(("dob_overlap", overlap))
        for field, key in (
            ("pob", "pob"),
            ("nationality", "nationality"),
            ("mother", "mother_full"),
            ("sex", "sex"),
            ("category", "category"),
        ):
            if a[key] and b[key]:
                out.append((field, a[key] == b[key]))
        ka, kb = self.kunyas[a_id], self.kunyas[b_id]
        if ka and kb:
            out.append(("kunya", not ka.isdisjoint(kb)))
        for x, y in ((a_id, b_id), (b_id, a_id)):
            if x in self.nisba:
                out.extend(self._nisba_level(x, y))
                break
        return out

    def _nisba_level(self, x: int, y: int) -> list[tuple[str, bool]]:
        """How the nisba of ``x``'s nom de guerre compares with record ``y``: found among
        y's names, or not; but a nisba of origin ("al-Ustrali", "al-Muhajir") is not a
        family name, so its absence from y's names says nothing, and where x records no
        nationality it stands in for one (its agreement with y's)."""
        nisba = self.nisba[x]
        origin = x in self.of_origin
        if nisba in (self.origin_skeletons if origin else self.skeletons)[y]:
            return [("nisba", True)]
        if not origin:
            return [("nisba", False)]
        other = self.rows[y]["nationality"]
        if self.rows[x]["nationality"] or not other:
            return []
        return [("origin", origins.agrees_with(nisba, other))]

    def _nisba_u(self, nisba: str, other: int) -> float:
        nat = self.rows[other]["nationality"]
        if counted := self.nisba_counted.get((nat, nisba)):
            return _share(*counted)
        return _share(self.nisba_freq[nat, nisba], self.freq["nationality_all"][nat])

    def _origin_u(self, nisba: str) -> float:
        """The share of records whose nationality a nisba of origin agrees with."""
        counts = self.freq["nationality_all"]
        agree = sum(c for nat, c in counts.items() if nat and origins.agrees_with(nisba, nat))
        return _share(agree, sum(counts.values()))

    def _u(self, field: str, value: Any) -> float:
        return _share(self.freq[field][value], self.present[field])

    def link(
        self,
        pairs: Iterable[tuple[int, int]],
        named: Iterable[tuple[int, int, float]] = (),
    ) -> list[tuple[int, int, float, list[str], float]]:
        """(a, b, probability, reasons, log-odds bits) of each pair with a record known only
        by a nom de guerre. Such a record is one man recorded at most once more, so its
        candidates compete: P(same as j) = odds_j / (1 + sum of the odds of all its
        candidates), and two equally likely candidates each get under one half. The pairs
        the names linked, ``named`` (a, b, probability), compete too: a nom de guerre that
        matched another record's kunya already points to that record. Candidates are men,
        not records: a man the names found recorded twice competes once."""
        named = list(named)
        linked = [(a, b) for a, b, _ in named]
        man = clusters(linked, sorted({x for pair in linked for x in pair}))
        # weak-only record -> the odds of each man (not record) it may be: two records the
        # names linked are one man, whose odds are the better of theirs, not their sum
        mass: dict[int, dict[int, float]] = {}

        def weigh(x: int, other: int, odds: float) -> None:
            if self.rows[x]["weak_only"]:
                per = mass.setdefault(x, {})
                key = man.get(other, other)
                per[key] = max(per.get(key, 0.0), odds)

        for a, b, probability in named:
            odds = probability / max(1.0 - probability, 1e-9) * 2.0 ** self._named_lift(a, b)
            weigh(a, b, odds)
            weigh(b, a, odds)
        scored: list[tuple[int, int, list[str], float]] = []
        for a, b in pairs:
            notes, bits = self.bits(a, b)
            if bits == float("-inf"):
                continue
            scored.append((a, b, notes, bits))
            weigh(a, b, 2.0 ** min(bits, 60.0))
            weigh(b, a, 2.0 ** min(bits, 60.0))
        out: list[tuple[int, int, float, list[str], float]] = []
        for a, b, notes, bits in scored:
            total = max(sum(mass.get(x, {}).values()) for x in (a, b))
            odds = 2.0 ** min(bits, 60.0)
            probability = odds / (1.0 + total)
            if total > odds:
                notes = [*notes, f"{total / odds - 1:.2f} times as much evidence for other men"]
            out.append((a, b, probability, notes, round(bits, 2)))
        return out

    def _named_lift(self, a_id: int, b_id: int) -> float:
        """The bits the side attributes add to a name link of a nom-de-guerre record: a man
        its names point to competes with all his evidence, as a stranger of its town and
        year does with his. Weighed by his names alone (odds of 6 to 1) he lost to a
        stranger whose year, town and nationality agreed (2^9.5 over the prior), though the
        same attributes agreed with him too. The fields read from the names are left out:
        the name link already holds them."""
        if not (self.rows[a_id]["weak_only"] or self.rows[b_id]["weak_only"]):
            return 0.0
        _, bits = self.bits(a_id, b_id, leave_out=NAME_BORNE)
        return min(max(bits - self.weak_prior_bits, -60.0), 60.0)

    def crowd(self, a_id: int, b_id: int) -> tuple[float, list[str]]:
        """Bits against two records of one name and birth year that ``k`` records share: a
        man is recorded once or twice, so the other holders compete as other candidates do
        for a nom de guerre (odds / (k - 1)); a name the registry holds twice costs nothing.
        Name scores weigh parts by rarity but read a full match of two common parts as
        1.0: among a million records, hundreds of "Muhammad Ahmad Hassan" share a year."""
        a, b = self.rows[a_id], self.rows[b_id]
        if not a["name"] or a["name"] != b["name"] or a["year_lo"] != b["year_lo"]:
            return 0.0, []
        k = self.namesakes[a["name"], a["year_lo"]]
        if k <= 2:
            return 0.0, []
        w = -_bits(k - 1)
        return w, [f"{k} records share this name and birth year ({w:+.1f} bits)"]

    def conflict(self, a_id: int, b_id: int) -> tuple[float, list[str]]:
        """Bits against two records being one man from attributes a man keeps when
        recorded again (nationality, sex, category, place of birth, a birth date years
        apart or two different days), with reasons: the update a name match gets in the
        batch job."""
        total = 0.0
        notes: list[str] = []
        levels = dict(self._levels(a_id, b_id))
        if levels.get("dob_overlap"):
            levels.pop("dob_overlap")
        else:  # years apart: counted once, as the overlap
            levels.pop("dob_day", None)
            levels.pop("dob_month", None)
        for field, agrees in levels.items():
            if agrees or field not in KEPT:
                continue
            if field == "dob_overlap":
                u = self.u_overlap
            else:
                u = self._u(field, self.rows[a_id][KEPT[field]])
            w = _bits((1 - self.m[field]) / (1 - u))
            total += w
            notes.append(f"{LABELS.get(field, field)} differs ({w:+.1f} bits)")
        return total, notes

    def _finer_date(self, levels: dict[str, bool], a: dict[str, Any]) -> tuple[float, str] | None:
        """Bits and reason from the day, or else the month, of birth when both records hold
        it (the year agrees); None when neither does."""
        for field, key, unit in (("dob_day", "dob", "day"), ("dob_month", "month", "month")):
            if field not in levels:
                continue
            value = a[key]
            u = self._u(field, value)
            if levels[field]:
                w = _agreement_bits(self.m[field], u)
                shared = self.freq[field][value]
                return w, f"same {unit} of birth {value}, {shared} records share it ({w:+.1f} bits)"
            w = _bits((1 - self.m[field]) / (1 - u))
            return w, f"same year but another {unit} of birth ({w:+.1f} bits)"
        return None

    def bits(
        self, a_id: int, b_id: int, *, leave_out: Collection[str] = ()
    ) -> tuple[list[str], float]:
        """(reasons, log2 odds that the records are one man) from the side attributes, but
        for the fields ``leave_out``."""
        a, b = self.rows[a_id], self.rows[b_id]
        if not (a["weak_only"] or b["weak_only"]):
            return ["both records carry a real name and the names disagree"], float("-inf")
        prior = self.weak_prior_bits
        total = prior
        notes: list[str] = []
        levels = dict(self._levels(a_id, b_id))
        if "dob_overlap" in levels:
            if not levels["dob_overlap"]:
                w = _bits((1 - self.m["dob_overlap"]) / (1 - self.u_overlap))
                notes.append(f"date of birth differs ({w:+.1f} bits)")
            elif finer := self._finer_date(levels, a):
                w, note = finer
                notes.append(note)
            else:
                year = a["year_lo"] if a["dob"] is None else b["year_lo"]
                w = _agreement_bits(self.m["dob_overlap"], self._u("year", year))
                notes.append(f"date of birth agrees to the year {year} ({w:+.1f} bits)")
            total += w
        for field, key, label in (
            ("pob", "pob", "place of birth"),
            ("nationality", "nationality", "nationality"),
            ("mother", "mother_full", "mother's name"),
            ("sex", "sex", "sex"),
            ("category", "category", "category"),
            ("kunya", "kunya", "kunya"),
            ("nisba", "nisba", "nisba of the nom de guerre"),
            ("origin", "nisba", "nisba of origin and nationality"),
        ):
            if field not in levels or field in leave_out:
                continue
            if field == "kunya":
                shared = sorted(self.kunyas[a_id] & self.kunyas[b_id]) or sorted(self.kunyas[a_id])
                u = self._u(field, shared[0])
            elif field == "nisba":
                x, y = (a_id, b_id) if a_id in self.nisba else (b_id, a_id)
                u = self._nisba_u(self.nisba[x], y)
            elif field == "origin":
                u = self._origin_u(self.nisba[a_id if a_id in self.nisba else b_id])
            else:
                u = self._u(field, a[key])
            if levels[field]:
                w = _agreement_bits(self.m[field], u)
                notes.append(f"{label} agrees, {_how_common(u)} ({w:+.1f} bits)")
            else:
                w = _bits((1 - self.m[field]) / (1 - u))
                notes.append(f"{label} differs ({w:+.1f} bits)")
            total += w
        notes.insert(
            0,
            f"side attributes: {total - prior:+.1f} bits over a prior of {prior:.1f} bits "
            "(one record is known only by a kunya/nom de guerre)",
        )
        return notes, total
