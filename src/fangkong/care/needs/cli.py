"""``fangkong care needs import FILE [--dry-run] [--json] | template``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from fangkong.care import import_command
from fangkong.care.needs import importer
from fangkong.core import console

app = typer.Typer(no_args_is_help=True)
needs = typer.Typer(help="Care needs (卧床、透析): import and template.", no_args_is_help=True)
app.add_typer(needs, name="needs")


@needs.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX with 证件号码 or 人员编号, 卧床, 透析, 备注")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import residents' care needs; each row replaces the resident's needs."""
    import_command.run(importer.import_path, file, dry_run=dry_run, as_json=as_json)


@needs.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The import template with its Chinese headers and one example row."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")
