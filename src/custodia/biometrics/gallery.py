"""The in-memory side of 1:N search: one LSH index per finger position, who owns which
template, a small cache of cylinder templates, and ten-print fusion.

Search runs in two stages. The LSH indexes shortlist templates by collision votes (cheap:
no cylinder is compared); the persons behind the best-voted templates are then matched in
full with MCC, finger by finger at the same position, and their finger scores fused by the
mean over the probe's fingers (a finger the person lacks counts 0). Persons come back
ranked by the fused score.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from custodia.biometrics import lsh, mcc

UNKNOWN_POSITION = 0
POSITIONS = tuple(range(1, 11))
# Templates a one-finger search matches in full. With the cylinder-to-cylinder LSH vote the
# mate ranked in the top 200 / 1,000 / 2,000 for 98 / 99.5 / 100 % of 200 probes against
# 100,000 fingers; full MCC of one shortlisted template (cylinders built on the fly) costs
# well under 1 ms, so 1,000 keeps a search near 1 s, within the 2 s budget.
SINGLE_SHORTLIST = 1000
MinutiaeLoader = Callable[[Sequence[int]], dict[int, npt.NDArray[np.float32]]]


@dataclass(frozen=True)
class Probe:
    position: int  # 1-10, or UNKNOWN_POSITION: search every position
    template: mcc.Template
    keys: npt.NDArray[np.uint32]

    @classmethod
    def of(cls, position: int, minutiae: npt.NDArray[np.float32]) -> Probe:
        template = mcc.template(minutiae)
        return cls(position, template, lsh.keys(template))


@dataclass(frozen=True)
class PersonHit:
    person_id: int
    score: float  # fused: mean finger score over the probe's fingers
    fingers: dict[int, float]  # probe index -> MCC score
    templates: dict[int, int]  # probe index -> template id matched


@dataclass
class Gallery:
    loader: MinutiaeLoader
    cache_size: int = 4096
    indexes: dict[int, lsh.Index] = field(default_factory=dict)
    owner: dict[int, tuple[int, int]] = field(default_factory=dict)  # template -> person, pos
    fingers_of: dict[int, dict[int, int]] = field(default_factory=dict)  # person -> pos -> tpl
    last_id: int = 0
    _cache: OrderedDict[int, mcc.Template] = field(default_factory=OrderedDict)

    def __len__(self) -> int:
        return len(self.owner)

    def add(
        self,
        template_id: int,
        person_id: int,
        position: int,
        keys: npt.NDArray[np.uint32],
        *,
        bulk: bool = False,
    ) -> None:
        """Index one template; with ``bulk`` call ``compact()`` after the last one."""
        index = self.indexes.get(position)
        if index is None:  # not setdefault: an empty Index allocates its bucket offsets
            index = self.indexes[position] = lsh.Index()
        index.add(template_id, keys, bulk=bulk)
        previous = self.fingers_of.setdefault(person_id, {}).get(position)
        if previous is not None:
            self.retire(previous)
        self.owner[template_id] = (person_id, position)
        self.fingers_of[person_id][position] = template_id
        self.last_id = max(self.last_id, template_id)

    def retire(self, template_id: int) -> None:
        """Forget a superseded template: it stays in the LSH buckets (cheap) but no longer
        owns anything, so its votes are dropped."""
        person_position = self.owner.pop(template_id, None)
        if person_position is None:
            return
        person_id, position = person_position
        if self.fingers_of.get(person_id, {}).get(position) == template_id:
            del self.fingers_of[person_id][position]
        self._cache.pop(template_id, None)

    def compact(self) -> None:
        for index in self.indexes.values():
            index.compact()

    def memory_bytes(self) -> int:
        return sum(index.memory_bytes() for index in self.indexes.values())

    def templates(self, template_ids: Sequence[int]) -> dict[int, mcc.Template]:
        found = {t: self._cache[t] for t in template_ids if t in self._cache}
        missing = [t for t in template_ids if t not in found]
        if missing:
            for template_id, minutiae in self.loader(missing).items():
                template = mcc.template(minutiae)
                found[template_id] = template
                self._cache[template_id] = template
        for t in found:
            self._cache.move_to_end(t)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return found

    def _votes(self, probe: Probe, limit: int) -> list[tuple[int, float]]:
        positions = POSITIONS if probe.position == UNKNOWN_POSITION else (probe.position,)
        votes: list[tuple[int, float]] = []
        for position in positions:
            index = self.indexes.get(position)
            if index is not None:
                votes.extend(index.shortlist(probe.keys, limit))
        votes = [(t, v) for t, v in votes if t in self.owner]
        votes.sort(key=lambda tv: -tv[1])
        return votes[:limit]

    def search(
        self,
        probes: Sequence[Probe],
        *,
        limit: int = 10,
        shortlist: int | None = None,
        exclude_person: int | None = None,
    ) -> list[PersonHit]:
        """Persons ranked by fused MCC score against ``probes``."""
        if not probes or not self.owner:
            return []
        per_probe = shortlist or (SINGLE_SHORTLIST if len(probes) == 1 else 30)
        person_votes: dict[int, float] = {}
        for probe in probes:
            votes = self._votes(probe, per_probe)
            if not votes:
                continue
            best = votes[0][1]
            for template_id, vote in votes:
                person = self.owner[template_id][0]
                person_votes[person] = person_votes.get(person, 0.0) + vote / best
        if exclude_person is not None:
            person_votes.pop(exclude_person, None)
        persons = sorted(person_votes, key=lambda p: -person_votes[p])[
            : per_probe if len(probes) == 1 else max(25, limit)
        ]
        return self.rank(probes, persons)[:limit]

    def rank(self, probes: Sequence[Probe], persons: Sequence[int]) -> list[PersonHit]:
        """Full MCC of ``probes`` against each of ``persons``, fused, best first."""
        wanted: dict[tuple[int, int], list[int]] = {}
        for person in persons:
            fingers = self.fingers_of.get(person, {})
            for i, probe in enumerate(probes):
                if probe.position == UNKNOWN_POSITION:
                    wanted[(person, i)] = list(fingers.values())
                elif probe.position in fingers:
                    wanted[(person, i)] = [fingers[probe.position]]
        templates = self.templates(sorted({t for ts in wanted.values() for t in ts}))
        hits = []
        for person in persons:
            scores: dict[int, float] = {}
            matched: dict[int, int] = {}
            for i, probe in enumerate(probes):
                best, best_t = 0.0, -1
                for t in wanted.get((person, i), []):
                    if t in templates:
                        s = mcc.score(probe.template, templates[t])
                        if s > best:
                            best, best_t = s, t
                scores[i] = best
                if best_t >= 0:
                    matched[i] = best_t
            fused = sum(scores.values()) / len(probes)
            hits.append(PersonHit(person, fused, scores, matched))
        hits.sort(key=lambda h: -h.score)
        return hits
