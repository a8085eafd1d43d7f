"""``fangkong arrivals accountability --date D [--xlsx FILE]``, ``figures --date D``,
``overdue --level L``, ``escalate`` and ``sweep-landing``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from fangkong.arrivals.screening import reports, service
from fangkong.arrivals.screening.schemas import Level
from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM

app = typer.Typer(no_args_is_help=True)
DateOption = Annotated[str | None, typer.Option("--date", help="Local day, YYYY-MM-DD (today)")]
RegionOption = Annotated[str | None, typer.Option("--region", help="Region code (the city)")]
JsonOption = Annotated[bool, typer.Option("--json", help="The whole answer as JSON")]


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        console.bad_input(f"--date {text!r}: expected YYYY-MM-DD")


def _region(text: str | None) -> str | None:
    if text is not None and not (text.isascii() and text.isdigit() and 2 <= len(text) <= 15):
        console.bad_input(f"--region {text!r}: expected 2 to 15 digits")
    return text


@app.command("accountability")
def accountability(
    day: DateOption = None, region: RegionOption = None, as_json: JsonOption = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write it as XLSX too")] = None,
) -> None:  # fmt: skip
    """The day's accountability report (问责通报) per district and street."""
    try:
        with console.unit_of_work() as session:
            report = reports.accountability(
                session, actor=SYSTEM, day=_day(day), region=_region(region)
            )
    except DomainError as exc:
        console.fail(exc)
    if xlsx is not None:
        xlsx.write_bytes(reports.accountability_xlsx(report, reports.HEADERS))
    if as_json:
        console.print_json(report.model_dump(mode="json"))
        return
    typer.echo(f"{report.date.isoformat()}  region  due  in_time  late  overdue  worst_h  grids")
    for r in report.rows:
        indent = "" if r.level == "district" else "  "
        typer.echo(f"{indent}{r.region_code} {r.name}  {r.due}  {r.in_time}  {r.late}  "
                   f"{r.overdue}  {r.worst_hours}  {' '.join(r.worst_grids)}")  # fmt: skip


@app.command("figures")
def figures(
    day: DateOption = None, region: RegionOption = None, as_json: JsonOption = False
) -> None:
    """The day's arrivals by channel and origin grade, landing tests and screenings."""
    try:
        with console.unit_of_work() as session:
            found = reports.figures(session, actor=SYSTEM, day=_day(day), region=_region(region))
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    typer.echo(f"{found.date.isoformat()} {found.region}: arrivals {found.trips}")
    typer.echo("by grade: " + ", ".join(f"{r.key} {r.count}" for r in found.trips_by_grade))
    typer.echo("by channel: " + ", ".join(f"{r.key} {r.count}" for r in found.reports_by_channel))
    typer.echo(f"landing tests: {found.landing_done}/{found.landing_tests} done, "
               f"{found.landing_in_time} within the hours")  # fmt: skip
    typer.echo(f"screenings: {found.screened}/{found.screenings} done, "
               f"{found.screened_in_time} in time")  # fmt: skip


@app.command("overdue")
def overdue(
    level: Annotated[Level, typer.Option("--level")] = Level.STREET,
    region: RegionOption = None, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Overdue screenings per region at a level, worst first."""
    try:
        with console.unit_of_work() as session:
            found = reports.overdue(session, actor=SYSTEM, level=level, region=_region(region))
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    typer.echo(f"overdue in all: {found.total}")
    for r in found.rows:
        typer.echo(f"{r.region_code} {r.name}  {r.overdue}  worst {r.worst_hours} h  "
                   f"street {r.at_street}  district {r.at_district}")  # fmt: skip


@app.command("escalate")
def escalate() -> None:
    """Escalate overdue screenings now (the hourly job's work)."""
    with console.unit_of_work() as session:
        out = service.escalate(session)
    typer.echo(f"to the street {out.street}, to the district {out.district}, "
               f"facts raised {out.facts_raised}")  # fmt: skip
