"""``fangkong supervision import-video-points FILE``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.principal import SYSTEM
from fangkong.supervision.companies.cli import print_import
from fangkong.supervision.video import importer

app = typer.Typer(no_args_is_help=True)


@app.command("import-video-points")
def import_points(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: 名称, 小区编号, 状态, 封控区编号")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, write nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import video points (视频监控点位); a known point (小区, 名称) gets the file's status."""
    console.existing_file(file)
    report = console.bulk_write(
        lambda session: importer.import_path(session, actor=SYSTEM, path=file), dry_run=dry_run
    )
    report.dry_run = dry_run
    print_import(report, as_json=as_json)
