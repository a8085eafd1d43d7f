"""``fangkong exports list|run|request``: the exports of the city, a worker that writes the
queued ones (``run``, or ``run --once``), and an export asked from the command line (written
at once by this process). Bad input (a kind or format that does not exist) exits 2."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.exports import runner, service
from fangkong.exports.schemas import ExportCreate

app = typer.Typer(help="Exports (导出) of lists to XLSX and CSV files.", no_args_is_help=True)
MAX_LISTED = 200
POLL_SECONDS = 2.0


@app.command("list")
def list_exports(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """The latest exports of every user, newest first."""
    with console.unit_of_work() as session:
        rows = service.latest(session, limit=MAX_LISTED)
        found = [
            {
                "id": e.id,
                "kind": e.kind,
                "format": e.format,
                "status": e.status,
                "rows_done": e.rows_done,
                "rows_total": e.rows_total,
                "requested_by": e.requested_by,
                "region_code": e.region_code,
                "file": e.file_name,
            }
            for e in rows
        ]
    if as_json:
        console.print_json(found)
        return
    for e in found:
        typer.echo(
            f"{e['id']}\t{e['kind']}\t{e['format']}\t{e['status']}\t"
            f"{e['rows_done']}/{e['rows_total']}\t{e['region_code']}\t{e['file'] or ''}"
        )


@app.command("run")
def run(
    once: Annotated[
        bool, typer.Option("--once", help="Write what is queued now, then stop")
    ] = False,
) -> None:
    """Write queued exports (a worker for deployments without the web process's thread)."""
    db, settings = console.database(), console.settings()
    while True:
        for export_id, status in runner.run_queued(db, settings):
            typer.echo(f"{export_id}\t{status}")
        if once:
            return
        time.sleep(POLL_SECONDS)


@app.command("request")
def request(
    kind: Annotated[str, typer.Argument(help="The list: people")],
    file_format: Annotated[str, typer.Option("--format", help="xlsx | csv")] = "xlsx",
    region: Annotated[str | None, typer.Option(help="Only this region (code prefix)")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Name starts with")] = None,
    key_group: Annotated[str | None, typer.Option("--key-group", help="Key group")] = None,
) -> None:
    """Export a list as the operator (the whole city, or --region), and write it now."""
    try:
        data = ExportCreate.model_validate(
            {
                "kind": kind,
                "format": file_format,
                "params": {"region": region, "q": q, "key_group": key_group},
            }
        )
    except ValidationError as exc:
        console.bad_input(f"export.invalid: {exc.errors()[0]['loc'][-1]} is not valid")
    actor = service.operator(region)
    settings = console.settings()
    try:
        with console.unit_of_work() as session:
            export_id = service.request_export(session, settings, actor=actor, data=data).id
    except DomainError as exc:
        console.fail(exc)
    status = runner.run(console.database(), settings, export_id)
    _report(export_id, status)


def _report(export_id: int, status: str | None) -> None:
    settings = console.settings()
    with console.unit_of_work() as session:
        export = service.get_any(session, export_id)
        if export.status != "ready":
            typer.echo(f"export {export_id}: {status or export.status}: {export.error}", err=True)
            raise typer.Exit(console.EXIT_FAILURE)
        typer.echo(f"{export_id}\t{export.rows_done} rows\t{service.file_path(settings, export)}")
