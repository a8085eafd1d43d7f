"""``fangkong testing sites list | create | queue`` and ``fangkong testing tubes show BARCODE``:
what an operator needs at a terminal. Bad input prints one line and exits 2."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.testing import barcodes
from fangkong.testing.sampling import service
from fangkong.testing.sampling.schemas import (
    QueueStatus,
    QueueUpdate,
    SiteCreate,
    SiteOut,
    TubeDetail,
)

app = typer.Typer(no_args_is_help=True)
sites = typer.Typer(help="Sampling sites (采样点).", no_args_is_help=True)
tubes = typer.Typer(help="Sampling tubes (采样管).", no_args_is_help=True)
app.add_typer(sites, name="sites")
app.add_typer(tubes, name="tubes")
MAX_LISTED = 500


def _invalid(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


@sites.command("list")
def list_sites(
    region: Annotated[str | None, typer.Option(help="Region-code prefix")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """Sampling sites (every district), with hours, capacity and queue."""
    if region is not None and not (region.isdigit() and 2 <= len(region) <= 15):
        console.bad_input("--region is 2 to 15 digits")
    with console.unit_of_work() as session:
        where = service.SiteFilter(region=region)
        page = PageParams(limit=MAX_LISTED)
        rows, _ = service.list_sites(session, actor=SYSTEM, page=page, where=where)
        found = [SiteOut.model_validate(site).model_dump(mode="json") for site in rows]
    if as_json:
        console.print_json(found)
        return
    for s in found:
        state = "active" if s["active"] else "inactive"
        typer.echo(
            f"{s['id']}\t{s['region_code']}\t{s['name']}\t{s['opens_at']}-{s['closes_at']}\t"
            f"{s['capacity_per_hour']}/h\t{s['queue_status']} {s['queue_length']}\t{state}"
        )


@sites.command("create")
def create_site(
    *,
    name: Annotated[str, typer.Option(help="Site name")],
    region: Annotated[str, typer.Option(help="Region code (6, 9, 12 or 15 digits)")],
    address: Annotated[str, typer.Option()] = "",
    opens: Annotated[str, typer.Option(help="Local HH:MM")] = "08:00",
    closes: Annotated[str, typer.Option(help="Local HH:MM")] = "20:00",
    capacity: Annotated[int, typer.Option(help="People sampled per hour")] = 300,
) -> None:
    """Create a sampling site; prints its id."""
    values: dict[str, Any] = {
        "name": name, "region_code": region, "address": address, "opens_at": opens,
        "closes_at": closes, "capacity_per_hour": capacity,
    }  # fmt: skip
    try:
        data = SiteCreate.model_validate(values)
    except ValidationError as exc:
        console.bad_input(_invalid(exc))
    try:
        with console.unit_of_work() as session:
            site_id = service.create_site(session, actor=SYSTEM, data=data).id
    except DomainError as exc:
        console.fail(exc)
    typer.echo(site_id)


@sites.command("queue")
def update_queue(
    site_id: Annotated[int, typer.Argument(min=1, max=2**31 - 1)],
    status: Annotated[QueueStatus, typer.Option()],
    length: Annotated[int, typer.Option(min=0, max=100_000)] = 0,
) -> None:
    """Report a site's queue (what the public board shows)."""
    try:
        with console.unit_of_work() as session:
            data = QueueUpdate(status=status, length=length)
            service.update_queue(session, actor=SYSTEM, site_id=site_id, data=data)
    except DomainError as exc:
        console.fail(exc)


@tubes.command("show")
def show_tube(
    barcode: Annotated[str, typer.Argument(help="The tube's barcode")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """A tube, its state and its members (masked)."""
    if not barcodes.is_valid(barcode.strip()):
        console.bad_input("testing.bad_barcode: not 8 to 24 digits with a valid check digit")
    try:
        with console.unit_of_work() as session:
            tube = service.tube_by_barcode(session, actor=SYSTEM, barcode=barcode)
            detail = TubeDetail.model_validate(tube, from_attributes=True)
            detail.members = service.members(session, tube)
            found = detail.model_dump(mode="json")
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(found)
        return
    typer.echo(
        f"{found['barcode']}\t{found['kind']} {found['member_count']}/{found['capacity']}\t"
        f"{found['status']}\t{found['purpose']}\tsite {found['site_id']}\t"
        f"result {found['result'] or '-'}"
    )
    for m in found["members"]:
        typer.echo(f"  {m['person_id']}\t{m['name']}\t{m['id_number']}\t{m['sampled_at']}")
