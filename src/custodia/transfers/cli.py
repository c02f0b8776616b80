"""``custodia plan ...``: parse, call one service function, render."""

from __future__ import annotations

import typer

app = typer.Typer(help="Airlift transfer plans: create, re-plan, execute.", no_args_is_help=True)
