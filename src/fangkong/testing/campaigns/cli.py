"""``fangkong testing campaigns list | create | coverage ID`` and ``fangkong testing overdue``
(run as the system: the whole city)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.testing.campaigns import service
from fangkong.testing.campaigns.schemas import CampaignCreate, Coverage

app = typer.Typer(no_args_is_help=True)
campaigns = typer.Typer(help="Screening rounds (全员核酸).", no_args_is_help=True)
app.add_typer(campaigns, name="campaigns")
Json = Annotated[bool, typer.Option("--json", help="Print JSON")]


@campaigns.command("list")
def list_campaigns(
    status: Annotated[Literal["open", "closed"] | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    as_json: Json = False,
) -> None:
    """Rounds, newest first: id, status, dates, target, name."""
    with console.unit_of_work() as session:
        rows, _ = service.list_campaigns(
            session, actor=SYSTEM, page=PageParams(limit=limit), status=status
        )
        found = [c.model_dump(mode="json") for c in service.describe(session, rows)]
    if as_json:
        console.print_json(found)
        return
    for c in found:
        line = (
            f"{c['id']}\t{c['status']}\t{c['starts_on']}..{c['ends_on']}\t{c['target_population']}"
        )
        typer.echo(f"{line}\t{c['name']}")


@campaigns.command("create")
def create_campaign(
    name: Annotated[str, typer.Option(help="The round's name")],
    region: Annotated[list[str], typer.Option(help="A region code (repeat for several)")],
    starts_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    ends_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    as_json: Json = False,
) -> None:
    """Open a round over regions; its target is counted now."""
    try:
        data = CampaignCreate(name=name, regions=region, starts_on=_day(starts_on),
                              ends_on=_day(ends_on))  # fmt: skip
    except ValidationError as exc:
        console.bad_input(_first_error(exc))
    try:
        with console.unit_of_work() as session:
            campaign = service.create_campaign(session, actor=SYSTEM, data=data)
            out = service.describe(session, [campaign])[0].model_dump(mode="json")
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(out)
    else:
        typer.echo(f"created round {out['id']}: target {out['target_population']}")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        console.bad_input(f"{value!r} is not a date (YYYY-MM-DD)")


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


@campaigns.command("coverage")
def coverage(
    campaign_id: Annotated[int, typer.Argument(min=1, max=2**31 - 1)],
    level: Annotated[
        Literal["district", "street", "community", "grid"], typer.Option()
    ] = "district",
    region: Annotated[str | None, typer.Option(help="Only inside this region code")] = None,
    as_json: Json = False,
) -> None:
    """Target, sampled, tested, positive and coverage % per region, and the totals."""
    try:
        with console.unit_of_work() as session:
            found = service.coverage(
                session, actor=SYSTEM, campaign_id=campaign_id, level=level, region=region
            )
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    _print_coverage(found)


def _print_coverage(found: Coverage) -> None:
    typer.echo("code\tname\ttarget\tsampled\ttested\tpositive\tcoverage %")
    for row in [*found.rows, found.totals.model_copy(update={"code": "total"})]:
        typer.echo(
            f"{row.code}\t{row.name}\t{row.target}\t{row.sampled}\t{row.tested}\t"
            f"{row.positive}\t{row.coverage:.2f}"
        )


@app.command("overdue")
def overdue(
    group: Annotated[str | None, typer.Option(help="An edition key-group id")] = None,
    region: Annotated[str | None, typer.Option(help="Only inside this region code")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    as_json: Json = False,
) -> None:
    """Key-group members overdue for a test, most overdue first (masked)."""
    try:
        with console.unit_of_work() as session:
            rows, _ = service.overdue(
                session, actor=SYSTEM, page=PageParams(limit=limit), group=group, region=region
            )
    except DomainError as exc:
        console.fail(exc)
    found: list[dict[str, Any]] = [m.model_dump(mode="json") for m in rows]
    if as_json:
        console.print_json(found)
        return
    for m in found:
        days = "never" if m["days_overdue"] is None else f"{m['days_overdue']}d"
        typer.echo(f"{m['group']}\t{days}\t{m['grid_code']}\t{m['name']}\t{m['employer'] or ''}")
