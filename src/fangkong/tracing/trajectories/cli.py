"""``fangkong tracing travel import FILE`` (a carrier's passenger list, with a progress bar and
a summary) and ``fangkong tracing travel template``."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.tracing.trajectories import importer
from fangkong.tracing.trajectories.schemas import TravelImportReport

app = typer.Typer(no_args_is_help=True)
travel = typer.Typer(no_args_is_help=True, help="Carriers' passenger lists (乘客名单).")
app.add_typer(travel, name="travel")


def _count(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


@travel.command("import")
def import_list(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 交通方式, 班次/车次, 日期, 座位, 证件号码…")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import a passenger list; the same file again changes nothing."""
    if not file.is_file():
        console.bad_input(f"{file}: no such file")
    total = _count(file) if console.is_terminal() and not as_json else None
    bar: Any = (typer.progressbar(length=total, label="rows", file=sys.stderr)
                if total else nullcontext(None))  # fmt: skip
    try:
        with bar as progress, console.unit_of_work() as session:
            report = importer.import_path(
                session, console.settings(), actor=SYSTEM, path=file,
                progress=progress.update if progress is not None else None,
            )  # fmt: skip
            if dry_run:
                session.rollback()
    except DomainError as exc:
        console.fail(exc)
    _print(report, as_json=as_json, dry_run=dry_run)


def _print(report: TravelImportReport, *, as_json: bool, dry_run: bool) -> None:
    summary = (
        f"rows {report.rows}: accepted {report.accepted} (matched {report.matched}, unmatched "
        f"{report.unmatched}), unchanged {report.unchanged}, rejected {report.rejected}"
        f"{' (dry run)' if dry_run else ''}"
    )
    console.print_report(report, summary, as_json=as_json)


@travel.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The passenger-list template with its Chinese headers and one example row."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")
