"""The ``custodia`` command line: parse, call one service function, render with Rich.

Errors a user can act on are printed as one line and exit non-zero, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from custodia.biometrics import cli as biometrics_cli
from custodia.clikit import (
    UserOption,
    acting_user_id,
    console,
    err_console,
    fail,
    one_line_summaries,
    print_json,
    progress_bar,
)
from custodia.config import get_settings
from custodia.db import get_engine, read_session, unit_of_work, upgrade_database
from custodia.errors import CustodiaError, Invalid, first_fault
from custodia.identity import cli as identity_cli
from custodia.registry.models import NameKind, Role
from custodia.transfers import cli as transfers_cli

app = typer.Typer(
    help="Custodia: accountable custody for large detention systems.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
scenario_app = typer.Typer(
    help="Synthetic detention systems for demos and tests.", no_args_is_help=True
)
ledger_app = typer.Typer(
    help="The custody ledger: verify, checkpoint, prove.", no_args_is_help=True
)
rollcall_app = typer.Typer(help="Roll calls and discrepancies.", no_args_is_help=True)
person_app = typer.Typer(help="Look up persons and their custody history.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations around the table.", no_args_is_help=True)
user_app = typer.Typer(help="Users: who may do what (their role).", no_args_is_help=True)
report_app = typer.Typer(help="Pictures of the system.", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (scenario_app, "scenario"),
    (ledger_app, "ledger"),
    (rollcall_app, "rollcall"),
    (person_app, "person"),
    (token_app, "token"),
    (org_app, "org"),
    (user_app, "user"),
    (report_app, "report"),
    (identity_cli.app, "identity"),
    (identity_cli.watchlist_app, "watchlist"),
    (transfers_cli.app, "plan"),
    (biometrics_cli.app, "biometrics"),
):
    app.add_typer(sub, name=name)


def _usage_errors() -> tuple[type[Exception], ...]:
    """The exception classes of a wrong command, option or argument: click's, and those of
    the click that typer 0.26 and later carries inside itself (``typer.TyperException``),
    which click's do not catch."""
    import click

    kinds: list[type[Exception]] = [click.ClickException]
    vendored = getattr(typer, "TyperException", None)
    if isinstance(vendored, type) and issubclass(vendored, Exception):
        kinds.append(vendored)
    return tuple(kinds)


def main() -> None:
    """Console-script entry point: runs the app and turns known failures into one line."""
    one_line_summaries(app)  # here, once every module has registered its commands
    try:
        code = app(standalone_mode=False)
    except CustodiaError as exc:
        fail(exc.detail)
    except ValidationError as exc:
        fail(first_fault(exc))
    except (OperationalError, ProgrammingError) as exc:
        fail(
            f"database error: {str(exc.orig).strip().splitlines()[0]} "
            "(is the database reachable and upgraded? try `custodia db upgrade`)"
        )
    except ArgumentError as exc:  # the configured database URL, before any connection
        fail(
            f"the database URL cannot be used: {str(exc).splitlines()[0]} (set "
            "CUSTODIA_DATABASE_URL, e.g. sqlite:////var/lib/custodia/custodia.db)"
        )
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except typer.Abort:
        fail("aborted")
    except Exception as exc:  # usage errors arrive here in non-standalone mode
        show = getattr(exc, "show", None)
        if isinstance(exc, _usage_errors()) and callable(show):
            show()
            sys.exit(int(getattr(exc, "exit_code", 2)))
        raise
    # Without standalone mode, click hands back typer.Exit's code instead of exiting.
    if isinstance(code, int) and code:
        sys.exit(code)


