"""``fangkong sentinel``: register sites, import visits and sales, daily counts, alerts,
and the sweep that ends four-drug marks once registration is abolished."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from fangkong.core import clock, console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.sentinel import imports, service, surveillance
from fangkong.sentinel.schemas import ImportReport, SiteIn, SiteKind

app = typer.Typer(
    no_args_is_help=True, help="Sentinels: fever-clinic visits and four-drug sales (哨点监测)."
)
DayOption = Annotated[str | None, typer.Option("--on", help="Local day YYYY-MM-DD (today)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check every row, write nothing")]


def _day(text: str | None) -> date:
    if text is None:
        return clock.local_today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.bad_input(f"--on {text!r}: expected a date YYYY-MM-DD")


@app.command("register-site")
def register_site(
    venue_id: Annotated[int, typer.Argument(min=1, max=2**31 - 1)],
    kind: Annotated[SiteKind, typer.Option("--kind")],
) -> None:
    """Register a venue as a fever clinic (a hospital) or a pharmacy (a shop)."""
    try:
        with console.unit_of_work() as session:
            site = service.register_site(
                session, actor=SYSTEM, data=SiteIn(venue_id=venue_id, kind=kind)
            )
    except DomainError as exc:
        console.fail(exc)
    typer.echo(f"registered {site.venue_id} {site.name} as {site.kind.value}")


def _print_import(report: ImportReport, *, as_json: bool) -> None:
    dry = " (dry run)" if report.dry_run else ""
    summary = (
        f"accepted {report.accepted}, marked {report.marked}, "
        f"rejected {len(report.rejected_lines)}{dry}"
    )
    console.print_report(report, summary, as_json=as_json)


@app.command("import-visits")
def import_visits(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: 场所编号, 身份证号, 就诊时间, ...")],
    dry_run: DryRun = False,
    as_json: JsonOption = False,
) -> None:
    """Import fever-clinic visits; each refused row is listed with its reason."""
    console.existing_file(file)
    settings = console.settings()
    report = console.bulk_write(
        lambda s: imports.import_visits(s, settings, actor=SYSTEM, path=file), dry_run=dry_run
    )
    report.dry_run = dry_run
    _print_import(report, as_json=as_json)


@app.command("import-sales")
def import_sales(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: 场所编号, 身份证号, 药品类别, ...")],
    dry_run: DryRun = False,
    as_json: JsonOption = False,
) -> None:
    """Import four-drug sales (refused whole while registration is not in force)."""
    console.existing_file(file)
    settings = console.settings()
    report = console.bulk_write(
        lambda s: imports.import_sales(s, settings, actor=SYSTEM, path=file), dry_run=dry_run
    )
    report.dry_run = dry_run
    _print_import(report, as_json=as_json)


@app.command("counts")
def counts(on: DayOption = None, as_json: JsonOption = False) -> None:
    """Fever-clinic visits of one day by clinic and by district."""
    day = _day(on)
    with console.unit_of_work() as session:
        result = surveillance.daily_counts(session, actor=SYSTEM, day=day)
    if as_json:
        console.print_json(result.model_dump(mode="json"))
        return
    typer.echo(f"{day.isoformat()} by district")
    for row in result.by_district:
        typer.echo(f"  {row.key} {row.name}: {row.visits} visits, {row.nat_taken} NAT")
    typer.echo("by clinic")
    for row in result.by_clinic:
        typer.echo(f"  {row.key} {row.name}: {row.visits} visits, {row.nat_taken} NAT")


@app.command("alerts")
def alerts(
    on: DayOption = None,
    compute: Annotated[bool, typer.Option("--compute", help="Recompute the day first")] = False,
    as_json: JsonOption = False,
) -> None:
    """District alerts of one day (visits above the edition's factor × baseline)."""
    day, settings = _day(on), console.settings()
    with console.unit_of_work() as session:
        if compute:
            edition = service.edition(session, settings)
            surveillance.compute_alerts(session, edition=edition, day=day)
        rows, _ = surveillance.list_alerts(
            session, actor=SYSTEM, day=day, page=PageParams(limit=500)
        )
        found = [(a.district_code, a.visits, a.baseline, a.factor) for a in rows]
    if as_json:
        keys = ("district_code", "visits", "baseline", "factor")
        console.print_json([dict(zip(keys, row, strict=True)) for row in found])
        return
    for district, visits, baseline, factor in found:
        typer.echo(f"{day.isoformat()} {district}: {visits} visits > {factor} x {baseline}")
    typer.echo(f"{len(found)} alert(s)")
