"""How identity review is keeping up: the items raised (likely duplicates, watchlist hits)
and settled in each hour or day, and the backlog left at its end, replayed from the review
items and their decisions. A supervisor reads from it whether the queue is shrinking, and a
monitor whether hits wait long."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from custodia.db import utc_now
from custodia.identity import models as m
from custodia.identity.schemas import ReviewPoint, ReviewProgress
from custodia.pictures import picture_bytes

SETTLED = frozenset({"same", "different", "split"})  # "unsure" leaves an item in the backlog
HOURLY_UNDER = dt.timedelta(days=3)  # a shorter history is drawn hour by hour


def review_progress(session: Session) -> ReviewProgress:
    """Per hour (a history under three days) or per day: the items raised, by kind, those
    settled (decided same or different; unsure is not settled), and the backlog (raised
    and not settled) at the end of it."""
    items = session.execute(select(m.ReviewItem.id, m.ReviewItem.kind, m.ReviewItem.created_at))
    raised = {item_id: (kind, at) for item_id, kind, at in items.tuples()}
    if not raised:
        return ReviewProgress(bucket="day", points=[])
    decisions = session.execute(
        select(m.Decision.item_id, m.Decision.decision, m.Decision.decided_at).order_by(
            m.Decision.id
        )
    ).tuples()
    first = min(at for _, at in raised.values())
    bucket = "hour" if utc_now() - first < HOURLY_UNDER else "day"
    start = _floor(first, bucket)
    step = dt.timedelta(hours=1) if bucket == "hour" else dt.timedelta(days=1)
    counts: dict[dt.datetime, Counter[str]] = {}
    for kind, at in raised.values():
        counts.setdefault(_floor(at, bucket), Counter())[kind] += 1
    settled_in = _settlements(decisions, bucket)
    points: list[ReviewPoint] = []
    backlog = 0
    when, last = start, _floor(utc_now(), bucket)
    while when <= last:
        raised_now = counts.get(when, Counter())
        net = settled_in.get(when, 0)
        backlog += raised_now["duplicate"] + raised_now["watchlist"] - net
        points.append(
            ReviewPoint(
                start=when,
                raised_duplicates=raised_now["duplicate"],
                raised_hits=raised_now["watchlist"],
                settled=net,
                backlog=backlog,
            )
        )
        when += step
    return ReviewProgress(bucket=bucket, points=points)


def _settlements(
    decisions: Iterable[tuple[int, str, dt.datetime]], bucket: str
) -> dict[dt.datetime, int]:
    """Per bucket, the items settled less those reopened: an item counts once when a
    decision settles it, and back when a later 'unsure' reopens it."""
    state: dict[int, bool] = {}
    out: Counter[dt.datetime] = Counter()
    for item_id, decision, at in decisions:
        now_settled = decision in SETTLED
        if now_settled != state.get(item_id, False):
            out[_floor(at, bucket)] += 1 if now_settled else -1
            state[item_id] = now_settled
    return dict(out)


def _floor(at: dt.datetime, bucket: str) -> dt.datetime:
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    at = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return at if bucket == "hour" else at.replace(hour=0)


def progress_chart(progress: ReviewProgress, *, image_format: str = "png") -> bytes:
    """Bars of the items raised (by kind) and settled per hour or day, and a line of the
    backlog, as PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    points = progress.points
    figure, (flow, left) = plt.subplots(2, 1, figsize=(10, 6), dpi=110, sharex=True)
    if points:
        step = dt.timedelta(hours=1) if progress.bucket == "hour" else dt.timedelta(days=1)
        width = 0.35 * step / dt.timedelta(days=1)  # matplotlib's dates are in days
        starts = [p.start.replace(tzinfo=None) for p in points]
        raised_at = [t + 0.3 * step for t in starts]
        settled_at = [t + 0.7 * step for t in starts]
        duplicates = [p.raised_duplicates for p in points]
        hits = [p.raised_hits for p in points]
        flow.bar(raised_at, duplicates, width, label="likely duplicates raised")
        flow.bar(raised_at, hits, width, bottom=duplicates, label="watchlist hits raised")
        flow.bar(settled_at, [p.settled for p in points], width, label="settled")
        flow.legend(loc="upper left", frameon=False, ncols=3)
        flow.margins(y=0.25)  # room for the legend above the bars
        # the backlog at each bucket's end, held across the bucket
        edges = [*starts, starts[-1] + step]
        backlog = [p.backlog for p in points]
        left.stairs(backlog, edges, color="black", fill=False)
        left.stairs(backlog, edges, alpha=0.15, fill=True)
        left.set_ylim(bottom=0)
    flow.set_title(f"Identity review, per {progress.bucket}: raised and settled")
    flow.set_ylabel("items")
    left.set_title("Backlog: raised, not yet decided same or different")
    left.set_ylabel("items")
    for axes in (flow, left):
        axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    return picture_bytes(figure, image_format)