# --- db, serve, demo --------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the configured database."""
    revision = upgrade_database()
    console.print(
        f"database at revision [bold]{revision}[/]: {get_settings().effective_database_url}"
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default: CUSTODIA_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default: CUSTODIA_PORT")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="processes; default: CUSTODIA_WORKERS or CPU count")
    ] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    from custodia.api import serving
    from custodia.ledger.signing import load_or_create_signing_key

    settings = get_settings()
    get_engine()  # a database URL that cannot be used fails here, in one line
    # Each worker process builds its own app: create the key once, before they race to.
    load_or_create_signing_key(settings.effective_signing_key_file)
    serving.serve(
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
    )


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve the API after set-up")
    ] = True,
    seed: int = 1,
    detainees: int = 6000,
    camp_residents: int = 40000,
) -> None:
    """Upgrade the database, generate the default scenario if it is empty, print the URL and
    an admin token, then serve."""
    from custodia.scenario import service as scenario

    upgrade_database()
    with read_session() as session:
        empty = scenario.is_empty(session=session)
    if empty:
        _generate(seed=seed, detainees=detainees, camp_residents=camp_residents)
    else:
        console.print("database already holds a detention system; keeping it")
    with unit_of_work() as session:
        token = scenario.demo_admin_token(session=session)
    settings = get_settings()
    url = f"http://{settings.host}:{settings.port}"
    console.print(
        f"\n[bold green]Custodia is ready.[/]  API: {url}   docs: {url}/docs", soft_wrap=True
    )
    console.print(f"admin API token: [bold]{token}[/]", soft_wrap=True)
    console.print(f"try: curl -H 'Authorization: Bearer {token}' {url}/population", soft_wrap=True)
    console.print(
        f"identity review in a browser: {url}/web/identity/queue (sign in with the token);\n"
        "  fill the queue with `custodia identity dedupe` (the registry's likely duplicates) "
        "and `custodia watchlist import un-sc FILE.xml` (or an agency's CSV list, from "
        f"{url}/web/watchlists) then `custodia watchlist screen`; ask whether a name is "
        "listed with `custodia watchlist search NAME`, and check a partner's CSV list of "
        "people with `custodia identity check FILE.csv`\n",
        soft_wrap=True,
    )
    if serve_after:
        serve(host=None, port=None)


# --- scenario ---------------------------------------------------------------------------


