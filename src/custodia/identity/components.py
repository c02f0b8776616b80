"""Connected components of record pairs: the clusters a batch job resolves, and the men
behind the records the names linked (side.py)."""

from __future__ import annotations

from collections.abc import Sequence


def clusters(pairs: Sequence[tuple[int, int]], ids: Sequence[int]) -> dict[int, int]:
    """Connected components: record -> smallest id of its cluster."""
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}
