"""``custodia biometrics ...``: parse, call one service function, render."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.table import Table

from custodia.biometrics import service as biometrics
from custodia.biometrics import worker
from custodia.biometrics.schemas import Candidate, FingerIn, TemplateFormat
from custodia.clikit import (
    UserOption,
    acting_user_id,
    console,
    err_console,
    fail,
    print_json,
    progress_bar,
)
from custodia.db import read_session, unit_of_work
from custodia.registry.policy import (
    ENROL_FINGERPRINTS,
    READ_FINGER_TEMPLATES,
    SEARCH_FINGERPRINTS,
)

app = typer.Typer(
    help="Fingerprint enrolment, 1:N identification, 1:1 verification.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="one JSON object on stdout")]
_PAIRS = {"allow_extra_args": True, "ignore_unknown_options": True}
_FORMAT_OF_FLAG: dict[str, TemplateFormat] = {
    "--finger": "image",
    "--xyt": "xyt",
    "--iso": "iso19794",
}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


def _position(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10:
        fail(f"{text!r} is not a finger position: use 1 (right thumb) to 10 (left little)")
    return int(text)


def _fingers(tokens: list[str]) -> list[FingerIn]:
    """``--finger POS IMAGE``, ``--xyt POS FILE`` and ``--iso FILE`` (any number of each)."""
    fingers: list[FingerIn] = []
    i = 0
    while i < len(tokens):
        flag = tokens[i]
        if flag not in _FORMAT_OF_FLAG:
            fail(f"unexpected {flag!r}: use --finger POS IMAGE, --xyt POS FILE or --iso FILE")
        fmt = _FORMAT_OF_FLAG[flag]
        need = 1 if fmt == "iso19794" else 2
        if len(tokens) - i - 1 < need:
            fail(f"{flag} needs {'FILE' if need == 1 else 'POS FILE'}")
        position = 0 if need == 1 else _position(tokens[i + 1])
        fingers.append(FingerIn(position=position, format=fmt, data=_read(Path(tokens[i + need]))))
        i += need + 1
    return fingers


def _image(argument: str) -> FingerIn:
    """``IMAGE`` (position unknown: every position is searched) or ``POS:IMAGE``."""
    head, sep, tail = argument.partition(":")
    if sep and head.isdigit():
        return FingerIn(position=_position(head), data=_read(Path(tail)))
    return FingerIn(position=0, data=_read(Path(argument)))


def _candidates_table(title: str, candidates: list[Candidate]) -> Table:
    table = Table(title=title)
    for column in ("person", "score", "evidence", "match", "fingers"):
        table.add_column(column)
    for c in candidates:
        table.add_row(
            str(c.person_id),
            f"{c.score:.4f}",
            f"{c.bits:+.1f} bits",
            "[green]yes[/]" if c.match else "no",
            " ".join(f"{pos}:{s:.3f}" for pos, s in sorted(c.finger_scores.items())),
        )
    return table


@app.command("enroll", context_settings=_PAIRS)
def enroll(
    ctx: typer.Context,
    person: Annotated[int, typer.Argument(help="the person's id")],
    no_search: Annotated[bool, typer.Option("--no-search", help="skip the 1:N search")] = False,
    as_json: JsonFlag = False,
    user: UserOption = "admin",
) -> None:
    """Enrol fingers: --finger POS IMAGE (PNG), --xyt POS FILE, --iso FILE (ISO/IEC
    19794-2), repeated; then search them against everyone enrolled."""
    fingers = _fingers(list(ctx.args))
    if not fingers:
        fail("give at least one --finger POS IMAGE (or --xyt POS FILE, --iso FILE)")
    with unit_of_work() as session:
        result = biometrics.enroll(
            session,
            person_id=person,
            fingers=fingers,
            actor_id=acting_user_id(session, user, ENROL_FINGERPRINTS),
            search=not no_search,
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table(title=f"person {person}: enrolled fingers")
    for column in ("pos", "finger", "quality", "minutiae", ""):
        table.add_column(column)
    for f in result.fingers:
        note = "[yellow]recapture: quality too low[/]" if f.recapture else ""
        table.add_row(str(f.position), f.finger, str(f.quality), str(f.minutiae), note)
    console.print(table)
    if result.candidates:
        console.print(_candidates_table("already enrolled persons who match", result.candidates))
    console.print(
        f"{result.proposed_pairs} pair(s) sent to the identity review queue; "
        f"{result.weighed_pairs} pair(s) already under review weighed by these fingers"
    )


@app.command("identify")
def identify(
    images: Annotated[list[str], typer.Argument(help="IMAGE or POS:IMAGE, one per finger")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    as_json: JsonFlag = False,
    user: UserOption = None,
) -> None:
    """1:N: ranked enrolled persons whose fingers match these images (the search is
    audited)."""
    fingers = [_image(a) for a in images]
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, SEARCH_FINGERPRINTS)
        result = biometrics.identify(session, fingers=fingers, actor_id=actor_id, limit=limit)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    console.print(
        _candidates_table(
            f"{result.fingers} finger(s) against {result.gallery_fingers} enrolled "
            f"(threshold {result.threshold})",
            result.candidates,
        )
    )


@app.command("verify", context_settings=_PAIRS)
def verify(
    ctx: typer.Context,
    person: Annotated[int, typer.Argument(help="the person's id")],
    as_json: JsonFlag = False,
    user: UserOption = None,
) -> None:
    """1:1: --finger POS IMAGE against the person's enrolled finger."""
    fingers = _fingers(list(ctx.args))
    if len(fingers) != 1:
        fail("give exactly one --finger POS IMAGE")
    with unit_of_work() as session:
        result = biometrics.verify(
            session,
            person_id=person,
            position=fingers[0].position,
            finger=fingers[0],
            actor_id=acting_user_id(session, user, SEARCH_FINGERPRINTS),
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    verdict = "[green]match[/]" if result.match else "[red]no match[/]"
    console.print(
        f"{verdict}: score {result.score:.4f}, threshold {result.threshold} "
        f"(false-match rate {result.false_match_rate:.2%})"
    )
    if not result.match:
        raise typer.Exit(2)


@app.command("compare")
def compare(
    image_a: Annotated[Path, typer.Argument(help="first finger image")],
    image_b: Annotated[Path, typer.Argument(help="second finger image")],
    as_json: JsonFlag = False,
) -> None:
    """1:1 of two images; nothing is enrolled or stored."""
    result = biometrics.compare(
        a=FingerIn(position=0, data=_read(image_a)), b=FingerIn(position=0, data=_read(image_b))
    )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    verdict = "[green]match[/]" if result.match else "[red]no match[/]"
    console.print(
        f"{verdict}: score {result.score:.4f}, threshold {result.threshold} "
        f"(false-match rate {result.false_match_rate:.2%}); minutiae {result.minutiae}, "
        f"quality {result.quality}"
    )


@app.command("show")
def show(person: int, as_json: JsonFlag = False, user: UserOption = None) -> None:
    """The person's enrolled fingers (the read is audited)."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, READ_FINGER_TEMPLATES)
        result = biometrics.person_biometrics(session, person_id=person, actor_id=actor_id)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table(title=f"person {person}")
    for column in ("pos", "finger", "quality", "minutiae", "source", "image", "enrolled"):
        table.add_column(column)
    for f in result.fingers:
        table.add_row(
            str(f.position),
            f.finger,
            str(f.quality),
            str(f.minutiae),
            f.source,
            "yes" if f.has_image else "no",
            f.enrolled_at.isoformat(timespec="seconds"),
        )
    console.print(table)


@app.command("export")
def export(
    person: int,
    out: Annotated[Path, typer.Option("--out", help="where to write the ISO/IEC 19794-2 record")],
    user: UserOption = None,
) -> None:
    """Write the person's fingers as one ISO/IEC 19794-2 record (the read is audited)."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, READ_FINGER_TEMPLATES)
        record = biometrics.export_iso(session, person_id=person, actor_id=actor_id)
    out.write_bytes(record)
    console.print(f"wrote {len(record)} bytes to {out}")


@app.command("synth")
def synth(
    fingers: Annotated[int, typer.Option("--fingers", min=1, max=100_000)] = 10,
    impressions: Annotated[int, typer.Option("--impressions", min=1, max=20)] = 2,
    out: Annotated[Path, typer.Option("--out")] = Path("synthetic-fingers"),
    seed: Annotated[int, typer.Option("--seed")] = 1,
    distortion: Annotated[
        str, typer.Option("--distortion", help="none, low, moderate or high")
    ] = "moderate",
) -> None:
    """Write synthetic finger impressions (PNG) and their ground truth (truth.jsonl)."""
    with progress_bar("growing fingers", total=fingers) as advance:
        written = biometrics.synthesize(
            out=out,
            fingers=fingers,
            impressions=impressions,
            seed=seed,
            distortion=distortion,
            progress=lambda done: advance(done),
        )
    console.print(f"wrote {written} images and truth.jsonl to {out}")


@app.command("enqueue-scenario")
def enqueue_scenario(
    seed: Annotated[int, typer.Option("--seed")] = 1,
    limit: Annotated[int | None, typer.Option("--limit", help="at most this many persons")] = None,
    fingers: Annotated[
        str, typer.Option("--fingers", help="finger positions to queue, e.g. 2,7")
    ] = "1,2,3,4,5,6,7,8,9,10",
) -> None:
    """Queue synthetic fingers (all ten unless --fingers) for every detainee not yet
    enrolled."""
    positions = [_position(p.strip()) for p in fingers.split(",") if p.strip()]
    with unit_of_work() as session:
        queued = biometrics.enqueue_scenario(session, seed=seed, limit=limit, positions=positions)
    console.print(f"queued {queued} fingers; run `custodia biometrics worker` to enrol them")


@app.command("weigh-queue")
def weigh_queue(user: UserOption = None) -> None:
    """Compare the fingers of both records of every same-person pair under review where both
    are enrolled: matching fingers raise the pair's score, fingers that differ sink it."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, SEARCH_FINGERPRINTS)
        result = biometrics.weigh_queue(session, actor_id=actor_id)
    console.print(f"{result.weighed_pairs} pair(s) weighed by their fingerprints")
    if result.doubted_merges:
        items = ", ".join(f"#{i}" for i in result.doubted_merges)
        console.print(
            f"[yellow]the fingerprints contradict {len(result.doubted_merges)} merge(s): "
            f"{items}[/]; see `custodia identity queue list --doubted` and split them if the "
            "records are two men",
            soft_wrap=True,
        )


@app.command("worker")
def run_worker(
    processes: Annotated[int, typer.Option("--processes", min=1, max=64)] = 2,
    batch: Annotated[int, typer.Option("--batch", min=1, max=5000)] = 200,
    dedup: Annotated[
        bool, typer.Option("--dedup/--no-dedup", help="search each enrolled person 1:N")
    ] = True,
) -> None:
    """Enrol the queued fingers in the background; Ctrl-C stops after the current batch and
    a later run resumes."""
    stop = {"asked": False}

    def _ask_stop(_signum: int, _frame: FrameType | None) -> None:
        stop["asked"] = True
        err_console.print("stopping after this batch; run again to resume")

    previous = signal.signal(signal.SIGINT, _ask_stop)
    try:
        with read_session() as session:
            start = biometrics.worker_status(session)
        total = start.pending + start.done + start.failed
        with progress_bar("enrolling fingers", total=total) as advance:
            advance(start.done + start.failed, total)
            status = worker.run(
                processes=processes,
                batch=batch,
                progress=lambda s: advance(s.done + s.failed, total),
                should_stop=lambda: stop["asked"],
                dedup=dedup,
            )
    finally:
        signal.signal(signal.SIGINT, previous)
    console.print(
        f"{status.done} done, {status.failed} failed, {status.pending} pending; "
        f"{status.enrolled_fingers} fingers enrolled"
    )
