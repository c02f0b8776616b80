"""``custodia identity ...`` and ``custodia watchlist ...``: parse, call one service function,
render."""

from __future__ import annotations

import typer

app = typer.Typer(help="Identity resolution: search, compare, de-duplicate.", no_args_is_help=True)
watchlist_app = typer.Typer(help="Watchlists: import and screen.", no_args_is_help=True)
