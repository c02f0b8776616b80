"""Locality-sensitive hashing of MCC cylinders for 1:N shortlists (after Cappelli, Ferrara,
Maltoni, "Fingerprint indexing based on Minutia Cylinder-Code", IEEE TPAMI 33(5), 2011).

Each of ``TABLES`` hash functions reads ``BITS`` fixed positions of a bit cylinder (chosen
once, among cells near the centre, which are almost always valid); similar cylinders agree
on most bits and so fall in the same bucket of several tables. A finger's candidates are
ranked by how many (query cylinder, table) pairs collide with their cylinders, normalised
by the square root of the candidate's cylinder count so prints with many minutiae do not
win by volume. The keys of each template are computed once at enrolment and persisted; the
in-memory index is a compressed bucket table per hash function plus a small append
buffer, so enrolment adds to it without a rebuild.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from custodia.biometrics.mcc import NS, RADIUS, WORDS, Template

TABLES = 12
BITS = 18
_SEED = 19_940_301


def _positions() -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(_SEED)
    cell = 2 * RADIUS / NS
    inner = []
    for k in range(WORDS * 64 // (NS * NS)):
        for j in range(NS):
            for i in range(NS):
                if math.hypot((i + 0.5 - NS / 2) * cell, (j + 0.5 - NS / 2) * cell) <= 0.7 * RADIUS:
                    inner.append((k * NS + j) * NS + i)
    pool = np.array(inner, dtype=np.int64)
    return np.stack([rng.choice(pool, BITS, replace=False) for _ in range(TABLES)])


POSITIONS = _positions()


def keys(t: Template) -> npt.NDArray[np.uint32]:
    """(TABLES, n_valid) hash keys of a template's valid cylinders; uninformative cylinders
    (too few bits set) get no key."""
    bits = t.bits[t.ok]
    words = bits[:, POSITIONS >> 6]  # (n, TABLES, BITS)
    picked = (words >> (POSITIONS & 63).astype(np.uint64)) & np.uint64(1)
    weights = (np.uint64(1) << np.arange(BITS, dtype=np.uint64))[None, None, :]
    packed = (picked * weights).sum(axis=2).astype(np.uint32).T  # (TABLES, n)
    informative = picked.sum(axis=(1, 2)) >= TABLES * BITS * 0.08
    return np.ascontiguousarray(packed[:, informative])


@dataclass
class Index:
    """Collision-vote index; owners are caller-chosen int ids (e.g. template ids)."""

    offsets: list[npt.NDArray[np.int64]] = field(default_factory=list)
    members: list[npt.NDArray[np.int32]] = field(default_factory=list)
    pending_keys: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    pending_owner: list[npt.NDArray[np.int32]] = field(default_factory=list)
    sizes: dict[int, int] = field(default_factory=dict)  # owner -> cylinders indexed
    base_entries: int = 0

    @property
    def owners(self) -> int:
        return len(self.sizes)

    def add(self, owner: int, template_keys: npt.NDArray[np.uint32]) -> None:
        if owner in self.sizes:
            return
        self.sizes[owner] = int(template_keys.shape[1])
        self.pending_keys.append(template_keys)
        self.pending_owner.append(np.full(template_keys.shape[1], owner, dtype=np.int32))
        # Small appends are scanned linearly at query time; fold them in once they grow.
        pending = sum(k.shape[1] for k in self.pending_keys)
        if pending > max(20_000, self.base_entries // 8):
            self.compact()

    def add_many(self, items: list[tuple[int, npt.NDArray[np.uint32]]]) -> None:
        for owner, template_keys in items:
            self.add(owner, template_keys)
        self.compact()

    def compact(self) -> None:
        """Fold the append buffer into the bucket tables."""
        if not self.pending_keys:
            return
        new_keys = np.concatenate(self.pending_keys, axis=1)
        new_owner = np.concatenate(self.pending_owner)
        offsets, members = [], []
        for table in range(TABLES):
            old = self._table_entries(table)
            all_keys = np.concatenate([old[0], new_keys[table].astype(np.int64)])
            all_owner = np.concatenate([old[1], new_owner])
            order = np.argsort(all_keys, kind="stable")
            counts = np.bincount(all_keys, minlength=1 << BITS)
            offs = np.zeros((1 << BITS) + 1, dtype=np.int64)
            np.cumsum(counts, out=offs[1:])
            offsets.append(offs)
            members.append(all_owner[order].astype(np.int32))
        self.offsets, self.members = offsets, members
        self.base_entries = int(members[0].shape[0])
        self.pending_keys, self.pending_owner = [], []

    def _table_entries(self, table: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        if not self.offsets:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        counts = np.diff(self.offsets[table])
        return np.repeat(np.arange(1 << BITS, dtype=np.int64), counts), self.members[table]

    def memory_bytes(self) -> int:
        return sum(o.nbytes + m.nbytes for o, m in zip(self.offsets, self.members, strict=True))

    def shortlist(self, query_keys: npt.NDArray[np.uint32], limit: int) -> list[tuple[int, float]]:
        """Owners ranked by normalised collision votes, best first."""
        if query_keys.shape[1] == 0 or not self.sizes:
            return []
        hits = []
        if self.pending_keys:
            pending_keys = np.concatenate(self.pending_keys, axis=1)
            pending_owner = np.concatenate(self.pending_owner)
        for table in range(TABLES):
            q = query_keys[table].astype(np.int64)
            if self.offsets:
                offs = self.offsets[table]
                starts, lengths = offs[q], offs[q + 1] - offs[q]
                total = int(lengths.sum())
                if total:
                    # Gather every bucket's members at once (start..end of each bucket).
                    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
                    hits.append(self.members[table][shift + np.arange(total)])
            if self.pending_keys:
                hits.append(pending_owner[np.isin(pending_keys[table], q)])
        if not hits:
            return []
        owners, votes = np.unique(np.concatenate(hits), return_counts=True)
        if owners.size == 0:
            return []
        sizes = np.fromiter((self.sizes[int(o)] for o in owners), np.float64, len(owners))
        score = votes / np.sqrt(np.maximum(sizes, 1.0))
        top = np.argsort(-score)[:limit]
        return [(int(owners[i]), float(score[i])) for i in top]
