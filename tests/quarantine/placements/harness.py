"""The ``quarantine.placements`` part in the generic harness (``tests/harness``): per district
a resident placed by hand in centralized isolation (in a one-bed room, so the room is full), a
home isolation still running, one whose period is over with a test not done, and one waiting
for a room; the id kinds, the bodies the probe cannot build, and the bad inputs of issue 9
(a placement in a full room, a release before the period ends, a release with a test missing,
a check-in temperature out of range)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factories import resident_id
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.schemas import PlacementCreate
from fangkong.quarantine.sites import service as sites
from fangkong.quarantine.sites.schemas import RoomsCreate, SiteCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

PLACEMENTS = "/api/v1/quarantine/placements"


def _person(session, settings, actor, district: District, n: int):  # type: ignore[no-untyped-def]
    number = resident_id(8600 + 10 * (int(district.code) % 100) + n, region=district.code)
    data = PersonCreate(
        name=f"{district.tag}隔离人员{n}", id_number=number, grid_code=district.grid
    )
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    return person


def _place(session, actor, person, measure: str, days_ago: int, tests: list[int]):  # type: ignore[no-untyped-def]
    data = PlacementCreate(
        person_id=person.id,
        measure=measure,
        days=7,
        test_days=tests,
        day0_at=clock.now() - timedelta(days=days_ago),
    )
    return service.place(session, actor=actor, data=data)


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(
        id=None, username="probe-placements", role="district_officer", region_code=district.code
    )
    name = f"{district.tag}集中隔离点"
    site = sites.create_site(
        session, actor=actor, data=SiteCreate(name=name, kind="facility", region_code=district.code)
    )
    [room] = sites.add_rooms(
        session, actor=actor, site_id=site.id, data=RoomsCreate(numbers="101", beds=1)
    )
    placed = _place(
        session, actor, _person(session, settings, actor, district, 1), "centralized", 1, [1]
    )
    service.assign_room(session, actor=actor, placement_id=placed.id, room_id=room.id)
    home = _place(
        session, actor, _person(session, settings, actor, district, 2), "home_isolation", 1, []
    )
    over = _place(
        session, actor, _person(session, settings, actor, district, 3), "home_monitoring", 10, [7]
    )
    waiting = _place(
        session, actor, _person(session, settings, actor, district, 4), "centralized", 1, []
    )
    ids = {
        "placement": str(placed.id),
        "home_placement": str(home.id),
        "over_placement": str(over.id),
        "pending_placement": str(waiting.id),
        "full_room": str(room.id),
        "quarantined": str(waiting.person_id),
    }
    return Seeded(ids=ids, markers=(name,))


def _place_in(ids: Ids) -> dict[str, Any]:
    return {
        "json": {
            "person_id": int(ids["quarantined"]),
            "measure": "home_monitoring",
            "days": 3,
            "day0_at": "2022-11-02T20:00:00+08:00",
        }
    }


def _assign_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"site_id": int(ids["site"]), "placement_ids": [int(ids["pending_placement"])]}}


def _room_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"room_id": int(ids["full_room"])}}


BAD_INPUTS = (
    BadInput(
        "a placement in a full room",
        "post",
        PLACEMENTS + "/{pending_placement}/room",
        409,
        "quarantine.room_full",
        json={"room_id": "{full_room:int}"},
    ),
    BadInput(
        "a release before the period ends",
        "post",
        PLACEMENTS + "/{home_placement}/release",
        409,
        "quarantine.release_early",
    ),
    BadInput(
        "a release with a test not done",
        "post",
        PLACEMENTS + "/{over_placement}/release",
        409,
        "quarantine.tests_missing",
    ),
    BadInput(
        "a check-in temperature out of range",
        "put",
        PLACEMENTS + "/{home_placement}/check-in",
        422,
        "request.invalid",
        json={"temperature": 45},
    ),
    BadInput(
        "a placement with day 0 in the future",
        "post",
        PLACEMENTS,
        422,
        "quarantine.day0_in_future",
        json={
            "person_id": "{quarantined:int}",
            "measure": "home_monitoring",
            "days": 3,
            "day0_at": "2999-01-01T00:00:00+08:00",
        },
    ),
)


DOMAIN = register(
    Domain(
        name="quarantine.placements",
        prefixes=(PLACEMENTS,),
        seed=seed,
        order=91,
        id_names={
            "placement_id": "placement",
            "site_id": "site",
            "room_id": "room",
            "person_id": "person",
        },
        requests={
            f"POST {PLACEMENTS}": _place_in,
            f"POST {PLACEMENTS}/assign": _assign_in,
            f"POST {PLACEMENTS}/{{placement_id}}/room": _room_in,
        },
        bad_inputs=BAD_INPUTS,
    )
)
