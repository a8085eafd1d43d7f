"""``fangkong quarantine sites list|add`` and ``fangkong quarantine rooms add SITE 801-830
--beds 2``. Bad input prints one line and exits 2."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.quarantine.sites import service
from fangkong.quarantine.sites.schemas import RoomsCreate, SiteCreate

app = typer.Typer(no_args_is_help=True)
sites = typer.Typer(help="Isolation sites (隔离点).", no_args_is_help=True)
rooms = typer.Typer(help="Rooms of an isolation site.", no_args_is_help=True)
app.add_typer(sites, name="sites")
app.add_typer(rooms, name="rooms")
MAX_LISTED = 500


@sites.command("list")
def list_sites(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """Sites of the city with beds, occupied, free and waiting."""
    with console.unit_of_work() as session:
        rows, _ = service.list_sites(
            session, actor=SYSTEM, page=PageParams(limit=MAX_LISTED), where=service.SiteFilter()
        )
        found = [s.model_dump(mode="json") for s in rows]
    if as_json:
        console.print_json(found)
        return
    for s in found:
        o = s["occupancy"]
        typer.echo(
            f"{s['id']}\t{s['kind']}\t{s['region_code']}\t{s['name']}\t"
            f"{o['beds']} beds\t{o['occupied']} occupied\t{o['free']} free"
        )


@sites.command("add")
def add_site(
    name: Annotated[str, typer.Argument(help="The site's name")],
    region: Annotated[str, typer.Option(help="Region code where it lies")],
    kind: Annotated[str, typer.Option(help="hotel | facility | cabin")] = "hotel",
    address: Annotated[str, typer.Option(help="Address")] = "",
    phone: Annotated[str, typer.Option(help="Duty phone")] = "",
) -> None:
    """Create an isolation site."""
    try:
        data = SiteCreate(name=name, kind=kind, region_code=region, address=address, phone=phone)
    except ValidationError as exc:
        console.bad_input(f"quarantine.site_invalid: {exc.errors()[0]['loc'][0]} is not valid")
    try:
        with console.unit_of_work() as session:
            site = service.create_site(session, actor=SYSTEM, data=data)
            site_id = site.id
    except DomainError as exc:
        console.bad_input(f"{exc.code}: {exc.title}")
    typer.echo(f"site {site_id}")


@rooms.command("add")
def add_rooms(
    site: Annotated[int, typer.Argument(help="The site's id")],
    numbers: Annotated[str, typer.Argument(help='Room numbers: "801-830" or "801-830,901"')],
    beds: Annotated[int, typer.Option(help="Beds per room (1 to 20)")] = 1,
) -> None:
    """Add rooms to a site in bulk."""
    try:
        data = RoomsCreate(numbers=numbers, beds=beds)
    except ValidationError:
        console.bad_input("quarantine.bad_room_numbers: give numbers and 1 to 20 beds")
    try:
        with console.unit_of_work() as session:
            added = len(service.add_rooms(session, actor=SYSTEM, site_id=site, data=data))
    except DomainError as exc:
        console.bad_input(f"{exc.code}: {exc.title}")
    typer.echo(f"{added} rooms added")
