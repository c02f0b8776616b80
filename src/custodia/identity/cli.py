"""``custodia identity ...`` and ``custodia watchlist ...``: parse, call one service function,
render."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from custodia.clikit import (
    UserOption,
    acting_user_id,
    console,
    counted,
    print_json,
    progress_bar,
)
from custodia.db import read_session, unit_of_work
from custodia.identity import service as identity
from custodia.identity.schemas import (
    Candidate,
    CheckResult,
    EntryHit,
    ListedCandidate,
    Listing,
    PersonBrief,
    ReviewItemOut,
)
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.registry.policy import ADJUDICATE_IDENTITY, MANAGE_WATCHLISTS

app = typer.Typer(help="Identity resolution: search, compare, de-duplicate.", no_args_is_help=True)
watchlist_app = typer.Typer(
    help="Watchlists: import, list, screen and withdraw.", no_args_is_help=True
)
queue_app = typer.Typer(help="The review queue: candidate pairs and watchlist hits.")
app.add_typer(queue_app, name="queue")

JsonFlag = Annotated[bool, typer.Option("--json", help="one JSON object on stdout")]


@app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="a name in any script")],
    dob: Annotated[
        str | None, typer.Option("--dob", help="YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")
    ] = None,
    nationality: Annotated[str | None, typer.Option("--nationality", help="ISO alpha-2")] = None,
    mother: Annotated[str | None, typer.Option("--mother", help="the mother's name")] = None,
    born_in: Annotated[str | None, typer.Option("--born-in", help="the place of birth")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Ranked candidate persons for a name, with the evidence."""
    with read_session() as session:
        result = identity.search_persons(
            session,
            name=name,
            date_of_birth=dob,
            nationality=nationality,
            mother_name=mother,
            place_of_birth=born_in,
            limit=limit,
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    _render_candidates(f"candidates for {name!r}", result.candidates)
    if result.behind_the_nom_de_guerre:
        title = f"no name in common: the men {name!r} may stand for"
        _render_candidates(title, result.behind_the_nom_de_guerre)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


def _render_candidates(title: str, candidates: list[Candidate]) -> None:
    """One block per candidate, as the review queue prints an item: the record on one line,
    its names on the next, then the evidence a line each (a table squeezes the evidence
    into a column a few words wide); lines are not cut, so a pipe to grep keeps them whole."""
    console.print(f"[bold]{title}[/]" + ("" if candidates else ": none"), highlight=False)
    for rank, c in enumerate(candidates, 1):
        merged = "" if c.survivor_id == c.person_id else f" (merged into {c.survivor_id})"
        where = f"; {c.custody}" if c.custody else ""
        console.print(
            f"{rank:>2}. [bold]person {c.person_id}[/]{merged}  score {c.score:.2f}  "
            f"born {c.date_of_birth or '?'} {','.join(c.nationalities)}{where}",
            highlight=False,
            soft_wrap=True,
        )
        console.print(f"    {'; '.join(c.names)}", highlight=False, soft_wrap=True)
        for reason in c.explanation:
            console.print(f"    - {reason}", highlight=False, soft_wrap=True)


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="a CSV file")],
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.5, max=1.0, help="the lowest score shown")
    ] = REVIEW_THRESHOLD,
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="also write the answer as CSV")
    ] = None,
    as_json: JsonFlag = False,
    workers: Annotated[
        int, typer.Option(min=1, help="processes sharing a long file (default: one per core)")
    ] = os.cpu_count() or 1,
) -> None:
    """Check a partner's file of people (an agency watchlist's CSV columns) against the
    registry and the loaded watchlists, no one registered: who may be held already, and
    where; who may be listed."""
    with progress_bar("checking") as advance, read_session() as session:
        result = identity.check_people(
            session,
            data=file.read_bytes(),
            min_score=min_score,
            progress=lambda done, total: advance(done, total),
            workers=workers,
        )
    if out is not None:
        out.write_text(result.as_csv(), encoding="utf-8")
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    _render_check(result)
    if out is not None:
        console.print(f"written to {out}", highlight=False)


