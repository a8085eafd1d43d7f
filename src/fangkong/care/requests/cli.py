"""``fangkong care overdue [--region PREFIX] [--json]``: open requests past their deadline,
emergencies first; ``fangkong care escalate [--region PREFIX] [--json]``: run the overdue
escalation once (what the ``care.escalate`` job does)."""

from __future__ import annotations

from typing import Annotated

import typer

from fangkong.care.requests import service
from fangkong.core import clock, console
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM

app = typer.Typer(no_args_is_help=True)


def _region(region: str | None) -> None:
    if region is not None and not (region.isascii() and region.isdigit() and len(region) <= 15):
        console.bad_input("--region must be a region-code prefix (digits)")


@app.command("escalate")
def escalate(
    region: Annotated[str | None, typer.Option(help="Region-code prefix")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Escalate open care requests past their deadline, once (emergencies first)."""
    _region(region)
    with console.unit_of_work() as session:
        outcome = service.escalate_overdue(session, actor=SYSTEM, region=region)
    if as_json:
        console.print_json(outcome.model_dump())
        return
    typer.echo(f"escalated {outcome.escalated} ({outcome.emergencies} emergencies)")


@app.command("overdue")
def overdue(
    region: Annotated[str | None, typer.Option(help="Region-code prefix")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 500,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open care requests past their deadline (emergencies first)."""
    _region(region)
    where = service.RequestFilter(region=region, overdue_at=clock.now())
    with console.unit_of_work() as session:
        rows, _ = service.list_requests(
            session, actor=SYSTEM, page=PageParams(limit=limit), where=where
        )
        found = [row.model_dump(mode="json") for row in rows]
    if as_json:
        console.print_json(found)
        return
    for r in found:
        flag = "!" if r["emergency"] else " "
        typer.echo(
            f"{flag} {r['id']}\t{r['kind']}\t{r['status']}\t{r['region_code']}\t"
            f"due {r['due_at']}\t{r['name']}"
        )
    typer.echo(f"{len(found)} overdue", err=True)
