"""``fangkong regions ...``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.principal import SYSTEM
from fangkong.core.tabular import read_file
from fangkong.regions import service

app = typer.Typer(help="Regions: the tree and its import (区划).", no_args_is_help=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument()],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import streets, communities and grids from CSV or XLSX: code,name,level,parent_code."""
    # Checked here, not with Argument(exists=True): typer's parameter error escapes
    # ``fangkong.cli.main`` as a traceback with exit 1 instead of one line and exit 2.
    console.existing_file(file)
    report = console.bulk_write(lambda session: service.import_regions(
        session, actor=SYSTEM, rows=read_file(file, service.IMPORT_COLUMNS, service.IMPORT_REQUIRED)
    ), dry_run=dry_run)  # fmt: skip
    summary = (f"created {report.created}, renamed {report.updated}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected)}{' (dry run)' if dry_run else ''}")  # fmt: skip
    console.print_rows_report(report, summary, as_json=as_json)
