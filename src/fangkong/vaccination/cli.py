"""``fangkong vaccination import FILE | template | vaccine-add | coverage | recount | outreach``"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.people.protect import Protector
from fangkong.vaccination import importer, service
from fangkong.vaccination.schemas import Coverage, VaccineCreate

app = typer.Typer(
    no_args_is_help=True,
    help="Vaccination: doses, coverage, booster due, outreach lists (疫苗接种).",
)


def _region(value: str | None, option: str) -> str | None:
    if value is not None and not (value.isascii() and value.isdigit() and 2 <= len(value) <= 15):
        console.bad_input(f"{option} must be a region-code prefix (2 to 15 digits)")
    return value


def _day(value: str | None) -> date:
    if value is None:
        return service.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        console.bad_input("--on must be a date YYYY-MM-DD")


@app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 身份证号, 疫苗, 剂次, 接种日期, 接种点, 批号")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import doses; every refused row is reported with its line and reason."""
    console.existing_file(file)
    protector = Protector(console.settings().data_key_bytes)
    report = console.bulk_write(
        lambda session: importer.import_path(session, actor=SYSTEM, protector=protector, path=file),
        dry_run=dry_run,
    )
    report.dry_run = dry_run
    console.print_rows_report(report, f"inserted {report.inserted}, rejected {len(report.rejected)}"
                              f"{console.dry(report)}", as_json=as_json)  # fmt: skip


@app.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The dose import template with its Chinese headers and one example row."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")


@app.command("vaccine-add")
def vaccine_add(
    code: Annotated[str, typer.Argument(help="Product code, e.g. INACT-VERO")],
    name: Annotated[str, typer.Argument(help="Product name")],
    series_doses: Annotated[int, typer.Option("--series-doses", min=1, max=5)] = 2,
) -> None:
    """Register a vaccine product and the length of its primary series (基础免疫剂次)."""
    try:
        data = VaccineCreate(code=code, name=name, series_doses=series_doses)
    except ValidationError:
        console.bad_input(
            "the code is 1 to 32 letters, digits, - or _; the name 1 to 100 characters"
        )
    try:
        with console.unit_of_work() as session:
            vaccine = service.create_vaccine(session, actor=SYSTEM, data=data)
            typer.echo(f"{vaccine.id}\t{vaccine.code}\t{vaccine.name}\t{vaccine.series_doses}")
    except DomainError as exc:
        console.fail(exc)


@app.command("coverage")
def coverage(
    region: Annotated[str | None, typer.Option("--region", help="Region-code prefix")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Ages as of YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Coverage by district × age band × dose."""
    scope, day = _region(region, "--region"), _day(on)
    with console.unit_of_work() as session:
        report = service.coverage(session, actor=SYSTEM, region=scope, on=day)
    if as_json:
        console.print_json(report.model_dump(mode="json"))
        return
    _print_coverage(report)


def _print_coverage(report: Coverage) -> None:
    typer.echo("district\tband\tpopulation\tdose1\tdose2\tdose3\tcomplete\tboosted")
    for c in report.cells:
        doses = "\t".join(str(c.by_dose[n]) for n in (1, 2, 3))
        typer.echo(f"{c.district}\t{c.band}\t{c.population}\t{doses}\t{c.complete}\t{c.boosted}")


@app.command("recount")
def recount(
    on: Annotated[str | None, typer.Option("--on", help="Count ages as of YYYY-MM-DD")] = None,
) -> None:
    """Rebuild the coverage counts (nightly job vaccination.recount; run after big imports)."""
    day = _day(on)
    with console.unit_of_work() as session:
        service.recount(session, actor=SYSTEM, on=day)
    typer.echo(f"counted {day.isoformat()}")


@app.command("outreach")
def outreach(
    grid: Annotated[str, typer.Option("--grid", help="Grid (or a region-code prefix)")],
    reason: Annotated[
        Literal["incomplete", "booster_due", "unvaccinated"] | None, typer.Option("--reason")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Booster due as of YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 500,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """People of the grid to visit: never vaccinated, series incomplete, booster due (masked)."""
    scope = _region(grid, "--grid") or grid
    where = service.OutreachFilter(grid=scope, on=_day(on), reason=reason)
    with console.unit_of_work() as session:
        rows, _ = service.outreach(session, actor=SYSTEM, where=where, after=None, limit=limit)
    if as_json:
        console.print_json([r.model_dump(mode="json") for r in rows])
        return
    for r in rows:
        due = r.booster_due_on.isoformat() if r.booster_due_on else ""
        typer.echo(
            f"{r.person_id}\t{r.grid_code}\t{r.name}\t{r.id_number}\t{r.reason}\t{r.doses}\t{due}"
        )