def _generate(*, seed: int, detainees: int, camp_residents: int) -> None:
    from custodia.scenario import service as scenario

    with progress_bar("generating scenario") as advance, unit_of_work() as session:
        summary = scenario.generate(
            session=session,
            seed=seed,
            detainees=detainees,
            camp_residents=camp_residents,
            progress=advance,
        )
    table = Table(title=f"scenario (seed {seed})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in summary.items():
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    console.print(table)


@scenario_app.command("generate")
def scenario_generate(
    seed: Annotated[int, typer.Option(help="same seed, same detention system")] = 1,
    detainees: Annotated[int, typer.Option(min=0)] = 6000,
    camp_residents: Annotated[int, typer.Option(min=0)] = 40000,
) -> None:
    """Build a synthetic detention system through the ledger, deterministically."""
    from custodia.scenario import service as scenario

    with read_session() as session:
        if not scenario.is_empty(session=session):
            raise Invalid("the database already holds persons; generate into an empty database")
    _generate(seed=seed, detainees=detainees, camp_residents=camp_residents)


@scenario_app.command("operation")
def scenario_operation(
    out: Annotated[Path, typer.Option(help="where to write the description (.yaml or .json)")],
    seed: Annotated[int, typer.Option(help="same seed, same fleet and threat")] = 1,
    days: Annotated[int, typer.Option(min=1, max=366, help="planning horizon")] = 30,
    assess: Annotated[
        bool, typer.Option(help="first record synthetic pre-transfer assessments")
    ] = True,
) -> None:
    """Write the default airlift operation for the scenario in the database."""
    from custodia.scenario.operation import default_operation
    from custodia.transfers.cli import write_document
    from custodia.transfers.operation import dump_operation

    with unit_of_work() as session:
        operation = default_operation(session, seed=seed, horizon_days=days, assess=assess)
    write_document(out, dump_operation(operation))
    people = sum(len(s.detainees) for s in operation.sites)
    console.print(
        f"wrote {out}: {people:,} detainees at {len(operation.sites)} sites, "
        f"{len(operation.aircraft)} aircraft, {operation.horizon_days} days"
    )


# --- ledger -----------------------------------------------------------------------------


def _signing_key() -> Any:
    from custodia.ledger.signing import load_or_create_signing_key

    return load_or_create_signing_key(get_settings().effective_signing_key_file)


def _read_checkpoint(path: Path) -> Any:
    from custodia.ledger.signing import SignedCheckpoint

    try:
        return SignedCheckpoint.from_json(json.loads(path.read_text()))
    except json.JSONDecodeError as exc:
        raise Invalid(f"{path} is not a JSON checkpoint file: {exc}") from exc


def _read_public_key(path: Path) -> Any:
    from custodia.ledger.signing import load_public_key

    return load_public_key(path.read_bytes())


@ledger_app.command("verify")
def ledger_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="a checkpoint file held by a monitor: prove today's log extends it"),
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="the log's Ed25519 public key (PEM)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Recompute the hash chain and Merkle tree from the rows, replay the ledger against the
    custody projection; exit 1 naming the first bad sequence number."""
    from custodia.custody.service import check_projection
    from custodia.ledger import service as ledger

    held = _read_checkpoint(checkpoint) if checkpoint else None
    key = _read_public_key(public_key) if public_key else None
    if held is not None and key is None:
        raise Invalid(
            "--checkpoint needs --public-key: a checkpoint is only as good as its signature"
        )
    with read_session() as session, progress_bar("verifying ledger") as advance:
        size = ledger.tree_size(session)
        report = ledger.verify(
            session,
            log=get_settings().log_name,
            public_key=key,
            checkpoint=held,
            progress=lambda n: advance(n, size),
        )
        advance(report.events, size)
        replay = check_projection(session) if report.ok else None
    result = {
        **report.as_dict(),
        "projection_matches_replay": replay.ok if replay else None,
        "projection_mismatches": replay.mismatches[:20] if replay else [],
    }
    ok = report.ok and (replay is None or replay.ok)
    if as_json:
        print_json(result)
    elif ok:
        proved = f"; extends the checkpoint of size {held.tree_size}" if held else ""
        console.print(
            f"[bold green]ledger verified[/]: {report.events:,} events, root "
            f"{report.root_hash}, {report.checkpoints_checked} stored checkpoints "
            f"match{proved}; projection equals replay"
        )
    elif not report.ok:
        err_console.print(
            f"[bold red]ledger verification FAILED at sequence "
            f"{report.first_bad_seq}[/]: {report.problem}"
        )
    elif replay is not None:
        err_console.print(
            f"[bold red]projection differs from replay[/] for "
            f"{len(replay.mismatches)} persons, first: {replay.mismatches[0]}"
        )
    if not ok:
        raise typer.Exit(1)


@ledger_app.command("checkpoint")
def ledger_checkpoint(
    out: Annotated[Path | None, typer.Option(help="write the signed checkpoint here")] = None,
    public_key_out: Annotated[
        Path | None, typer.Option(help="also write the log's public key (PEM) here")
    ] = None,
) -> None:
    """Sign the current tree head (size + root) to hand to an independent monitor."""
    from custodia.ledger import service as ledger
    from custodia.ledger.signing import public_key_pem

    key = _signing_key()
    with unit_of_work() as session:
        signed = ledger.issue_checkpoint(
            session, key=key, log=get_settings().log_name, issued_by=None
        )
    text = json.dumps(signed.to_json(), indent=2) + "\n"
    if out:
        out.write_text(text)
        console.print(f"checkpoint of {signed.tree_size:,} events written to {out}")
    else:
        sys.stdout.write(text)
    if public_key_out:
        public_key_out.write_text(public_key_pem(key))
        console.print(f"public key written to {public_key_out}")


@ledger_app.command("public-key")
def ledger_public_key() -> None:
    """Print the log's Ed25519 public key (PEM), for monitors."""
    from custodia.ledger.signing import public_key_pem

    sys.stdout.write(public_key_pem(_signing_key()))


@ledger_app.command("prove")
def ledger_prove(
    seq: Annotated[int | None, typer.Option(help="inclusion proof for this event")] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="consistency proof from this checkpoint to now")
    ] = None,
    tree_size: Annotated[int | None, typer.Option(help="prove against this size")] = None,
) -> None:
    """Print an inclusion proof (--seq) or a consistency proof (--checkpoint) as JSON,
    after checking it locally."""
    from custodia.ledger import merkle
    from custodia.ledger import service as ledger

    if (seq is None) == (checkpoint is None):
        raise Invalid("give exactly one of --seq (inclusion) or --checkpoint (consistency)")
    with read_session() as session:
        if seq is not None:
            proof = ledger.inclusion_proof(session, seq=seq, tree_size=tree_size)
            merkle.verify_inclusion(
                proof["leaf_index"],
                proof["tree_size"],
                bytes.fromhex(proof["leaf_hash"]),
                [bytes.fromhex(p) for p in proof["audit_path"]],
                bytes.fromhex(proof["root_hash"]),
            )
        elif checkpoint is not None:
            held = _read_checkpoint(checkpoint)
            proof = ledger.consistency_proof(session, old_size=held.tree_size, new_size=tree_size)
            proof["checkpoint_root_matches"] = proof["old_root"] == held.root_hash
    print_json(proof)


# --- roll calls, persons, tokens ---------------------------------------------------------


