"""What every room's command line shares: the consoles, a Rich progress bar, JSON output and
the one-line failure. Rooms keep their Typer commands in ``<room>/cli.py``; ``custodia.cli``
mounts them."""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from custodia.registry.policy import Policy

console = Console()
err_console = Console(stderr=True)


def one_line_summaries(app: typer.Typer) -> None:
    """Give each command of ``app`` and of its groups the first paragraph of its docstring,
    on one line, as its summary in a group's list of commands: there Typer keeps the line
    breaks of the docstring, and the list comes out ragged."""
    for info in app.registered_commands:
        doc = info.callback.__doc__ if info.callback else None
        if doc and info.short_help is None and info.help is None:
            info.short_help = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())
    for group in app.registered_groups:
        if group.typer_instance is not None:
            one_line_summaries(group.typer_instance)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun as a sentence says them: 1 individual, 3 individuals, 2
    entries."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one readable error line and exit non-zero."""
    # escaped: a message quoting "[a-z0-9._-]" or "[Latn]" is text, not Rich markup
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


# Who does what a command writes or reads under audit: the operator names a registered
# user, whose role the API's policy must allow (``acting_user_id``); records and the audit
# log name that user. Commands that record custody or decisions default to "admin"; audited
# reads and batch jobs to no user (the local operator, as the audit log says).
UserOption = Annotated[
    str | None,
    typer.Option("--user", help="the registered user who does this, held to that user's role"),
]


def acting_user_id(session: Session, username: str | None, policy: Policy) -> int | None:
    """The id of the registered user an operator acts as, refused unless ``policy`` lets
    that user's role do it; None for no user named."""
    from custodia.registry import service as registry

    if username is None:
        return None
    return registry.acting_user(session, username=username, policy=policy).id


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A Rich progress bar; yields ``advance(done, total=None, description=None)``."""
    columns = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task(description, total=total)

        def advance(done: int, total: int | None = None, description: str | None = None) -> None:
            progress.update(
                task,
                completed=done,
                total=total,
                description=description or progress.tasks[0].description,
            )

        yield advance


def print_json(data: Any) -> None:
    """Machine-readable output on stdout."""
    console.print_json(json.dumps(data, default=str))
