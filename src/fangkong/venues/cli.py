"""``fangkong venues import FILE | list | poster ID --out FILE.svg|.png | template |
close ID --reason TEXT [--until ISO] | reopen ID [--note TEXT]``"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.policy.types import VenueType
from fangkong.venues import importer, placecode, service
from fangkong.venues.schemas import ClosureIn, ReopenIn

app = typer.Typer(help="Venues and place codes (场所, 场所码).", no_args_is_help=True)
INSTRUCTION = "请使用手机扫码登记"
INSTRUCTION_EN = "Scan with your phone to check in"


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with 名称, 类型, 区划代码, 地址")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON")] = False,
) -> None:
    """Import venues; a venue is matched on (区划代码, 名称), so a re-import changes nothing."""
    console.existing_file(file)
    report = console.bulk_write(
        lambda session: importer.import_path(session, actor=SYSTEM, path=file), dry_run=dry_run
    )
    report.dry_run = dry_run
    console.print_rows_report(report, f"inserted {report.inserted}, updated {report.updated}, "
                              f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
                              f"{console.dry(report)}", as_json=as_json)  # fmt: skip


@app.command("template")
def template(
    file_format: Annotated[Literal["csv", "xlsx"], typer.Option("--format")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="Write here")] = None,
) -> None:
    """The import template with its Chinese headers and one example row."""
    data = importer.template_csv() if file_format == "csv" else importer.template_xlsx()
    console.write_download(data, output=output, binary=file_format == "xlsx")


@app.command("list")
def list_venues(
    region: Annotated[str | None, typer.Option(help="Region-code prefix")] = None,
    venue_type: Annotated[VenueType | None, typer.Option("--type")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Venues, first ``limit`` by id: id, type, region, name, active, place code URL."""
    if region is not None and not (region.isascii() and region.isdigit() and len(region) <= 15):
        console.bad_input("--region must be a region-code prefix (digits)")
    where = service.VenueFilter(type=venue_type.value if venue_type else None, region=region)
    settings = console.settings()
    with console.unit_of_work() as session:
        rows, _ = service.list_venues(
            session, actor=SYSTEM, page=PageParams(limit=limit), where=where
        )
        found = [
            {
                "id": v.id,
                "type": v.type,
                "region_code": v.region_code,
                "name": v.name,
                "active": v.active,
                "place_code_url": service.place_code(settings, v)[1],
            }
            for v in rows
        ]
    if as_json:
        console.print_json(found)
        return
    for v in found:
        state = "" if v["active"] else "  (inactive)"
        typer.echo(f"{v['id']}\t{v['type']}\t{v['region_code']}\t{v['name']}{state}")


@app.command("poster")
def poster(
    venue_id: Annotated[int, typer.Argument(min=1, max=2**31 - 1)],
    out: Annotated[Path, typer.Option("--out", help="FILE.svg (A4 poster) or FILE.png (the QR)")],
) -> None:
    """Write the venue's place code: an A4 SVG poster, or the QR alone as PNG."""
    suffix = out.suffix.lower()
    if suffix not in {".svg", ".png"}:
        console.bad_input("--out must end in .svg or .png")
    settings = console.settings()
    try:
        with console.unit_of_work() as session:
            venue = service.get_venue(session, actor=SYSTEM, venue_id=venue_id)
            name, url = venue.name, service.place_code(settings, venue)[1]
    except DomainError as exc:
        console.fail(exc)
    if suffix == ".png":
        data = placecode.qr_png(url)
    else:
        data = placecode.poster_svg(name, url, INSTRUCTION, INSTRUCTION_EN)
    try:
        out.write_bytes(data)
    except OSError as exc:
        console.bad_input(f"{out}: {exc.strerror}")
    typer.echo(f"wrote {out}", err=True)


VenueId = Annotated[int, typer.Argument(min=1, max=2**31 - 1)]


@app.command("close")
def close(
    venue_id: VenueId,
    reason: Annotated[str, typer.Option(help="Why, e.g. 病例活动轨迹涉及 终末消毒")],
    until: Annotated[
        str | None, typer.Option(help="ISO 8601 instant with its offset; none: until reopened")
    ] = None,
) -> None:
    """Close a venue now (暂停营业): its check-ins are refused until it reopens."""
    ends = _instant(until) if until else None
    data = console.validated(ClosureIn, {"reason": reason, "until": ends})
    try:
        with console.unit_of_work() as session:
            closure = service.close_venue(session, actor=SYSTEM, venue_id=venue_id, data=data)
            shown = f"venue {venue_id} closed from {closure.starts_at:%Y-%m-%d %H:%M %z}"
    except DomainError as exc:
        console.fail(exc)
    typer.echo(shown + (f" until {ends.isoformat()}" if ends else " until reopened"))


@app.command("reopen")
def reopen(
    venue_id: VenueId,
    note: Annotated[str, typer.Option(help="Why it reopens (optional)")] = "",
) -> None:
    """Reopen a closed venue now."""
    data = console.validated(ReopenIn, {"note": note})
    try:
        with console.unit_of_work() as session:
            service.reopen_venue(session, actor=SYSTEM, venue_id=venue_id, data=data)
    except DomainError as exc:
        console.fail(exc)
    typer.echo(f"venue {venue_id} reopened")


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        console.bad_input(f"--until must be an ISO 8601 instant, not {text!r}")
    if moment.tzinfo is None:
        console.bad_input("--until needs its offset, e.g. 2022-11-20T06:00+08:00")
    return moment
