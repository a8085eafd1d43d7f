"""``fangkong supervision report --start D --end D [--json] | overdue``"""

from __future__ import annotations

from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.supervision.companies.cli import Day, day_of
from fangkong.supervision.inspections import report, service
from fangkong.supervision.inspections.schemas import FindingOut

app = typer.Typer(no_args_is_help=True)


@app.command("report")
def period_report(
    start: Day,
    end: Day,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    english: Annotated[bool, typer.Option("--en", help="The English sentence")] = False,
) -> None:
    """The period report: communities inspected, problems rectified, companies summoned."""
    try:
        with console.unit_of_work() as session:
            found = report.period_report(
                session, actor=SYSTEM, start=day_of(start), end=day_of(end)
            )
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    typer.echo(found.text_en if english else found.text_zh)


@app.command("overdue")
def overdue(
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open problems past their rectification deadline (逾期未整改)."""
    with console.unit_of_work() as session:
        rows, _ = service.list_problems(
            session, actor=SYSTEM, page=PageParams(limit=limit), status=None, overdue=True
        )
        found = [FindingOut.model_validate(f).model_dump(mode="json") for f in rows]
    if as_json:
        console.print_json(found)
        return
    for f in found:
        typer.echo(f"{f['id']}\t{f['region_code']}\t{f['aspect']}\t{f['deadline_on']}\t{f['note']}")
