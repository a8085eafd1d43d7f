"""The ``quarantine.sites`` part in the generic harness (``tests/harness``): per district an
isolation hotel with two rooms; the id kinds of the routes, the bodies the probe cannot build,
and the bad inputs (a site outside the jurisdiction or in an unknown region, a room number
taken, room numbers that are not ranges)."""

from __future__ import annotations

from typing import Any

from fangkong.core.principal import Principal
from fangkong.quarantine.sites import service
from fangkong.quarantine.sites.schemas import RoomsCreate, SiteCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

SITES = "/api/v1/quarantine/sites"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(
        id=None, username="probe-sites", role="district_officer", region_code=district.code
    )
    name = f"{district.tag}隔离酒店"
    site = service.create_site(
        session,
        actor=actor,
        data=SiteCreate(
            name=name, kind="hotel", region_code=district.code, address=f"{district.tag}隔离路1号"
        ),
    )
    rooms = service.add_rooms(
        session, actor=actor, site_id=site.id, data=RoomsCreate(numbers="801-802", beds=2)
    )
    return Seeded(ids={"isolation_site": str(site.id), "room": str(rooms[0].id)}, markers=(name,))


def _new_site_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针隔离点", "kind": "hotel", "region_code": ids["region"]}}


BAD_INPUTS = (
    BadInput(
        "a site outside the jurisdiction",
        "post",
        SITES,
        403,
        "quarantine.region_out_of_jurisdiction",
        json={"name": "坏输入隔离点", "kind": "hotel", "region_code": "230103001"},
    ),
    BadInput(
        "a site in an unknown region",
        "post",
        SITES,
        422,
        "quarantine.unknown_region",
        json={"name": "坏输入隔离点", "kind": "hotel", "region_code": "230102009"},
    ),
    BadInput(
        "a room number already taken",
        "post",
        SITES + "/{isolation_site}/rooms",
        409,
        "quarantine.room_exists",
        json={"numbers": "800-801"},
    ),
    BadInput(
        "room numbers that are not a range",
        "post",
        SITES + "/{isolation_site}/rooms",
        422,
        "quarantine.bad_room_numbers",
        json={"numbers": "830-801"},
    ),
)


DOMAIN = register(
    Domain(
        name="quarantine.sites",
        prefixes=(SITES,),
        seed=seed,
        order=90,
        # ``isolation_site_id``, not ``site_id``: id kinds are merged across domains, and
        # ``site`` is the testing domain's sampling site.
        id_names={"isolation_site_id": "isolation_site", "room_id": "room"},
        requests={f"POST {SITES}": _new_site_in},
        bad_inputs=BAD_INPUTS,
    )
)
