"""Where the time goes, without a profiler's distortion: wrap a few named functions with
wall-clock timers and attribute every ``Session.execute`` and ``commit`` to its caller.

Opt-in (``--breakdown``) and run as a separate pass after the timed one, so the figures a
benchmark reports are never taken with timers installed. Nested phases are included in
their parents: shares overlap and do not add up to 100 %. A function that no longer
exists under its name is skipped and listed, so the tool survives refactoring.
"""

from __future__ import annotations

import functools
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session


class PhaseTimer:
    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.missing: list[str] = []
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str | None = None) -> None:
        original = getattr(owner, name, None)
        label = label or name
        if original is None:
            self.missing.append(label)
            return
        seconds, calls = self.seconds, self.calls

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - started
                calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def wrap_session(self) -> None:
        """Time every statement and commit, named after the function that issued it."""
        execute, commit = Session.execute, Session.commit
        seconds, calls = self.seconds, self.calls

        def timed_execute(session: Session, *args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1).f_code.co_name
            started = time.perf_counter()
            try:
                return execute(session, *args, **kwargs)
            finally:
                seconds[f"SQL issued by {caller}"] += time.perf_counter() - started
                calls[f"SQL issued by {caller}"] += 1

        def timed_commit(session: Session) -> None:
            started = time.perf_counter()
            try:
                commit(session)
            finally:
                seconds["Session.commit"] += time.perf_counter() - started
                calls["Session.commit"] += 1

        setattr(Session, "execute", timed_execute)  # noqa: B010 -- patching on purpose
        setattr(Session, "commit", timed_commit)  # noqa: B010
        self._undo.append(lambda: setattr(Session, "execute", execute))
        self._undo.append(lambda: setattr(Session, "commit", commit))

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()

    def report(self, total: float) -> list[dict[str, Any]]:
        return [
            {
                "phase": label,
                "seconds": round(spent, 4),
                "share_pct": round(100 * spent / total, 1),
                "calls": self.calls[label],
            }
            for label, spent in sorted(self.seconds.items(), key=lambda item: -item[1])
        ] + [{"phase": label, "missing": True} for label in self.missing]


@contextmanager
def phases(targets: list[tuple[Any, str, str]]) -> Iterator[PhaseTimer]:
    """Install timers on ``(owner, attribute, label)`` and on the session for the block."""
    timer = PhaseTimer()
    for owner, name, label in targets:
        timer.wrap(owner, name, label)
    timer.wrap_session()
    try:
        yield timer
    finally:
        timer.restore()
