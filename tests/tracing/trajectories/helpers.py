"""Helpers of the trajectory and publication tests: the two districts, staff of each role that
tracing serves, and rows of the tables a trajectory reads (venues, scans, trips, passenger
records) made directly, so the tests stand without the other domains' services."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.models import Person
from fangkong.models.arrivals import Trip
from fangkong.models.scan import Scan
from fangkong.models.tracing import TravelRecord
from fangkong.models.venue import Venue
from outbreak_world import DAOLI, GRID, NANGANG, OTHER_GRID, STREET

ROLES = {
    "admin": ("city_admin", "230100"),
    "officer": ("district_officer", DAOLI),
    "street": ("street_officer", STREET),
    "nangang": ("district_officer", NANGANG),
    "epi": ("epidemiologist", DAOLI),
    "isolation": ("isolation_officer", DAOLI),
    "worker": ("grid_worker", GRID),
    "sampler": ("sampler", DAOLI),
}


@pytest.fixture
def world(session: Session) -> None:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)


@pytest.fixture
def staff(session: Session, settings: Settings, world: None) -> dict[str, dict[str, str]]:
    """Bearer headers by role name (``ROLES``)."""
    users = {name: make_user(session, role=role, region_code=region)
             for name, (role, region) in ROLES.items()}  # fmt: skip
    session.commit()
    return {name: auth_headers(settings, user) for name, user in users.items()}


def make_venue(session: Session, name: str, *, region: str = GRID, address: str = "") -> Venue:
    venue = Venue(name=name, type="shop", region_code=region, address=address or f"{name}路1号")
    session.add(venue)
    session.flush()
    return venue


def make_scan(session: Session, person: Person, venue: Venue, at: datetime) -> Scan:
    scan = Scan(venue_id=venue.id, person_id=person.id, region_code=venue.region_code,
                scanned_at=at, decision="allow", colour="green", reasons=[],
                source="checkin")  # fmt: skip
    session.add(scan)
    session.flush()
    return scan


def make_trip(session: Session, person: Person, arrived_at: datetime) -> Trip:
    trip = Trip(person_id=person.id, origin_province="北京市", origin_city="北京市",
                origin_district="朝阳区", origin_code="110105", arrived_at=arrived_at,
                channels=["self"], grade="none", matched_area_ids=[], measure="none",
                test_days=[], edition_id="cn-9th-2022-06", grid_code=person.grid_code)  # fmt: skip
    session.add(trip)
    session.flush()
    return trip


def make_travel(
    session: Session, person: Person, departed_at: datetime, arrived_at: datetime, **extra: object
) -> TravelRecord:
    values: dict[str, object] = {
        "mode": "train", "number": "G1234", "travel_on": departed_at.date(),
        "departed_at": departed_at, "arrived_at": arrived_at, "from_station": "哈尔滨西",
        "to_station": "长春", "carriage": "05", "seat": "12F", "seat_row": 12,
        "person_id": person.id, "name": person.name, "region_code": person.grid_code,
    }  # fmt: skip
    record = TravelRecord(**(values | extra))
    session.add(record)
    session.flush()
    return record


__all__ = ["GRID", "OTHER_GRID", "make_scan", "make_travel", "make_trip", "make_venue"]