@rollcall_app.command("import")
def rollcall_import(
    facility: Annotated[str, typer.Argument(help="facility id or code")],
    file: Annotated[Path, typer.Argument(help="CSV with a person_id column", exists=False)],
    user: UserOption = "admin",
) -> None:
    """Record a roll call from a CSV of person ids and show every discrepancy."""
    from custodia.custody import rollcall
    from custodia.custody.schemas import RollCallIn
    from custodia.registry import service as registry
    from custodia.registry.policy import WRITE_CUSTODY

    ids = rollcall.parse_roll_call_csv(file.read_text())
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, WRITE_CUSTODY)
        found = registry.find_facility(session, ref=facility)
        result = rollcall.record_roll_call(
            session,
            roll_call_in=RollCallIn(facility_id=found.id, person_ids=ids),
            actor_id=actor_id,
        )
    style = "green" if not result.discrepancies else "yellow"
    console.print(
        f"[bold {style}]roll call {result.id}[/] at {found.code}: counted "
        f"{result.present_count}, records say {result.expected_count}; "
        f"{len(result.missing)} missing, {len(result.unexpected)} unexpected "
        f"(ledger event {result.headcount_seq})"
    )
    if result.discrepancies:
        table = Table("id", "kind", "person", "detail")
        for d in result.discrepancies[:50]:
            table.add_row(str(d.id), d.kind, str(d.person_id or ""), d.detail)
        console.print(table)


@rollcall_app.command("discrepancies")
def rollcall_discrepancies(
    facility: Annotated[str | None, typer.Option(help="facility id or code")] = None,
    status: Annotated[str, typer.Option(help="open or resolved")] = "open",
) -> None:
    """List discrepancies (open ones by default)."""
    from custodia.custody import rollcall
    from custodia.registry import service as registry

    with read_session() as session:
        facility_id = registry.find_facility(session, ref=facility).id if facility else None
        items, total = rollcall.list_discrepancies(
            session, facility_id=facility_id, status=status, limit=200
        )
        names = registry.usernames(session, user_ids={d.opened_by for d in items if d.opened_by})
    table = Table(
        "id", "facility", "kind", "person", "detail", "opened", "by", title=f"{total} {status}"
    )
    for d in items:
        table.add_row(
            str(d.id),
            str(d.facility_id),
            d.kind,
            str(d.person_id or ""),
            d.detail,
            d.opened_at.strftime("%Y-%m-%d %H:%M"),
            names.get(d.opened_by, "") if d.opened_by else "",
        )
    console.print(table)


