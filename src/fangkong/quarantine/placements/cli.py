"""``fangkong quarantine placements list`` and ``fangkong quarantine release-due`` (release
every placement whose period is over with every test negative). Bad input exits 2."""

from __future__ import annotations

from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.quarantine.placements import service

app = typer.Typer(no_args_is_help=True)
placements = typer.Typer(help="Placements under control (隔离管控).", no_args_is_help=True)
app.add_typer(placements, name="placements")
MAX_LISTED = 500
MEASURES = ("centralized", "home_isolation", "home_monitoring")
STATUSES = ("pending", "active", "released", "transferred", "cancelled")


@placements.command("list")
def list_placements(
    measure: Annotated[str | None, typer.Option(help=" | ".join(MEASURES))] = None,
    status: Annotated[str | None, typer.Option(help=" | ".join(STATUSES))] = None,
    due: Annotated[bool, typer.Option("--due", help="Due for release only")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """Placements of the city (names masked)."""
    if measure is not None and measure not in MEASURES:
        console.bad_input(f"--measure is one of {', '.join(MEASURES)}")
    if status is not None and status not in STATUSES:
        console.bad_input(f"--status is one of {', '.join(STATUSES)}")
    where = service.PlacementFilter(measure=measure, status=status, due_for_release=due)
    with console.unit_of_work() as session:
        rows, _ = service.list_placements(
            session, actor=SYSTEM, page=PageParams(limit=MAX_LISTED), where=where
        )
        found = [p.model_dump(mode="json") for p in rows]
    if as_json:
        console.print_json(found)
        return
    for p in found:
        typer.echo(
            f"{p['id']}\t{p['measure']}\t{p['status']}\t{p['region_code']}\t{p['name']}\t"
            f"day {p['day_no']} of {p['days']}\tends {p['ends_at']}"
        )


@app.command("release-due")
def release_due(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a line")] = False,
) -> None:
    """Release every placement due: period over, every test done negative (idempotent)."""
    with console.unit_of_work() as session:
        released = service.release_due(session)
    if as_json:
        console.print_json({"released": released})
        return
    typer.echo(f"{len(released)} released")
