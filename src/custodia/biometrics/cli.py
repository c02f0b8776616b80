"""``custodia biometrics ...``: parse, call one service function, render."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Fingerprint enrolment, 1:N identification, 1:1 verification.", no_args_is_help=True
)