@person_app.command("show")
def person_show(
    person_id: Annotated[int, typer.Argument(help="person id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A person's identity, current custody and full custody history, and the other records
    identity review has found to be the same person."""
    from custodia.custody.service import person_detail
    from custodia.identity import service as identity

    with read_session() as session:
        detail = person_detail(session, person_id=person_id)
        one = identity.identity_of(session, person_id=person_id)
    if as_json:
        print_json({**detail.model_dump(mode="json"), "identity": one.model_dump(mode="json")})
        return
    _render_person(detail)
    _render_same_person(one)


def _render_same_person(one: Any) -> None:
    """The records merged with this one, where custody holds each (a man held twice must be
    settled through the ledger), and the review items still open."""
    from custodia.identity.cli import listing_words

    for listing in one.listed_as:
        console.print(f"[red bold]listed:[/] {listing_words(listing)}", highlight=False)
    others = [r for r in one.records if r.person_id != one.person_id]
    for r in others:
        console.print(
            f"[bold]same person as record {r.person_id}[/] {r.names[0] if r.names else ''}: "
            f"{r.custody or 'custody unknown'}",
            highlight=False,
        )
    still_open = [i.id for i in one.review_items if i.status == "open"]
    if still_open:
        console.print(
            f"identity review open: items {', '.join(map(str, still_open))} "
            f"(custodia identity show {one.person_id})",
            highlight=False,
        )


def _render_person(detail: Any) -> None:
    person, custody, names = detail.person, detail.custody, detail.facility_names

    def place(facility_id: int | None) -> str:
        return str(names.get(facility_id, facility_id)) if facility_id else ""

    table = Table.grid(padding=(0, 2))
    table.add_row("[bold]person", f"{person.id}  ({person.category.value}, {person.sex.value})")
    for name in person.names:
        learnt = ""
        if name.recorded_at:  # a name learnt after registration says when and from what
            learnt = f"  (name {name.id}, recorded {name.recorded_at:%Y-%m-%d} from {name.source}"
            if name.withdrawn_at:
                learnt += f"; withdrawn {name.withdrawn_at:%Y-%m-%d}: {name.withdrawal_reason}"
            learnt += ")"
        shown = escape(f"{name.full_name}  [{name.script.value}]{learnt}")
        table.add_row(f"[bold]{name.kind.value.replace('_', ' ')} name", shown)
    table.add_row("[bold]born", person.date_of_birth or "unknown")
    table.add_row("[bold]nationality", ", ".join(person.nationalities) or "unknown")
    table.add_row("[bold]risk tier", str(person.risk_tier))
    if person.mother_name:
        table.add_row("[bold]mother", person.mother_name)
    where = f" at {place(custody.facility_id)}" if custody.facility_id else ""
    if custody.movement_id:
        where = (
            f" on movement {custody.movement_id} from {place(custody.origin_facility_id)}"
            f" to {place(custody.destination_facility_id)}"
        )
    status = custody.status.value.replace("_", " ")
    table.add_row("[bold]custody", f"[bold]{status}[/]{where}")
    console.print(table)
    history = Table("seq", "occurred", "event", "facility", "details", title="custody history")
    for event in detail.history:
        note = ", ".join(f"{k}={v}" for k, v in event.payload.items() if k != "replacement")
        if event.corrected_by:
            note = f"[red]corrected by {event.corrected_by}[/] " + note
        history.add_row(
            str(event.seq),
            event.occurred_at.strftime("%Y-%m-%d"),
            event.type,
            place(event.facility_id),
            note,
        )
    console.print(history)


@person_app.command("search")
def person_search(
    name: Annotated[str, typer.Argument(help="any words of a name, Latin or Arabic script")],
    nationality: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2")] = None,
    limit: int = 20,
) -> None:
    """Find persons by name words (prefixes), optionally by nationality."""
    from custodia.custody.service import find_persons
    from custodia.registry.schemas import PersonQuery

    with read_session() as session:
        items, total = find_persons(
            session, query=PersonQuery(name=name, nationality=nationality, limit=limit)
        )
    table = Table("id", "name", "born", "nationality", "risk", title=f"{total} found")
    for p in items:
        table.add_row(
            str(p.id),
            p.primary_name,
            p.date_of_birth or "?",
            ",".join(p.nationalities),
            str(p.risk_tier),
        )
    console.print(table)


@person_app.command("add-name")
def person_add_name(
    person_id: Annotated[int, typer.Argument(help="person id")],
    name: Annotated[str, typer.Argument(help="the name, in Latin or Arabic script")],
    source: Annotated[
        str, typer.Option(help="where the name comes from, e.g. 'interview 2026-12-01'")
    ],
    kind: Annotated[NameKind, typer.Option(help="alias, kunya or nom_de_guerre")] = NameKind.ALIAS,
    user: UserOption = "admin",
) -> None:
    """Record a name learnt after registration; the record is screened again and the review
    items the name raised are listed."""
    from custodia.registry import service as registry
    from custodia.registry.policy import RECORD_NAMES
    from custodia.registry.schemas import NameAddIn

    name_in = NameAddIn(full_name=name, kind=kind, source=source)
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, RECORD_NAMES)
        person = registry.add_person_name(
            session, person_id=person_id, name_in=name_in, actor_id=actor_id
        )
    added = person.names[-1]
    console.print(
        f"person {person.id}: {added.kind.value} '{added.full_name}' [{added.script.value}] "
        f"recorded as name {added.id}, from {added.source}",
        highlight=False,
        markup=False,
    )
    if person.review_items:
        items = ", ".join(map(str, person.review_items))
        console.print(
            f"identity review: items {items} (custodia identity queue show ID)", highlight=False
        )


@person_app.command("withdraw-name")
def person_withdraw_name(
    person_id: Annotated[int, typer.Argument(help="person id")],
    name_id: Annotated[int, typer.Argument(help="the name's id (person show lists it)")],
    reason: Annotated[str, typer.Option(help="why the name is wrong")],
    user: UserOption = "admin",
) -> None:
    """Withdraw a name recorded after registration that was found wrong; it stays on the
    record, marked, and no longer finds or screens it."""
    from custodia.registry import service as registry
    from custodia.registry.policy import RECORD_NAMES
    from custodia.registry.schemas import NameWithdrawalIn

    withdrawal = NameWithdrawalIn(reason=reason)
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, RECORD_NAMES)
        person = registry.withdraw_person_name(
            session, person_id=person_id, name_id=name_id, withdrawal=withdrawal, actor_id=actor_id
        )
    (name,) = (n for n in person.names if n.id == name_id)
    console.print(
        f"person {person.id}: '{name.full_name}' withdrawn: {name.withdrawal_reason}",
        highlight=False,
        markup=False,
    )


@org_app.command("create")
def org_create(
    code: Annotated[str, typer.Argument(help="short code, e.g. NESGF")],
    name: Annotated[str, typer.Argument(help="full name")],
    kind: Annotated[str, typer.Option(help="guard_force, receiving_government, monitor, ...")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2")],
) -> None:
    """Register an organization (the first step on a new installation)."""
    from custodia.registry import service as registry
    from custodia.registry.schemas import OrganizationIn

    org_in = OrganizationIn(code=code, name=name, kind=kind, country=country)
    with unit_of_work() as session:
        org = registry.create_organization(session, org_in=org_in)
    console.print(f"organization {org.id}: {org.code} {org.name}")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="lower-case login name")],
    org: Annotated[str, typer.Option(help="the user's organization code")],
    role: Annotated[Role, typer.Option(help="what the user may do")],
    name: Annotated[str | None, typer.Option(help="display name (default: the username)")] = None,
) -> None:
    """Register a user with a role, e.g. the first administrator of a new installation; then
    `custodia token create USERNAME` gives them an API token."""
    from custodia.registry import service as registry
    from custodia.registry.schemas import UserIn

    with unit_of_work() as session:
        found = registry.get_organization_by_code(session, code=org)
        user_in = UserIn(
            username=username, display_name=name or username, organization_id=found.id, role=role
        )
        user = registry.create_user(session, user_in=user_in)
    console.print(f"user {user.id}: {user.username} ({user.role.value}, {found.code})")


@user_app.command("list")
def user_list() -> None:
    """Every user, with role and organization."""
    from custodia.registry import service as registry

    with read_session() as session:
        users = registry.list_users(session)
        orgs = {o.id: o.code for o in registry.list_organizations(session)}
    table = Table("id", "username", "name", "role", "organization")
    for u in users:
        table.add_row(str(u.id), u.username, u.display_name, u.role.value, orgs[u.organization_id])
    console.print(table)


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Argument(help="username")],
    label: str = "cli",
) -> None:
    """Issue an API token for a user; it is shown once and stored only hashed."""
    from custodia.registry import service as registry

    with unit_of_work() as session:
        found = registry.get_user_by_username(session, username=user)
        token = registry.issue_token(session, user_id=found.id, label=label)
    console.print(token)


@token_app.command("list")
def token_list(user: Annotated[str, typer.Argument(help="username")]) -> None:
    """A user's API tokens, revoked ones too (ids, labels, dates; never the tokens)."""
    from custodia.registry import service as registry

    with read_session() as session:
        found = registry.get_user_by_username(session, username=user)
        tokens = registry.list_tokens(session, user_id=found.id)
    table = Table("id", "label", "created", "revoked")
    for t in tokens:
        revoked = f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else ""
        table.add_row(str(t.id), t.label, f"{t.created_at:%Y-%m-%d %H:%M}", revoked)
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    user: Annotated[str, typer.Argument(help="username")],
    token_id: Annotated[int, typer.Argument(help="the token's id (custodia token list)")],
) -> None:
    """Revoke one of a user's API tokens: from now on it is refused."""
    from custodia.registry import service as registry

    with unit_of_work() as session:
        found = registry.get_user_by_username(session, username=user)
        revoked = registry.revoke_token(session, user_id=found.id, token_id=token_id)
    console.print(f"revoked API token {revoked.id} ({revoked.label}) of {user}")


@report_app.command("population")
def report_population(
    out: Annotated[Path, typer.Option(help="picture to write: .png or .svg")] = Path(
        "population.png"
    ),
) -> None:
    """Persons held by kind of place, month by month, replayed from the ledger."""
    from custodia.custody.timeline import population_chart, population_over_time

    image_format = out.suffix.lstrip(".").lower()
    if image_format not in ("png", "svg"):
        raise Invalid(f"{out}: the picture must be a .png or .svg file")
    with read_session() as session:
        points = population_over_time(session)
    out.write_bytes(population_chart(points, image_format=image_format))
    last = points[-1].counts if points else {}
    console.print(
        f"population picture written to {out} ({len(points)} months; now: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(last.items()))
        + ")"
    )
