"""``fangkong emergency show | end --date D | undo``: the end-of-emergency switch."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.retention import service

app = typer.Typer(help="End of the emergency (应急响应结束) and retention.", no_args_is_help=True)
CLI_ACTOR = Principal(id=None, username="cli", role="system", region_code="230100")


def _echo(state: service.Emergency, as_json: bool = False) -> None:
    if as_json:
        console.print_json(asdict(state))
    elif state.ended_on is None:
        typer.echo(f"emergency in force; ending it starts a {state.countdown_days}-day countdown")
    else:
        undo = "can be undone" if state.can_undo else "can no longer be undone"
        typer.echo(f"emergency ended on {state.ended_on}; purge from {state.final_on} ({undo})")


@app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Whether the emergency has ended, and when personal data is purged."""
    with console.unit_of_work() as session:
        state = service.current(session, settings=console.settings())
    _echo(state, as_json)


@app.command("end")
def end(
    ended_on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD, the day it ended")],
) -> None:
    """Declare the emergency ended (audited); the retention countdown starts."""
    try:
        day = date.fromisoformat(ended_on)
    except ValueError:
        console.bad_input(f"--date must be YYYY-MM-DD, got {ended_on!r}")
    try:
        with console.unit_of_work() as session:
            state = service.end(session, actor=CLI_ACTOR, settings=console.settings(), ended_on=day)
    except DomainError as exc:
        console.fail(exc)
    _echo(state)


@app.command("undo")
def undo() -> None:
    """Withdraw the end of the emergency, before the countdown runs out (audited)."""
    try:
        with console.unit_of_work() as session:
            state = service.undo(session, actor=CLI_ACTOR, settings=console.settings())
    except DomainError as exc:
        console.fail(exc)
    _echo(state)


@app.command("rules")
def rules(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every table's retention rule with its window under the active edition."""
    with console.unit_of_work() as session:
        rows = service.overview(session, settings=console.settings())
    if as_json:
        console.print_json([asdict(row) for row in rows])
        return
    for row in rows:
        window = f"{row.amount} {row.unit}" if row.amount is not None else ""
        typer.echo(f"{row.table:<24} {row.action:<11} {window:<12} {row.source or row.reason}")
