"""Venues in the generic harness: per district a venue in its grid with an operator; the bad
inputs of the venue routes (issue 6)."""

from __future__ import annotations

from typing import Any

from factories import make_user
from fangkong.core.principal import Principal
from fangkong.policy.types import VenueType
from fangkong.venues import service
from fangkong.venues.schemas import VenueCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

VENUES = "/api/v1/venues"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe", role="district_officer", region_code=district.code)
    name, address = f"{district.tag}超市", f"{district.tag}大街1号"
    data = VenueCreate(
        name=name, type=VenueType.SUPERMARKET, region_code=district.grid, address=address
    )
    venue = service.create_venue(session, actor=actor, data=data)
    operator = make_user(
        session, role="venue_operator", region_code=district.grid, username=f"op{district.code}"
    )
    service.add_operator(session, actor=actor, venue_id=venue.id, user_id=operator.id)
    return Seeded(
        ids={"venue": str(venue.id), "venue_name": name},
        markers=(name, address, operator.username),
    )


def _new_venue_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针场所", "type": "shop", "region_code": ids["region"]}}


def _import_into(ids: Ids) -> dict[str, Any]:
    content = f"名称,类型,区划代码,地址\n探针导入,超市,{ids['region']},\n"
    return {"files": {"file": ("venues.csv", content.encode(), "text/csv")}}


def _unknown_column_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("venues.csv", "名字,类型\n店,超市\n".encode(), "text/csv")}


def _venue(**overrides: Any) -> dict[str, Any]:
    return {"name": "坏输入", "type": "shop", "region_code": "{region}"} | overrides


BAD_INPUTS = (
    BadInput("a venue name over 100 characters", "post", VENUES, 422, "request.invalid",
             json=_venue(name="名" * 101)),
    BadInput("a venue type no edition has", "post", VENUES, 422, "request.invalid",
             json=_venue(type="spaceport")),
    BadInput("a venue outside the jurisdiction", "post", VENUES, 422,
             "venue.region_out_of_jurisdiction", json=_venue(region_code="230103001002003")),
    BadInput("a venue in a region that does not exist", "post", VENUES, 422,
             "venue.unknown_region", json=_venue(region_code="230102009009009")),
    BadInput("a second venue of the same name in the region", "post", VENUES, 409,
             "venue.duplicate_name", json=_venue(name="{venue_name}")),
    BadInput("a venue renamed to nothing", "patch", VENUES + "/{venue}", 422,
             "request.invalid", json={"name": ""}),
    BadInput("a grid worker as a venue operator", "post", VENUES + "/{venue}/operators", 422,
             "venue.not_an_operator", json={"user_id": "{user:int}"}),
    BadInput("a huge venue id", "get", VENUES + "/99999999999", 422, "request.invalid"),
    BadInput("a venue import file with an unknown column", "post", VENUES + "/import", 422,
             "import.unknown_columns", files=_unknown_column_file),
)  # fmt: skip


register(
    Domain(
        name="venues",
        prefixes=(VENUES,),
        seed=seed,
        order=30,
        id_names={"venue_id": "venue"},
        requests={
            f"POST {VENUES}": _new_venue_in,
            f"POST {VENUES}/import": _import_into,
        },
        unscoped={f"GET {VENUES}/import-template": "a blank template"},
        bad_inputs=BAD_INPUTS,
    )
)
