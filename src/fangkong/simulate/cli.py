"""``fangkong simulate ...``: synthetic data for demos and benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer

from fangkong.core import clock, console
from fangkong.people.protect import Protector
from fangkong.simulate import city as city_service

app = typer.Typer(help="Synthetic data: a city (later: an outbreak).", no_args_is_help=True)


@app.command("city")
def city(
    people: Annotated[int, typer.Option("--people", help="How many residents")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same city")],
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD for ages (default: today)")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when people already exist")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build a synthetic city: streets, communities, grids, households, people, grid workers."""
    if not 1 <= people <= city_service.MAX_PEOPLE:
        console.bad_input(f"--people must be between 1 and {city_service.MAX_PEOPLE:,}")
    day = _parse_day(today)
    settings = console.settings()
    protector = Protector(settings.data_key_bytes)
    started = time.monotonic()
    with console.unit_of_work() as session:
        if city_service.has_people(session):
            if if_empty:
                typer.echo("people already exist: no city simulated")
                return
            console.bad_input("people already exist; simulate city needs an empty people table")
        with _progress(people, enabled=console.is_terminal() and not as_json) as advance:
            try:
                summary = city_service.build_city(
                    session,
                    people=people,
                    seed=seed,
                    today=day,
                    protector=protector,
                    now=clock.now(),
                    progress=advance,
                )
            except city_service.CityError as exc:
                console.bad_input(str(exc))
    _report(asdict(summary) | {"seconds": round(time.monotonic() - started, 1)}, as_json)


def _parse_day(text: str | None) -> date:
    if text is None:
        return clock.local_today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.bad_input(f"--today {text!r} is not a date (YYYY-MM-DD)")


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal (stderr); a no-op otherwise."""
    if not enabled:
        yield lambda _done: None
        return
    from rich.console import Console  # noqa: PLC0415 - only a terminal needs it
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("people", total=total)
        yield lambda done: bar.update(task, completed=done)


def _report(figures: dict[str, int | float], as_json: bool) -> None:
    if as_json:
        console.print_json(figures)
        return
    typer.echo(
        "city: {districts} districts, {streets} streets, {communities} communities, "
        "{grids} grids, {households:,} households, {people:,} people, "
        "{key_group_members:,} key-group members, {grid_workers:,} grid workers "
        "in {seconds} s".format(**figures)
    )
