"""``fangkong supervision import-communities FILE | lists --start D --end D``"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.supervision.companies import importer, service
from fangkong.supervision.companies.schemas import ImportReport

app = typer.Typer(no_args_is_help=True)
Day = Annotated[datetime, typer.Option(formats=["%Y-%m-%d"])]


def print_import(report: ImportReport, *, as_json: bool) -> None:
    summary = (f"inserted {report.inserted}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected)}{console.dry(report)}")  # fmt: skip
    console.print_rows_report(report, summary, as_json=as_json)


@app.command("import-communities")
def import_communities(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 名称, 区划代码, 地址, 物业企业信用代码")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import property-managed communities (物业小区); matched on (区划代码, 名称)."""
    console.existing_file(file)
    report = console.bulk_write(
        lambda session: importer.import_path(session, actor=SYSTEM, path=file), dry_run=dry_run
    )
    report.dry_run = dry_run
    print_import(report, as_json=as_json)


def day_of(value: datetime) -> date:
    return value.date()


@app.command("lists")
def red_and_black_lists(
    start: Day, end: Day, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """The red list (红榜) and black list (黑榜) of property companies for a period."""
    settings = console.settings()
    try:
        with console.unit_of_work() as session:
            found = service.lists(
                session, actor=SYSTEM, settings=settings, start=day_of(start), end=day_of(end)
            )
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    for title, companies in (("红榜 red list", found.red), ("黑榜 black list", found.black)):
        typer.echo(title)
        for c in companies:
            typer.echo(f"  {c.id}\t{c.name}\t{c.credit_score}\t{c.problems}\t{c.unrectified}")