def _render_check(result: CheckResult) -> None:
    """The rows that may be someone, a line each; the others only counted."""
    table = Table("row", "reference", "name", "may be registered as", "may be listed as")
    for p in result.people:
        if p.registered or p.behind_the_nom_de_guerre or p.listed:
            behind = [f"may stand for {_registered_words(c)}" for c in p.behind_the_nom_de_guerre]
            table.add_row(
                str(p.row),
                p.reference,
                p.name,
                "\n".join([*map(_registered_words, p.registered), *behind]) or "—",
                "\n".join(f"{c.list_name} {c.reference} ({c.score:.2f})" for c in p.listed) or "—",
            )
    if table.row_count:
        console.print(table)
    console.print(
        f"{counted(result.rows, 'row')}: {result.registered} may be registered, "
        f"{result.listed} may be listed, from a score of {result.min_score}; "
        f"{result.may_stand_for} known only by a nom de guerre may stand for a registered man "
        f"({result.seconds:.1f} s)"
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


def _registered_words(c: Candidate) -> str:
    merged = "" if c.survivor_id == c.person_id else f", merged into {c.survivor_id}"
    return f"person {c.person_id} ({c.score:.2f}{merged}): {c.custody or 'custody unknown'}"


@app.command("compare")
def compare(name1: str, name2: str, as_json: JsonFlag = False) -> None:
    """Score two bare names 0..1 and say whether they match at the configured threshold."""
    result = identity.compare_names(name1, name2)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    verdict = "[green]match[/]" if result.match else "[red]no match[/]"
    console.print(f"score {result.score:.3f} (threshold {result.threshold}): {verdict}")
    for line in result.explanation:
        console.print(f"  {line}", highlight=False)


@app.command("reindex")
def reindex(
    rebuild: Annotated[bool, typer.Option(help="re-index every person")] = False,
) -> None:
    """Index the names of persons not indexed yet; every person when the index was built by
    an older name model, or with --rebuild."""
    with progress_bar("indexing names") as advance, unit_of_work() as session:

        def step(done: int, total: int) -> None:
            advance(done, total)

        added = identity.reindex(session, rebuild=rebuild, progress=step)
    console.print(f"indexed {added} persons")


@app.command("dedupe")
def dedupe(as_json: JsonFlag = False, user: UserOption = None) -> None:
    """Batch de-duplication of the whole registry (Splink); writes the review queue."""
    with progress_bar("de-duplicating") as advance, unit_of_work() as session:
        actor_id = acting_user_id(session, user, MANAGE_WATCHLISTS)

        def step(done: int, total: int, what: str | None) -> None:
            advance(done, total, what)

        result = identity.dedupe(session, progress=step, actor_id=actor_id)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    console.print(
        f"{result.records} records, {result.pairs_scored} pairs scored, "
        f"{result.pairs_proposed} queued for review ({result.nom_de_guerre_pairs} of them a record "
        f"known only by a nom de guerre and the man it is likeliest to be), "
        f"{result.clusters} multi-record clusters ({result.seconds:.1f} s)"
    )


def _render_evidence(source: str, evidence: dict[str, Any]) -> None:
    """One source's evidence as a reviewer reads it: its score, then its reasons one a line
    (the figures behind them are in --json)."""
    reasons = evidence.get("explanation")
    score = evidence.get("score")
    bits = evidence.get("bits")
    if isinstance(bits, int | float):  # fingerprints: what they add to the names' odds
        head = f"  {source} {bits:+.1f} bits"
    else:
        head = f"  {source}" + (f" {score:.2f}" if isinstance(score, int | float) else "")
    if isinstance(reasons, list) and reasons:
        console.print(head + ":", highlight=False)
        for reason in reasons:
            console.print(f"    - {reason}", highlight=False)
        return
    rest = ", ".join(f"{k}={v}" for k, v in evidence.items() if k != "score")
    console.print(f"{head}: {rest}", highlight=False)


def _render_brief(side: str, brief: PersonBrief) -> None:
    where = f"; {brief.custody}" if brief.custody else ""
    console.print(
        f"  {side} person {brief.person_id} (identity {brief.survivor_id}): "
        f"{'; '.join(brief.names)} born {brief.date_of_birth or '?'} "
        f"{','.join(brief.nationalities)}{where}",
        highlight=False,
    )


def _render_item(item: ReviewItemOut) -> None:
    console.print(
        f"[bold]#{item.id}[/] {item.kind} score {item.score:.2f} [{item.status}] "
        f"sources: {', '.join(item.sources)}",
        highlight=False,
    )
    _render_brief("A", item.person_a)
    if item.person_b is not None:
        _render_brief("B", item.person_b)
    if item.watchlist_entry is not None:
        w = item.watchlist_entry
        born = ", ".join(w.dates_of_birth) or "?"
        left = f" (withdrawn from the list {w.withdrawn_at:%Y-%m-%d})" if w.withdrawn_at else ""
        console.print(
            f"  listed {w.list_name} {w.reference}{left}: {w.name} born {born}",
            highlight=False,
        )
    for source, evidence in item.evidence.items():
        _render_evidence(source, evidence)
    for d in item.decisions:
        console.print(
            f"  decided {d.decision} "
            f"{f'by {d.decided_by_username}' if d.decided_by_username else '(no user recorded)'} "
            f"at {d.decided_at:%Y-%m-%d %H:%M}: {d.note}",
            highlight=False,
        )
    for warning in item.warnings:
        console.print(f"  [yellow]warning:[/] {warning}", highlight=False)


@queue_app.command("list")
def queue_list(
    status: Annotated[str, typer.Option(help="open, same, different, unsure or all")] = "open",
    kind: Annotated[str | None, typer.Option(help="duplicate or watchlist")] = None,
    person: Annotated[int | None, typer.Option(help="only items naming this person id")] = None,
    doubted: Annotated[
        bool, typer.Option("--doubted", help="only merges the fingerprints contradict")
    ] = False,
    list_name: Annotated[
        str | None, typer.Option("--list", help="only the hits on this watchlist")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Review items, the strongest first."""
    with read_session() as session:
        page = identity.list_queue(
            session,
            status="same" if doubted else (None if status == "all" else status),
            kind=kind,
            person_id=person,
            doubted=doubted,
            list_name=list_name,
            limit=limit,
        )
    if as_json:
        print_json(page.model_dump(mode="json"))
        return
    console.print(counted(page.total, "item"))
    for item in page.items:
        _render_item(item)


@app.command("progress")
def review_progress(
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="a picture to write: .png or .svg")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """How identity review keeps up: items raised and settled per hour or day, and the
    backlog left (a picture with --out)."""
    with read_session() as session:
        found = identity.review_progress(session)
        picture = (
            identity.review_progress_chart(session, image_format=out.suffix.lstrip(".").lower())
            if out is not None
            else None
        )
    if out is not None and picture is not None:
        out.write_bytes(picture)
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    if not found.points:
        console.print("no review item raised yet")
        return
    raised = sum(p.raised_duplicates + p.raised_hits for p in found.points)
    settled = sum(p.settled for p in found.points)
    console.print(
        f"{counted(raised, 'item')} raised since {found.points[0].start:%Y-%m-%d %H:00} UTC, "
        f"{settled} settled; backlog now {found.points[-1].backlog}"
        + (f"; picture written to {out}" if out is not None else "")
    )


@app.command("show")
def show(
    person_id: Annotated[int, typer.Argument(help="a person (record) id")],
    as_json: JsonFlag = False,
) -> None:
    """Who a record really is: its identity, the records merged into it, and every review
    item naming one of them, with the decisions."""
    with read_session() as session:
        found = identity.identity_of(session, person_id=person_id)
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    title = f"person {found.person_id}: identity {found.survivor_id}"
    table = Table("record", "names", "born", "nat.", "mother", "born in", "custody", title=title)
    for r in found.records:
        mark = " (surviving)" if r.person_id == found.survivor_id else ""
        table.add_row(
            f"{r.person_id}{mark}",
            "\n".join(r.names),
            r.date_of_birth or "",
            ",".join(r.nationalities),
            r.mother_name or "",
            r.place_of_birth or "",
            r.custody or "",
        )
    console.print(table)
    for listing in found.listed_as:
        console.print(f"[red bold]listed:[/] {listing_words(listing)}", highlight=False)
    for r in found.records:
        for n in r.recorded_later:
            withdrawn = (
                f"; withdrawn {n.withdrawn_at:%Y-%m-%d}: {n.withdrawal_reason}"
                if n.withdrawn_at
                else ""
            )
            console.print(
                f"record {r.person_id}: {n.kind.replace('_', ' ')} '{n.full_name}' (name "
                f"{n.name_id}) recorded {n.recorded_at:%Y-%m-%d} from {n.source}{withdrawn}",
                highlight=False,
                markup=False,
            )
    open_items = sum(1 for i in found.review_items if i.status == "open")
    console.print(f"{len(found.review_items)} review items, {open_items} open")
    for item in found.review_items:
        _render_item(item)


@queue_app.command("show")
def queue_show(item_id: int, as_json: JsonFlag = False) -> None:
    """One review item: both records side by side (or the record and the listed entry),
    the evidence, and every decision."""
    with read_session() as session:
        item = identity.get_review_item(session, item_id=item_id)
    if as_json:
        print_json(item.model_dump(mode="json"))
    else:
        _render_item(item)


@queue_app.command("decide")
def queue_decide(
    item_id: int,
    decision: Annotated[str, typer.Argument(help="same, different or unsure")],
    note: Annotated[str, typer.Option(help="why")] = "",
    user: UserOption = "admin",
) -> None:
    """Adjudicate a review item ("same" merges the two identities)."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, ADJUDICATE_IDENTITY)
        item = identity.decide(
            session, item_id=item_id, decision=decision, note=note, actor_id=actor_id
        )
    _render_item(item)


@queue_app.command("split")
def queue_split(
    item_id: int,
    note: Annotated[str, typer.Option(help="why")] = "",
    user: UserOption = "admin",
) -> None:
    """Undo the merge of a "same" decision."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, ADJUDICATE_IDENTITY)
        item = identity.split(session, item_id=item_id, note=note, actor_id=actor_id)
    _render_item(item)


@watchlist_app.command("import")
def watchlist_import(
    source: Annotated[
        str,
        typer.Argument(help="un-sc (the UN SC consolidated list XML) or csv (docs/identity.md)"),
    ],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    list_name: Annotated[
        str | None,
        typer.Option("--list", help="for csv: the list's name, e.g. iq-warrants (refreshes it)"),
    ] = None,
    user: UserOption = None,
) -> None:
    """Import a watchlist file: the UN SC consolidated list XML, or an agency's own list as
    CSV (reference, name, aliases, weak_aliases, date_of_birth, nationality,
    place_of_birth)."""
    if source not in ("un-sc", "csv"):
        raise typer.BadParameter(f"{source!r}: the formats are un-sc and csv")
    if (source == "csv") != (list_name is not None):
        raise typer.BadParameter("--list NAME goes with csv, and only with csv")
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, MANAGE_WATCHLISTS)
        if list_name is not None:
            result = identity.import_csv_list(
                session, data=file.read_bytes(), list_name=list_name, actor_id=actor_id
            )
        else:
            result = identity.import_un_sc_list(session, path=file, actor_id=actor_id)
    console.print(
        f"{result.list_name}: {counted(result.individuals, 'individual')} with "
        f"{counted(result.names, 'name')} "
        f"({result.replaced} refreshed)"
    )
    if result.withdrawn:
        console.print(
            f"{counted(result.withdrawn, 'entry', 'entries')} of the list this file no longer "
            "holds: withdrawn, no longer screened"
        )
    if result.listed_twice:
        console.print(
            f"{result.listed_twice} entries name an individual the list names again under "
            "another regime (same name and date of birth): a hit on them is queued once"
        )


@watchlist_app.command("list")
def watchlist_list(as_json: JsonFlag = False) -> None:
    """The loaded watchlists: name, individuals listed, those not screened yet, last
    import."""
    with read_session() as session:
        lists = identity.list_watchlists(session)
    if as_json:
        print_json([w.model_dump(mode="json") for w in lists])
        return
    if not lists:
        console.print("no watchlist is loaded (custodia watchlist import un-sc|csv FILE)")
        return
    table = Table("list", "individuals", "not screened yet", "imported (UTC)")
    for w in lists:
        table.add_row(
            w.list_name,
            str(w.individuals),
            str(w.unscreened or "—"),
            f"{w.imported_at:%Y-%m-%d %H:%M}",
        )
    console.print(table)


@watchlist_app.command("search")
def watchlist_search(
    name: Annotated[str, typer.Argument(help="a name in any script")],
    dob: Annotated[
        str | None, typer.Option("--dob", help="YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")
    ] = None,
    nationality: Annotated[str | None, typer.Option("--nationality", help="ISO alpha-2")] = None,
    list_name: Annotated[str | None, typer.Option("--list", help="only this loaded list")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Is this name listed? The listed individuals it most likely is, scored as screening
    scores a person; no one need be registered."""
    with read_session() as session:
        result = identity.search_watchlists(
            session,
            name=name,
            date_of_birth=dob,
            nationality=nationality,
            list_name=list_name,
            limit=limit,
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    _render_listed(f"listed individuals for {name!r}", result.candidates, result.threshold)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


def _render_listed(title: str, candidates: list[ListedCandidate], threshold: float) -> None:
    """As ``_render_candidates``: the entry on one line, its names on the next, then the
    evidence and the review items it raised a line each."""
    console.print(f"[bold]{title}[/]" + ("" if candidates else ": none"), highlight=False)
    for rank, c in enumerate(candidates, 1):
        verdict = f"  [red]a hit (≥ {threshold})[/]" if c.would_be_a_hit else ""
        twice = f" (also {', '.join(c.also_listed_as)})" if c.also_listed_as else ""
        console.print(
            f"{rank:>2}. [bold]{c.list_name} {c.reference}[/]{twice}  score {c.score:.2f}"
            f"{verdict}  born {', '.join(c.dates_of_birth) or '?'} {','.join(c.nationalities)}",
            highlight=False,
            soft_wrap=True,
        )
        console.print(f"    {'; '.join(c.names)}", highlight=False, soft_wrap=True)
        for reason in c.explanation:
            console.print(f"    - {reason}", highlight=False, soft_wrap=True)
        for hit in c.hits:
            console.print(f"    > {_hit_line(hit)}", highlight=False, soft_wrap=True)


def _hit_line(hit: EntryHit) -> str:
    where = f"; {hit.custody}" if hit.custody else ""
    return (
        f"review item {hit.item_id} ({hit.status}, {hit.score:.2f}): person {hit.person_id} "
        f"{hit.person_name}{where}"
    )


@watchlist_app.command("held")
def watchlist_held(
    list_name: Annotated[
        str | None, typer.Option("--list", help="only this list's individuals")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="also write it as CSV")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The listed individuals we hold: identities reviewers confirmed to be listed, those in
    custody first, with where each is; and the hits still awaiting review."""
    with read_session() as session:
        found = identity.held_listed(session, list_name=list_name)
    if out is not None:
        out.write_text(found.as_csv(), encoding="utf-8")
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    table = Table("identity", "names", "born", "nat.", "custody", "listed as")
    for p in found.persons:
        table.add_row(
            str(p.survivor_id),
            "\n".join(p.names),
            p.date_of_birth or "",
            ",".join(p.nationalities),
            p.custody or "",
            "\n".join(map(listing_words, p.listed_as)),
        )
    if found.persons:
        console.print(table)
    console.print(
        f"{counted(len(found.persons), 'identity', 'identities')} confirmed listed, "
        f"{found.held} of them held; {counted(found.open_hits, 'watchlist hit')} awaiting "
        "review (custodia identity queue list --kind watchlist)"
    )


def listing_words(listing: Listing) -> str:
    """A confirmed listing in a line: un-sc QDi.299 (confirmed 2026-12-05 by analyst, item
    17), and when the entry left its list if it has."""
    who = f" by {listing.confirmed_by}" if listing.confirmed_by else ""
    gone = ""
    if listing.withdrawn_at:
        gone = f"; withdrawn from the list {listing.withdrawn_at:%Y-%m-%d}"
    return (
        f"{listing.list_name} {listing.reference} (confirmed {listing.confirmed_at:%Y-%m-%d}"
        f"{who}, item {listing.item_id}{gone})"
    )


@watchlist_app.command("show")
def watchlist_show(
    list_name: Annotated[str, typer.Argument(help="the list's name, as `watchlist list` shows")],
    reference: Annotated[str, typer.Argument(help="the entry's reference on its list")],
    as_json: JsonFlag = False,
) -> None:
    """One listed entry as its list gives it, and every review item naming it."""
    with read_session() as session:
        entry = identity.watchlist_entry(session, list_name=list_name, reference=reference)
    if as_json:
        print_json(entry.model_dump(mode="json"))
        return
    console.print(
        f"[bold]{entry.list_name} {entry.reference}[/] {entry.list_type}: {entry.name}",
        highlight=False,
        soft_wrap=True,
    )
    for n in entry.names:
        console.print(f"  {n.quality:<15} {n.name}", highlight=False, soft_wrap=True)
    facts = [
        ("born", ", ".join(entry.dates_of_birth)),
        ("in", "; ".join(entry.places_of_birth)),
        ("nationality", ", ".join(entry.nationalities)),
        ("also listed as", ", ".join(entry.also_listed_as)),
        ("imported", f"{entry.imported_at:%Y-%m-%d %H:%M} UTC"),
        ("withdrawn", f"{entry.withdrawn_at:%Y-%m-%d %H:%M} UTC" if entry.withdrawn_at else ""),
        ("screened", f"{entry.screened_at:%Y-%m-%d %H:%M} UTC" if entry.screened_at else "not yet"),
    ]
    for label, value in facts:
        if value:
            console.print(f"  {label}: {value}", highlight=False, soft_wrap=True)
    console.print(f"review items naming it: {len(entry.hits) or 'none'}")
    for hit in entry.hits:
        console.print(f"  {_hit_line(hit)}", highlight=False, soft_wrap=True)


@watchlist_app.command("withdraw")
def watchlist_withdraw(
    list_name: Annotated[str, typer.Argument(help="the list's name, as `watchlist list` shows")],
    user: UserOption = None,
) -> None:
    """Withdraw a loaded list (its owner took it back): its entries are no longer screened;
    the review items naming them stay, and say so."""
    with unit_of_work() as session:
        actor_id = acting_user_id(session, user, MANAGE_WATCHLISTS)
        result = identity.withdraw_watchlist(session, list_name=list_name, actor_id=actor_id)
    console.print(f"{result.list_name}: {counted(result.withdrawn, 'entry', 'entries')} withdrawn")


@watchlist_app.command("screen")
def watchlist_screen(
    as_json: JsonFlag = False,
    workers: Annotated[
        int, typer.Option(min=1, help="processes sharing the list (default: one per core)")
    ] = os.cpu_count() or 1,
    every: Annotated[
        bool,
        typer.Option("--all", help="every loaded entry again, not only those new or changed since"),
    ] = False,
    user: UserOption = None,
) -> None:
    """Screen every person against the listed entries new or changed since the last run
    (--all: every entry); hits go to the review queue."""
    with progress_bar("screening") as advance, unit_of_work() as session:
        result = identity.screen_all_persons(
            session,
            progress=lambda done, total: advance(done, total),
            workers=workers,
            actor_id=acting_user_id(session, user, MANAGE_WATCHLISTS),
            every=every,
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    entries = counted(result.entries, "listed entry", "listed entries")
    console.print(
        f"{result.persons} persons against {entries}: {result.hits} hits, "
        f"{result.proposed} in the review queue ({result.seconds:.1f} s)"
    )
    if result.already_screened:
        console.print(
            f"{counted(result.already_screened, 'entry', 'entries')} screened before as they "
            "read now were left out (persons registered since were screened against them at "
            "intake; --all screens them again)"
        )
