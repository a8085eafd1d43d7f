"""``fangkong exports list|run|request``: the exports of the city, a worker that writes the
queued ones (``run``, or ``run --once``), and an export asked from the command line (written
at once by this process). Bad input (a kind or format that does not exist) exits 2."""

from __future__ import annotations

import re
import time
from typing import Annotated, Any, get_origin

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.exports import kinds, runner, service
from fangkong.exports.filters import FILTERS
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


KindArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[KIND]", help="The list: " + ", ".join(kinds.names()), show_default=False
    ),
]
FilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--filter", help="A filter of the list, NAME=VALUE (repeatable), e.g. status=active"
    ),
]


@app.command("request")
def request(
    kind: KindArgument = None,
    *,
    kind_option: Annotated[str | None, typer.Option("--kind", help="The list (or KIND)")] = None,
    file_format: Annotated[str, typer.Option("--format", help="xlsx | csv")] = "xlsx",
    region: Annotated[str | None, typer.Option(help="Only this region (code prefix)")] = None,
    q: Annotated[str | None, typer.Option("--q", help="people: name starts with")] = None,
    key_group: Annotated[str | None, typer.Option("--key-group", help="people: key group")] = None,
    filters: FilterOption = None,
) -> None:
    """Export a list as the operator (the whole city, or --region), and write it now; the list's
    filters are those of its API (``--filter status=active --filter district=230102``)."""
    name = kind_option or kind or ""
    if region is not None and not re.fullmatch(REGION_PREFIX_PATTERN, region):
        console.bad_input("export.invalid: region is not valid")
    extra = {"q": q, "key_group": key_group, "region": region}
    data = _create(name, file_format, _filter_pairs(filters or []), extra)
    actor = service.operator(region)
    settings = console.settings()
    try:
        with console.unit_of_work() as session:
            export_id = service.request_export(session, settings, actor=actor, data=data).id
    except DomainError as exc:
        console.fail(exc)
    status = runner.run(console.database(), settings, export_id)
    _report(export_id, status)


def _filter_pairs(pairs: list[str]) -> list[tuple[str, str]]:
    found = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            console.bad_input("export.invalid: --filter takes NAME=VALUE")
        found.append((name.strip(), value.strip()))
    return found


def _create(
    name: str, file_format: str, pairs: list[tuple[str, str]], extra: dict[str, str | None]
) -> ExportCreate:
    """The request, its filters shaped for the kind's model (a list field takes every value
    of its name); the people options and a --region the kind filters on are filters too."""
    model = FILTERS.get(name)
    fields = model.model_fields if model else {}
    # --region scopes the operator everywhere, and filters the lists that take a region; the
    # people options (--q, --key-group) given for another list are refused as filters.
    params: dict[str, Any] = {
        k: v for k, v in extra.items() if v is not None and (k != "region" or k in fields)
    }
    for key, value in pairs:
        if get_origin(fields[key].annotation if key in fields else None) is list:
            params.setdefault(key, []).append(value)
        else:
            params[key] = value
    try:
        return ExportCreate.model_validate({"kind": name, "format": file_format, "params": params})
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        console.bad_input(f"export.invalid: {loc[-1] if loc else 'params'} is not valid")


def _report(export_id: int, status: str | None) -> None:
    settings = console.settings()
    with console.unit_of_work() as session:
        export = service.get_any(session, export_id)
        if export.status != "ready":
            typer.echo(f"export {export_id}: {status or export.status}: {export.error}", err=True)
            raise typer.Exit(console.EXIT_FAILURE)
        typer.echo(f"{export_id}\t{export.rows_done} rows\t{service.file_path(settings, export)}")
