"""``fangkong people import FILE | template | rotate-key | recount``"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session

from fangkong.config import decode_key
from fangkong.core import clock, console, i18n
from fangkong.core.principal import SYSTEM
from fangkong.people import importer, keys
from fangkong.people.import_schemas import ImportReport
from fangkong.people.protect import Protector

app = typer.Typer(
    help="People: import, template, key rotation, counts (人员).", no_args_is_help=True
)
TERMINAL_REJECTED = 50
STDIN = Path("-")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX (see `people template`); - for stdin")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import or update people from the template's CSV or XLSX; every refused row is listed."""
    if file != STDIN and not file.is_file():
        console.bad_input(f"{file}: no such file")
    protector = Protector(console.settings().data_key_bytes)
    with _progress(file) as progress:
        report = console.bulk_write(
            lambda session: _import(session, file, protector, progress), dry_run=dry_run
        )
    _print_report(report, as_json=as_json, dry_run=dry_run)


def _import(
    session: Session, file: Path, protector: Protector, progress: Callable[[int], None] | None
) -> ImportReport:
    today = clock.local_today()
    if file == STDIN:
        return importer.import_stream(
            session, actor=SYSTEM, protector=protector, today=today, progress=progress
        )
    return importer.import_path(
        session, actor=SYSTEM, protector=protector, path=file, today=today, progress=progress
    )


@contextmanager
def _progress(file: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal; rows counted from the file's lines."""
    if not console.is_terminal():
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True)) as bar:
        task = bar.add_task("import", total=_estimated_rows(file))
        yield lambda rows: bar.advance(task, rows)


def _estimated_rows(file: Path) -> int | None:
    if file == STDIN or file.suffix.lower() == ".xlsx":
        return None
    lines = 0
    with file.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _print_report(report: ImportReport, *, as_json: bool, dry_run: bool) -> None:
    locale = console.cli_locale()
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    if as_json:
        console.print_json(report.model_dump() | {"dry_run": dry_run})
        return
    for r in report.rejected[:TERMINAL_REJECTED]:
        typer.echo(f"row {r.row}: {r.code}: {r.message}", err=True)
    hidden = len(report.rejected) - TERMINAL_REJECTED
    if hidden > 0:
        typer.echo(f"... and {hidden} more rejected rows (--json lists them all)", err=True)
    typer.echo(
        f"inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {len(report.rejected)}, flagged {report.flagged_duplicates} likely duplicates"
        f" in {report.seconds:.1f} s{' (dry run)' if dry_run else ''}"
    )


@app.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write here, not to stdout")
    ] = None,
) -> None:
    """The import template: Chinese headers and one synthetic example row (XLSX: and 说明)."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")


@app.command("rotate-key")
def rotate_key(
    new_key_stdin: Annotated[
        bool, typer.Option("--new-key-stdin", help="Read the new key from standard input")
    ] = False,
) -> None:
    """Re-encrypt every ID number, phone and TOTP secret under a new FANGKONG_DATA_KEY."""
    if not new_key_stdin:
        console.bad_input("give the new key on standard input with --new-key-stdin")
    try:
        new_key = decode_key(sys.stdin.readline().strip())
    except ValueError as exc:
        console.bad_input(f"the new key is not valid: {exc}")
    old_key = console.settings().data_key_bytes
    if new_key == old_key:
        console.bad_input("the new key is the current FANGKONG_DATA_KEY")
    try:
        with console.unit_of_work() as session:
            people = keys.rotate_key(session, old=Protector(old_key), new=Protector(new_key))
    except keys.KeyRotationFailed as exc:
        typer.echo(f"error: rotation failed, nothing changed: {exc}", err=True)
        raise typer.Exit(console.EXIT_FAILURE) from None
    typer.echo(f"re-encrypted {people} people and the TOTP secrets under the new key")
    typer.echo(
        "now set FANGKONG_DATA_KEY to the new key and restart the server and the worker; "
        "the old key no longer opens anything"
    )


@app.command("recount")
def recount() -> None:
    """Recompute the seven counts of every grid from the people tables."""
    with console.unit_of_work() as session:
        grids = importer.recount_all(session)
    typer.echo(f"recounted {grids} grids")
