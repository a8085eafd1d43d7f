"""The zones part of arrivals in the generic harness (``tests/harness``): per district a sealed
zone over its grid with one resident and one linked case; the id kinds of the routes, the
declaration body the probe cannot build, and the bad inputs of issue 8 (a zone over an unknown
region, outside the jurisdiction, with no area, an unmatched address, an unknown person)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factories import resident_id
from fangkong.arrivals.zones import service
from fangkong.arrivals.zones.schemas import CaseIn, ZoneCreate
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

ZONES = "/api/v1/zones"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-zones", role="district_officer",
                      region_code=district.code)  # fmt: skip
    number = resident_id(8000 + int(district.code) % 1000, region=district.code)
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=f"{district.tag}封控居民", id_number=number, grid_code=district.grid),
    )  # fmt: skip
    name = f"{district.tag}封控小区"
    case = CaseIn(person_id=person.id, infected_at=clock.now() - timedelta(days=1),
                  case_ref=f"{district.tag}病例")  # fmt: skip
    data = ZoneCreate(name=name, kind="sealed", region_code=district.grid, cases=[case])
    zone = service.declare(session, actor=actor, data=data)
    return Seeded(ids={"zone": str(zone.id)}, markers=(name, f"{district.tag}病例"))


def _new_zone_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针封控区", "kind": "sealed", "region_code": ids["region"]}}


def _zone(**overrides: Any) -> dict[str, Any]:
    return {"name": "坏输入封控区", "kind": "sealed"} | overrides


BAD_INPUTS = (
    BadInput("a zone over an unknown region", "post", ZONES, 422, "zone.unknown_region",
             json=_zone(region_code="230102001009")),
    BadInput("a zone outside the jurisdiction", "post", ZONES, 403,
             "zone.region_out_of_jurisdiction", json=_zone(region_code="230103001002003")),
    BadInput("a zone with no area", "post", ZONES, 422, "zone.no_area", json=_zone()),
    BadInput("a zone over a whole district", "post", ZONES, 422, "zone.region_level",
             json=_zone(region_code="230102")),
    BadInput("an address matching no household", "post", ZONES, 422, "zone.address_unmatched",
             json=_zone(addresses=["不存在的路999号"])),
    BadInput("a case naming no resident", "post", ZONES, 422, "zone.unknown_person",
             json=_zone(region_code="{region}",
                        cases=[{"person_id": 99999999, "infected_at": "2022-11-01T08:00:00+08:00"}])),
    BadInput("a case infected in the future", "post", ZONES + "/{zone}/cases", 422,
             "zone.infection_in_future",
             json={"person_id": "{person:int}", "infected_at": "2999-01-01T08:00:00+08:00"}),
    BadInput("a lift with no note", "post", ZONES + "/{zone}/decision", 422, "zone.note_required",
             json={"action": "lift"}, role="city_admin"),
    BadInput("a decision with no proposal", "post", ZONES + "/{zone}/decision", 409,
             "zone.not_pending", json={"action": "approve"}, role="city_admin"),
    BadInput("an announcement of a date that is not one", "get", ZONES + "/announcement", 422,
             "request.invalid", params={"date": "2022-13-01"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="arrivals.zones",
        prefixes=(ZONES,),
        seed=seed,
        order=70,
        id_names={"zone_id": "zone", "person_id": "person"},
        requests={f"POST {ZONES}": _new_zone_in},
        bad_inputs=BAD_INPUTS,
    )
)
