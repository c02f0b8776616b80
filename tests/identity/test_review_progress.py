"""A supervisor sees whether identity review keeps up: the items raised and settled per hour
or day, and the backlog left at the end of each, as numbers and as a picture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, update

from custodia.db import read_session, unit_of_work, utc_now
from custodia.identity import models as m
from custodia.identity import service as identity
from custodia.identity.schemas import ReviewProgress
from custodia.registry import service as registry
from tests.api.conftest import Api
from tests.cli.test_cli import _run
from tests.identity.test_queue import person
from tests.identity.test_watchlist_csv import WARRANTS
from tests.web.test_review_pages import _sign_in


def _raise_three(engine: Engine) -> list[int]:
    """A likely duplicate pair and two watchlist hits: three open items."""
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=WARRANTS.encode(), list_name="iq-warrants")
        registry.register_persons(
            session,
            persons_in=[
                person("Abd al-Rahman Khalid al-Baghdadi", dob="1981-02-03"),
                person("Abdulrahman Khaled Albaghdadi", dob="1981-02-03"),
                person("Ibrahim Awad Ibrahim al-Badri"),
                person("Yusuf Bilal al-Tunisi", dob="1991", nationality="TN"),
            ],
        )
    with read_session(engine) as session:
        return [i.id for i in identity.list_queue(session).items]


def _progress(engine: Engine) -> ReviewProgress:
    with read_session(engine) as session:
        return identity.review_progress(session)


def _decide(engine: Engine, item_id: int, decision: str) -> None:
    with unit_of_work(engine) as session:
        identity.decide(session, item_id=item_id, decision=decision, note="", actor_id=None)


def test_the_backlog_falls_as_items_are_settled_and_unsure_is_not_settled(
    engine: Engine,
) -> None:
    items = _raise_three(engine)
    assert len(items) == 3
    (now,) = _progress(engine).points
    assert (now.raised_duplicates, now.raised_hits, now.settled, now.backlog) == (1, 2, 0, 3)
    _decide(engine, items[0], "unsure")
    assert _progress(engine).points[-1].backlog == 3  # unsure leaves it in the backlog
    _decide(engine, items[0], "different")
    _decide(engine, items[1], "same")
    last = _progress(engine).points[-1]
    assert (last.settled, last.backlog) == (2, 1)


def test_a_history_of_days_is_drawn_day_by_day(engine: Engine) -> None:
    items = _raise_three(engine)
    days_ago = utc_now() - dt.timedelta(days=5)
    with unit_of_work(engine) as session:
        session.execute(
            update(m.ReviewItem).where(m.ReviewItem.id == items[0]).values(created_at=days_ago)
        )
    _decide(engine, items[0], "different")
    found = _progress(engine)
    assert found.bucket == "day" and len(found.points) == 6
    first, last = found.points[0], found.points[-1]
    assert first.start == days_ago.replace(hour=0, minute=0, second=0, microsecond=0)
    assert first.backlog == 1 and found.points[4].backlog == 1
    assert (last.raised_duplicates + last.raised_hits, last.settled, last.backlog) == (2, 1, 2)


def test_with_nothing_raised_there_is_nothing_to_draw(engine: Engine) -> None:
    assert _progress(engine).points == []
    with read_session(engine) as session:
        assert identity.review_progress_chart(session).startswith(b"\x89PNG")


def test_the_picture_from_the_command_line(engine: Engine, tmp_path: Path) -> None:
    _raise_three(engine)
    out = tmp_path / "review.png"
    done = _run(engine, tmp_path, "identity", "progress", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "3 items raised since" in done.stdout and "backlog now 3" in done.stdout
    assert out.read_bytes().startswith(b"\x89PNG")
    wrong = _run(engine, tmp_path, "identity", "progress", "--out", str(tmp_path / "r.gif"))
    assert wrong.returncode != 0
    assert wrong.stderr.strip().splitlines() == ["error: the picture is a png or an svg, not 'gif'"]


def test_the_picture_on_the_queue_page(api: Api) -> None:
    assert api.client.get("/web/identity/queue/progress.svg").status_code == 401
    _sign_in(api, "monitor")
    page = api.client.get("/web/identity/queue")
    assert '<img src="/web/identity/queue/progress.svg"' in page.text
    picture = api.client.get("/web/identity/queue/progress.svg")
    assert picture.status_code == 200
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in picture.content
