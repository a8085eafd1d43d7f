"""A small world for the arrivals-domain tests (fixtures in ``conftest.py``): two districts,
residents registered through the people service (``testing.world.make_resident``), and rows
of the arrivals and zones tables made directly, so each sub-package's tests stand on their own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from factories import earlier_today
from fangkong.arrivals.riskareas.matching import area_key
from fangkong.core import clock
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Checkpoint, RiskArea, Trip
from fangkong.models.zones import Zone, ZoneArea, ZoneResident
from testing.world import ADMIN, DAOLI, GRID, NANGANG, OTHER_GRID, make_resident

STREET = DAOLI + "001"
COMMUNITY = DAOLI + "001002"
# A county outside the city the tests' origins lie in: 北京市朝阳区 (GB/T 2260 110105).
ORIGIN = ("北京市", "北京市", "朝阳区")
ORIGIN_CODE = "110105"

__all__ = [
    "ADMIN",
    "COMMUNITY",
    "DAOLI",
    "GRID",
    "NANGANG",
    "ORIGIN",
    "ORIGIN_CODE",
    "OTHER_GRID",
    "STREET",
    "make_checkpoint",
    "make_resident",
    "make_risk_area",
    "make_trip",
    "make_zone",
]


def make_risk_area(
    session: Session,
    *,
    grade: str = "high",
    area: str = "",
    county_code: str = ORIGIN_CODE,
    names: tuple[str, str, str] = ORIGIN,
    effective_from: datetime | None = None,
    effective_to: datetime | None = None,
) -> RiskArea:
    """A row of the national list, in force from ten days ago unless told otherwise."""
    province, city, district = names
    row = RiskArea(
        province=province,
        city=city,
        district=district,
        county_code=county_code,
        area=area,
        area_key=area_key(area),
        grade=grade,
        effective_from=effective_from or clock.now() - timedelta(days=10),
        effective_to=effective_to,
        source="manual",
    )
    session.add(row)
    session.flush()
    return row


def make_checkpoint(
    session: Session,
    *,
    name: str = "哈尔滨西站",
    kind: str = "railway_station",
    region: str = DAOLI,
) -> Checkpoint:
    checkpoint = Checkpoint(name=name, kind=kind, region_code=region)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def make_trip(
    session: Session,
    person: Person,
    *,
    arrived_at: datetime | None = None,
    grade: str = "none",
    measure: str = "none",
    channel: str = "self",
    due_hours: int = 24,
    kinds: tuple[str, ...] = ("landing_test", "screening"),
) -> Trip:
    """A classified trip from ``ORIGIN`` with one report and open tasks due ``due_hours``
    after the arrival (default: two hours ago, but today)."""
    at = arrived_at or earlier_today(2)
    province, city, district = ORIGIN
    trip = Trip(
        person_id=person.id,
        origin_province=province,
        origin_city=city,
        origin_district=district,
        origin_code=ORIGIN_CODE,
        arrived_at=at,
        channels=[channel],
        grade=grade,
        matched_area_ids=[],
        measure=measure,
        test_days=[],
        edition_id="cn-9th-2022-06",
        grid_code=person.grid_code,
    )
    session.add(trip)
    session.flush()
    session.add(
        ArrivalReport(
            channel=channel,
            person_id=person.id,
            trip_id=trip.id,
            origin_province=province,
            origin_city=city,
            origin_district=district,
            origin_code=ORIGIN_CODE,
            arrived_at=at,
            region_code=person.grid_code,
        )
    )
    session.add_all(
        ArrivalTask(
            trip_id=trip.id,
            person_id=person.id,
            kind=kind,
            grid_code=person.grid_code,
            arrived_at=at,
            due_at=at + timedelta(hours=due_hours),
        )
        for kind in kinds
    )
    session.flush()
    return trip


def make_zone(
    session: Session,
    *,
    kind: str = "sealed",
    region: str = GRID,
    residents: tuple[Person, ...] = (),
    declared_at: datetime | None = None,
    name: str = "道里区某小区",
) -> Zone:
    """An active zone over ``region`` listing ``residents`` (their health codes untouched:
    tests of the zones service declare through it)."""
    at = declared_at or clock.now() - timedelta(days=1)
    zone = Zone(
        name=name,
        kind=kind,
        region_code=region,
        declared_at=at,
        kind_since=at,
        resident_count=len(residents),
    )
    session.add(zone)
    session.flush()
    session.add(ZoneArea(zone_id=zone.id, region_code=region))
    session.add_all(ZoneResident(zone_id=zone.id, person_id=p.id) for p in residents)
    session.flush()
    return zone
