"""``fangkong scans ingest FILE [--format csv|ndjson] [--json]``"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO, Annotated, Literal

import typer
from sqlalchemy.orm import Session

from fangkong.core import clock, console, i18n
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.scans import ingest
from fangkong.scans.schemas import IngestReport

app = typer.Typer(help="Scans and check-ins (扫码).", no_args_is_help=True)
TERMINAL_REJECTED = 50
STDIN = Path("-")


@app.command("ingest")
def ingest_file(
    file: Annotated[Path, typer.Argument(help="CSV or NDJSON scans; - for stdin")],
    file_format: Annotated[
        Literal["csv", "ndjson"] | None,
        typer.Option("--format", help="Default: from the file's extension"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Ingest scans from offline scanners; every refused row is listed; a re-send adds nothing."""
    if file != STDIN and not file.is_file():
        console.bad_input(f"{file}: no such file")
    started = time.perf_counter()
    try:
        fmt = ingest.detect_format(file.name, file_format)
        with console.unit_of_work() as session:
            if file == STDIN:
                report = _ingest(session, sys.stdin, fmt)
            else:
                with file.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
                    report = _ingest(session, stream, fmt)
    except DomainError as exc:
        console.fail(exc)
    except OSError as exc:
        console.bad_input(f"{file}: {exc.strerror}")
    _print_report(report, as_json=as_json, seconds=time.perf_counter() - started)


def _ingest(session: Session, stream: IO[str], fmt: ingest.Format) -> IngestReport:
    settings = console.settings()
    return ingest.ingest(session, settings, actor=SYSTEM, stream=stream, fmt=fmt, now=clock.now())


def _print_report(report: IngestReport, *, as_json: bool, seconds: float) -> None:
    locale = console.cli_locale()
    for rejected in report.rejected_rows:
        rejected.message = i18n.gettext(locale, rejected.message)
    if as_json:
        console.print_json(report.model_dump())
        return
    for row in report.rejected_rows[:TERMINAL_REJECTED]:
        typer.echo(f"line {row.line}: {row.code}: {row.message}", err=True)
    hidden = report.rejected - TERMINAL_REJECTED
    if hidden > 0:
        typer.echo(f"... and {hidden} more rejected rows (--json lists them)", err=True)
    typer.echo(
        f"accepted {report.accepted}, duplicates {report.duplicates}, "
        f"rejected {report.rejected} in {seconds:.1f} s"
    )
