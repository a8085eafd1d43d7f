"""``fangkong testing results upload FILE --lab ID | template`` and
``fangkong testing labs list | create NAME --region CODE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.testing.results import importer, service
from fangkong.testing.results.schemas import LabCreate, UploadReport

app = typer.Typer(no_args_is_help=True)
results = typer.Typer(help="Lab results (检测结果).", no_args_is_help=True)
labs = typer.Typer(help="Labs (检测机构).", no_args_is_help=True)
app.add_typer(results, name="results")
app.add_typer(labs, name="labs")


@results.command("upload")
def upload(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: 条码, 检测结果, Ct值, 检测时间")],
    lab: Annotated[int, typer.Option("--lab", min=1, max=2**31 - 1, help="The lab's id")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Upload a lab's results; a re-sent file changes nothing, a conflicting line is flagged."""
    console.existing_file(file)
    report = console.bulk_write(
        lambda session: importer.upload_path(session, actor=SYSTEM, lab_id=lab, path=file),
        dry_run=dry_run,
    )
    _print(report, as_json=as_json, dry_run=dry_run)


def _print(report: UploadReport, *, as_json: bool, dry_run: bool) -> None:
    summary = (
        f"accepted {report.accepted} (negative {report.negative_tubes}, positive "
        f"{report.positive_tubes}), unchanged {report.unchanged}, conflicts {report.conflicts}, "
        f"rejected {report.rejected}, retest tasks {report.retest_tasks}"
        f"{' (dry run)' if dry_run else ''}"
    )
    console.print_report(report, summary, as_json=as_json)


@results.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The upload template with its Chinese headers and one example line."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")


@labs.command("list")
def list_labs() -> None:
    """Labs: id, region, name."""
    with console.unit_of_work() as session:
        found = [(lab.id, lab.region_code, lab.name, lab.active)
                 for lab in service.list_labs(session, actor=SYSTEM)]  # fmt: skip
    for lab_id, region, name, active in found:
        typer.echo(f"{lab_id}\t{region}\t{name}{'' if active else '  (inactive)'}")


@labs.command("create")
def create_lab(
    name: Annotated[str, typer.Argument()],
    region: Annotated[str, typer.Option("--region", help="The lab's region code")],
    address: Annotated[str, typer.Option("--address")] = "",
) -> None:
    """Register a lab; prints its id."""
    try:
        data = LabCreate(name=name, region_code=region, address=address)
    except ValueError as exc:
        console.bad_input(str(exc).splitlines()[0])
    try:
        with console.unit_of_work() as session:
            lab_id = service.create_lab(session, actor=SYSTEM, data=data).id
    except DomainError as exc:
        console.fail(exc)
    typer.echo(lab_id)
