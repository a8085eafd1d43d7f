"""``fangkong arrivals zones list | review | announce``: the zones at a terminal, the daily
review by hand for a date, and the day's announcement. Bad input prints one line and exits 2."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer

from fangkong.arrivals.zones import service
from fangkong.core import clock, console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM

app = typer.Typer(no_args_is_help=True)
zones = typer.Typer(help="Local zones (封控区、管控区、防范区).", no_args_is_help=True)
app.add_typer(zones, name="zones")
MAX_LISTED = 500
KINDS = ("sealed", "controlled", "precaution")


def _day(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return service.checked_day(date.fromisoformat(text))
    except (ValueError, DomainError):
        console.bad_input(f"zone.bad_date: --date is a YYYY-MM-DD from 2000 to 2099, not {text!r}")


@zones.command("list")
def list_zones(
    kind: Annotated[str | None, typer.Option(help="sealed | controlled | precaution")] = None,
    active: Annotated[bool, typer.Option(help="Active zones only")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """Zones of the city with their countdowns."""
    if kind is not None and kind not in KINDS:
        console.bad_input(f"--kind is one of {', '.join(KINDS)}")
    with console.unit_of_work() as session:
        where = service.ZoneFilter(kind=kind, status="active" if active else None)
        rows, _ = service.list_zones(
            session, actor=SYSTEM, page=PageParams(limit=MAX_LISTED), where=where
        )
        found = [service.zone_out(session, z).model_dump(mode="json") for z in rows]
    if as_json:
        console.print_json(found)
        return
    for z in found:
        left = z["countdown"]["days_left"] if z["countdown"] else "-"
        typer.echo(
            f"{z['id']}\t{z['kind']}\t{z['status']}\t{z['region_code']}\t{z['name']}\t"
            f"{z['resident_count']} residents\t{left} days left\t{z['pending'] or ''}"
        )


@zones.command("review")
def review(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today)")] = None,
) -> None:
    """The daily review as of 6:00 on the date: lift, downgrade or propose (idempotent)."""
    run_for = _day(day, clock.local_today())
    with console.unit_of_work() as session:
        result = service.review(session, run_for=run_for)
    console.print_json(result)


@zones.command("announce")
def announce(
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD: 6:00 to 6:00 next day")
    ] = None,
    lang: Annotated[str, typer.Option(help="zh | en | both")] = "zh",
) -> None:
    """The announcement of a day in the official style (default: the last whole day)."""
    if lang not in ("zh", "en", "both"):
        console.bad_input("--lang is zh, en or both")
    the_day = _day(day, clock.local_today() - timedelta(days=1))
    with console.unit_of_work() as session:
        text = service.announcement(session, actor=SYSTEM, day=the_day)
    if lang in ("zh", "both"):
        typer.echo(text.zh)
    if lang in ("en", "both"):
        typer.echo(text.en)
