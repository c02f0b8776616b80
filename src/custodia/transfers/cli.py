"""``custodia plan ...``: parse, call one service function, render."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from custodia.biometrics.schemas import FingerUpload
from custodia.clikit import UserOption, acting_user_id, console, progress_bar
from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid
from custodia.registry.policy import PLAN_TRANSFERS, WRITE_CUSTODY
from custodia.transfers.schemas import PLAN_SECONDS, FingerCheck

app = typer.Typer(help="Airlift transfer plans: create, re-plan, execute.", no_args_is_help=True)


def write_document(path: Path, data: Any) -> None:
    text = (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        if path.suffix in (".yaml", ".yml")
        else json.dumps(data, indent=1)
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Invalid(f"cannot write {path}: {exc.strerror}") from exc


def read_document(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise Invalid(f"{path} is not valid YAML/JSON: {exc}") from exc


def _render(plan: dict[str, Any]) -> None:
    table = Table(title=plan["operation_name"], show_header=False)
    rows = [
        ("objective (exposure)", f"{plan['objective']:,.0f}"),
        ("lower bound", f"{plan['lower_bound']:,.0f}"),
        ("gap", f"{plan['gap']:.2%}"),
        ("greedy baseline", f"{plan['greedy_objective']:,.0f}"),
        ("better than greedy by", f"{plan['improvement_vs_greedy']:.1%}"),
        ("moved / in scope", f"{plan['moved']:,} / {plan['in_scope']:,}"),
        ("held back (assessment)", f"{len(plan['held_back']):,}"),
        # Older plan documents have no stranded list.
        ("stranded in holding (no trunk left)", f"{len(plan.get('stranded', [])):,}"),
        ("last arrival day", str(plan["last_arrival_day"])),
        ("sorties", f"{len(plan['sorties']):,}"),
        ("family separation records", f"{len(plan['family_records']):,}"),
        ("planning time", f"{plan['plan_seconds']:.1f} s ({plan['method']})"),
        ("feasibility check", "ok" if plan.get("checker", {}).get("ok") else "FAILED"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    if plan.get("changes"):
        c = plan["changes"]
        console.print(
            f"changed from day {plan['replanned_from_day']}: {len(c['sorties_removed'])} "
            f"sorties removed, {len(c['sorties_added'])} added, {c['persons_rescheduled']:,} "
            f"persons rescheduled ({c['persons_earlier']:,} earlier, {c['persons_later']:,} "
            f"later); exposure {c['objective_before']:,.0f} -> {c['objective_after']:,.0f}"
        )
    aircraft = Table(title="per aircraft")
    for column in ("aircraft", "sorties", "flight hours"):
        aircraft.add_column(column, justify="right")
    for tail, v in plan["aircraft"].items():
        aircraft.add_row(tail, str(v["sorties"]), f"{v['flight_hours']:.1f}")
    console.print(aircraft)


@app.command("create")
def create(
    operation: Annotated[Path, typer.Argument(help="operation description (.yaml/.json)")],
    time_limit: Annotated[
        float, typer.Option(min=1, help="seconds for the planner")
    ] = PLAN_SECONDS,
    out: Annotated[Path, typer.Option(help="plan file to write")] = Path("plan.json"),
) -> None:
    """Plan an operation: sorties, manifests, bound and gap, checked independently."""
    from custodia.transfers import service
    from custodia.transfers.operation import load_operation

    described = load_operation(operation)
    with progress_bar("planning") as advance:
        plan = service.create_plan_document(operation=described, time_limit=time_limit)
        advance(1, total=1)
    write_document(out, plan)
    _render(plan)
    console.print(f"wrote {out}")


@app.command("show")
def show(plan: Annotated[Path, typer.Argument(help="plan file")]) -> None:
    """Summarise a plan file."""
    _render(read_document(plan))


@app.command("replan")
def replan_command(
    plan: Annotated[Path, typer.Argument(help="plan file")],
    event: Annotated[Path, typer.Option(help="event file (.yaml/.json)")],
    time_limit: Annotated[float, typer.Option(min=1)] = 5.0,
    out: Annotated[Path | None, typer.Option(help="default: PLAN with .replan.json")] = None,
) -> None:
    """Re-plan after an event; sorties before its day stay as flown."""
    from custodia.transfers import service
    from custodia.transfers.replan import parse_event

    document = read_document(plan)
    happened = parse_event(read_document(event))
    new = service.replan_document(plan=document, event=happened, time_limit=time_limit)
    target = out or plan.with_suffix(".replan.json")
    write_document(target, new)
    _render(new)
    console.print(f"wrote {target}")


@app.command("manifest")
def manifest(
    plan: Annotated[Path, typer.Argument(help="plan file")],
    sortie: Annotated[str, typer.Argument(help="sortie id, e.g. D03-H32-04-1")],
    pdf: Annotated[Path, typer.Option(help="PDF to write")],
) -> None:
    """Print a sortie's manifest (PDF, a QR code per detainee line)."""
    from custodia.transfers import service

    pdf.write_bytes(service.manifest_document(read_document(plan), sortie=sortie))
    console.print(f"wrote {pdf}")


