"""``fangkong arrivals risk-areas import FILE | list | check | template``: the national
risk-area list from the command line (bad input: one line on stderr, exit 2)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from fangkong.arrivals.riskareas import importer, service
from fangkong.arrivals.riskareas.schemas import ImportReport
from fangkong.core import console
from fangkong.core.clock import LOCAL_TZ
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM

app = typer.Typer(no_args_is_help=True)
areas = typer.Typer(help="The national risk-area list (高/中/低风险区).", no_args_is_help=True)
app.add_typer(areas, name="risk-areas")
PAGE = 500


@areas.command("import")
def import_list(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON: 省, 市, 区县, 区域, 风险等级…")],
    mode: Annotated[Literal["snapshot", "changes"], typer.Option("--mode")] = "snapshot",
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD [HH:MM]")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import the list: a snapshot closes places absent from it; re-importing changes nothing."""
    console.existing_file(file)
    if console.is_terminal():
        typer.echo(f"reading {file} …", err=True)
    report = console.bulk_write(lambda session: importer.import_path(
        session, actor=SYSTEM, path=file, mode=mode, as_of=as_of))  # fmt: skip
    _print(report, as_json=as_json)
    if report.rejected:
        raise typer.Exit(console.EXIT_BAD_INPUT)


def _print(report: ImportReport, *, as_json: bool) -> None:
    written = "" if not report.rejected else " (nothing written: fix the refused rows)"
    summary = (
        f"rows {report.rows}: opened {report.opened}, changed {report.changed}, closed "
        f"{report.closed}, unchanged {report.unchanged}, rejected {report.rejected}{written}"
    )
    console.print_report(report, summary, as_json=as_json, place=True)


@areas.command("list")
def list_areas(
    grade: Annotated[Literal["high", "medium", "low"] | None, typer.Option("--grade")] = None,
    on: Annotated[str | None, typer.Option("--on", help="In force on this date or time")] = None,
) -> None:
    """Rows in force (now, or on a date): id, grade, place, area, from, to."""
    try:
        with console.unit_of_work() as session:
            start, end = service.window(on)
            where = service.Filter(start, end, grade)
            lines, cursor = [], None
            while True:
                found, cursor = service.list_areas(
                    session, where=where, page=PageParams(limit=PAGE, cursor=cursor)
                )
                lines += [_line(row) for row in found]
                if cursor is None:
                    break
            tally = service.counts(session, start=start, end=end)
    except DomainError as exc:
        console.fail(exc)
    for line in lines:
        typer.echo(line)
    typer.echo(f"high {tally.high}, medium {tally.medium}, low {tally.low}", err=True)


def _line(row: object) -> str:
    values = [getattr(row, name) for name in ("id", "grade", "county_code", "province", "city",
                                               "district", "area")]  # fmt: skip
    start, end = getattr(row, "effective_from"), getattr(row, "effective_to")  # noqa: B009
    period = f"{_local(start)}\t{_local(end)}"
    return "\t".join(str(v) for v in values) + "\t" + period


def _local(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


@areas.command("check")
def check(  # noqa: PLR0917 - a command's arguments
    province: Annotated[str, typer.Argument()],
    city: Annotated[str, typer.Argument()],
    district: Annotated[str, typer.Argument()],
    area: Annotated[str, typer.Argument()] = "",
    on: Annotated[str | None, typer.Option("--on", help="A date or a date and time")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Which grade the place had on a date (default now), the rows deciding it, its history."""
    try:
        with console.unit_of_work() as session:
            answer = service.check(session, province=province, city=city, district=district,
                                   area=area, on=on)  # fmt: skip
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(answer.model_dump(mode="json"))
        return
    affected = " (affected county)" if answer.affected_county else ""
    names = "".join(dict.fromkeys((answer.province, answer.city, answer.district)))
    typer.echo(f"{answer.county_code} {names}{answer.area}: {answer.grade}{affected}")
    for row in answer.deciding:
        typer.echo(f"  decided by #{row.id} {row.grade} {row.area or '(whole county)'}")
    for row in answer.history:
        period = f"{_local(row.effective_from)}\t{_local(row.effective_to) or '…'}"
        typer.echo(f"  #{row.id}\t{row.grade}\t{row.area or '(whole county)'}\t{period}")


@areas.command("template")
def template(
    file: Annotated[Path, typer.Argument(help="Write here (.csv or .xlsx)")],
) -> None:
    """The import template with its Chinese headers and one example row."""
    binary = file.suffix.lower() == ".xlsx"
    data = importer.template_xlsx() if binary else importer.template_csv()
    console.write_download(data, output=file, binary=binary)
