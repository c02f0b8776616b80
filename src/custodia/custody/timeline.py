"""Population over time: how many persons were held in each kind of place, month by month,
replayed from the ledger (corrections applied), and drawn as a picture."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy.orm import Session

from custodia.custody.rules import CustodyState, Move, Status, apply, effective_moves
from custodia.custody.service import move_of
from custodia.db import utc_now
from custodia.ledger import service as ledger
from custodia.pictures import picture_bytes
from custodia.registry import service as registry

IN_TRANSIT = "in transit"
_GROUPS = {
    "prison": "prisons and holding sites",
    "holding_site": "prisons and holding sites",
    "camp": "camps",
    "staging_airfield": "staging airfields",
    "receiving_facility": "receiving facility",
}


class PopulationPoint(BaseModel):
    day: dt.date
    counts: dict[str, int]


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


def _bucket(state: CustodyState, kinds: dict[int, str]) -> str | None:
    if state.status == Status.IN_TRANSIT:
        return IN_TRANSIT
    if state.status == Status.IN_CUSTODY and state.facility_id is not None:
        return _GROUPS.get(kinds.get(state.facility_id, ""), "other")
    return None


def _deltas(moves: Iterable[Move], kinds: dict[int, str]) -> list[tuple[dt.datetime, str, int]]:
    """(when, bucket, +1/-1) each time the person enters or leaves a bucket."""
    out: list[tuple[dt.datetime, str, int]] = []
    state = CustodyState()
    for move in effective_moves(sorted(moves, key=lambda m: m.seq)):
        new = apply(state, move)
        old_bucket, new_bucket = _bucket(state, kinds), _bucket(new, kinds)
        if old_bucket != new_bucket and move.occurred_at is not None:
            if old_bucket:
                out.append((move.occurred_at, old_bucket, -1))
            if new_bucket:
                out.append((move.occurred_at, new_bucket, 1))
        state = new
    return out


def population_over_time(session: Session) -> list[PopulationPoint]:
    """Persons held at each month's end, by kind of place, from the first event to today."""
    kinds = {f.id: f.kind.value for f in registry.list_facilities(session)}
    moves: dict[int, list[Move]] = defaultdict(list)
    for entry in ledger.iter_events(session):
        if entry.person_id is not None:
            moves[entry.person_id].append(move_of(entry))
    deltas = sorted(d for person_moves in moves.values() for d in _deltas(person_moves, kinds))
    if not deltas:
        return []
    groups = sorted({bucket for _, bucket, _ in deltas})
    counts = dict.fromkeys(groups, 0)
    points, index = [], 0
    for day in _month_ends(deltas[0][0].date(), utc_now().date()):
        cutoff = dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        while index < len(deltas) and deltas[index][0] <= cutoff:
            counts[deltas[index][1]] += deltas[index][2]
            index += 1
        points.append(PopulationPoint(day=day, counts=dict(counts)))
    return points


def population_chart(points: list[PopulationPoint], *, image_format: str = "png") -> bytes:
    """A stacked-area picture of ``points`` as PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    groups = sorted({g for p in points for g in p.counts})
    figure, axes = plt.subplots(figsize=(10, 5), dpi=110)
    if points:
        import numpy as np

        axes.stackplot(
            np.array([p.day for p in points], dtype="datetime64[D]"),
            *[[p.counts.get(g, 0) for p in points] for g in groups],
            labels=groups,
            alpha=0.85,
        )
        axes.legend(loc="upper left", frameon=False)
    axes.set_title("Persons held, by kind of place (month ends, replayed from the ledger)")
    axes.set_ylabel("persons")
    axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    return picture_bytes(figure, image_format)