@app.command("chart")
def chart(
    plan: Annotated[Path, typer.Argument(help="plan file")],
    out: Annotated[Path, typer.Option(help="PNG to write")],
) -> None:
    """Burndown and exposure over time."""
    from custodia.transfers import service

    out.write_bytes(service.plan_chart(read_document(plan)))
    console.print(f"wrote {out}")


@app.command("schema")
def schema(out: Annotated[Path | None, typer.Option(help="default: print")] = None) -> None:
    """The JSON schema of an operation description."""
    from custodia.transfers.operation import operation_schema

    if out is None:
        console.print_json(json.dumps(operation_schema()))
    else:
        write_document(out, operation_schema())


@app.command("store")
def store(
    plan: Annotated[Path, typer.Argument(help="plan file")], user: UserOption = "admin"
) -> None:
    """Keep a plan in the database so it can be executed; prints its id."""
    from custodia.transfers import service

    document = read_document(plan)
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, PLAN_TRANSFERS)
        summary = service.store_plan(session, document=document, actor_id=actor_id)
    console.print(f"stored plan {summary.id} ({summary.sorties} sorties)")


def _ids(values: list[int] | None) -> list[int]:
    return list(values or [])


def _render_status(status: Any) -> None:
    console.print(
        f"sortie {status.sortie} ({status.movement_id}): {status.status} - manifest "
        f"{len(status.manifest)}, boarded {len(status.boarded)}, received "
        f"{len(status.received)}, taken in {len(status.taken_in)}"
    )
    if status.left_behind:
        console.print(f"[yellow]left behind:[/] {status.left_behind}")
    if status.missing or status.unexpected:
        console.print(
            f"[red]discrepancies opened:[/] missing {status.missing}, unexpected "
            f"{status.unexpected}"
        )


FingerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--finger",
        help="PERSON:POS:IMAGE, a finger taken at the aircraft and checked against the "
        "person's enrolment (repeat; when given, one for everyone)",
    ),
]


def _finger_checks(specs: list[str] | None) -> list[FingerCheck]:
    checks = []
    for spec in specs or []:
        person, _, rest = spec.partition(":")
        position, _, path = rest.partition(":")
        if not (person.isdigit() and position.isdigit() and path):
            raise Invalid(f"--finger {spec!r}: write PERSON:POS:IMAGE, e.g. 42:2:index.png")
        data = base64.b64encode(Path(path).read_bytes()).decode()
        upload = FingerUpload(position=int(position), data_base64=data)
        checks.append(FingerCheck(person_id=int(person), finger=upload))
    return checks


@app.command("board")
def board(
    plan_id: int,
    sortie: str,
    person: Annotated[list[int] | None, typer.Option(help="person id (repeat)")] = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="everyone on the manifest not yet boarded")
    ] = False,
    finger: FingerOption = None,
    user: UserOption = "admin",
) -> None:
    """Board persons onto a stored plan's sortie (TRANSFER_OUT each)."""
    from custodia.transfers import service

    fingerprints = _finger_checks(finger)  # a malformed --finger touches no database
    with unit_of_work() as session:
        status = service.board(
            session,
            plan_id=plan_id,
            sortie=sortie,
            person_ids=_ids(person),
            actor_id=acting_user_id(session, user, WRITE_CUSTODY),
            everyone_left=everyone,
            fingerprints=fingerprints,
        )
    _render_status(status)


@app.command("depart")
def depart(plan_id: int, sortie: str, user: UserOption = "admin") -> None:
    """Record a sortie's departure."""
    from custodia.transfers import service

    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, WRITE_CUSTODY)
        status = service.depart(session, plan_id=plan_id, sortie=sortie, actor_id=actor_id)
    _render_status(status)


@app.command("arrive")
def arrive(
    plan_id: int,
    sortie: str,
    received: Annotated[
        list[int] | None, typer.Option(help="person id counted off (repeat)")
    ] = None,
    finger: FingerOption = None,
    user: UserOption = "admin",
) -> None:
    """Record an arrival: reconcile who came off against who boarded."""
    from custodia.transfers import service

    fingerprints = _finger_checks(finger)
    with unit_of_work() as session:
        status = service.arrive(
            session,
            plan_id=plan_id,
            sortie=sortie,
            received=_ids(received),
            fingerprints=fingerprints,
            actor_id=acting_user_id(session, user, WRITE_CUSTODY),
        )
    _render_status(status)


@app.command("intake")
def intake(plan_id: int, sortie: str, user: UserOption = "admin") -> None:
    """Take the received persons in at the destination (TRANSFER_IN each)."""
    from custodia.transfers import service

    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, WRITE_CUSTODY)
        status = service.take_in(session, plan_id=plan_id, sortie=sortie, actor_id=actor_id)
    _render_status(status)


@app.command("notifications")
def notifications(plan_id: int) -> None:
    """The monitor notification list of a stored plan."""
    from custodia.transfers import service

    with read_session() as session:
        items = service.notifications(session, plan_id=plan_id)
    table = Table(title=f"monitor notifications, plan {plan_id}")
    for column in ("ref", "sortie", "day", "persons"):
        table.add_column(column)
    for n in items:
        table.add_row(n.ref, n.sortie, str(n.day), str(len(n.person_ids)))
    console.print(table)
