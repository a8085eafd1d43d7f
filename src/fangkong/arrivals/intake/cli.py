"""``fangkong arrivals import FILE`` (a pushed list, with a progress bar and a summary) and
``fangkong arrivals import-template``."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from fangkong.arrivals.intake import importer
from fangkong.arrivals.intake.schemas import ImportReport
from fangkong.core import console
from fangkong.core.principal import SYSTEM

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_list(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 身份证号/手机号, 来源省市区县, 抵达时间")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import a pushed list of arrivals (大数据推送); the same file again changes nothing."""
    console.existing_file(file)
    total = importer.count_rows(file) if console.is_terminal() and not as_json else None
    bar: Any = (typer.progressbar(length=total, label="rows", file=sys.stderr)
                if total else nullcontext(None))  # fmt: skip
    with bar as progress:
        report = console.bulk_write(lambda session: importer.import_path(
            session, console.settings(), actor=SYSTEM, path=file,
            progress=progress.update if progress is not None else None, in_child=True,
            child_reads=True,
        ), dry_run=dry_run)  # fmt: skip
    _print(report, as_json=as_json, dry_run=dry_run)


def _print(report: ImportReport, *, as_json: bool, dry_run: bool) -> None:
    summary = (
        f"rows {report.rows}: accepted {report.accepted} (matched {report.matched}, unmatched "
        f"{report.unmatched}), unchanged {report.unchanged}, rejected {report.rejected}; trips "
        f"new {report.trips_new}, merged {report.trips_merged}"
        f"{' (dry run)' if dry_run else ''}"
    )
    console.print_report(report, summary, as_json=as_json)


@app.command("import-template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The pushed-list template with its Chinese headers and one example row."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")
