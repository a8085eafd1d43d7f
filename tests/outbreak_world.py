"""A shared world for the tests of cases, tracing and quarantine (issue 9): residents come from
the people service (``testing.world.make_resident``); cases, contacts and placements are rows
made directly, so each domain's tests stand on their own without the others' services.

Times are fixed instants in Asia/Shanghai's day (``at(day, hour)``) so that windows and day
counts read as in the policy tables: ``at(3, 14)`` is 3 November 2022, 14:00 local.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.models.quarantine import IsolationSite, Placement, Room
from testing.world import ADMIN, DAOLI, GRID, NANGANG, OTHER_GRID, make_resident

SHANGHAI = ZoneInfo("Asia/Shanghai")
STREET = DAOLI + "001"
COMMUNITY = DAOLI + "001002"
EDITION = "cn-9th-2022-06"
_case_numbers = itertools.count(1)

__all__ = [
    "ADMIN",
    "COMMUNITY",
    "DAOLI",
    "EDITION",
    "GRID",
    "NANGANG",
    "OTHER_GRID",
    "STREET",
    "at",
    "make_case",
    "make_contact",
    "make_placement",
    "make_resident",
    "make_site",
]


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """``day`` November 2022, ``hour:minute`` Asia/Shanghai, as an aware UTC instant."""
    local = datetime(2022, 11, day, hour, minute, tzinfo=SHANGHAI)
    return local.astimezone(UTC)


def make_case(
    session: Session, person: Person, *, sampled_at: datetime | None = None, **extra: object
) -> Case:
    sampled = sampled_at or at(3, 8)
    values: dict[str, object] = {
        "case_no": f"T-{next(_case_numbers):05d}",
        "person_id": person.id,
        "kind": "asymptomatic",
        "source": "nat",
        "channel": "community_screening",
        "sampled_at": sampled,
        "confirmed_at": sampled + timedelta(hours=6),
        "reported_on": sampled.astimezone(SHANGHAI).date(),
        "status": "active",
        "region_code": person.grid_code,
        "edition_id": EDITION,
    }
    case = Case(**(values | extra))
    session.add(case)
    session.flush()
    return case


def make_contact(
    session: Session,
    person: Person,
    case: Case,
    *,
    degree: str = "close",
    status: str = "confirmed",
    reason: str = "household",
    exposure_end_at: datetime | None = None,
    **extra: object,
) -> Contact:
    end = exposure_end_at or at(2, 20)
    values: dict[str, object] = {
        "person_id": person.id,
        "degree": degree,
        "status": status,
        "is_open": status in ("candidate", "confirmed"),
        "first_exposure_at": end - timedelta(hours=2),
        "last_exposure_at": end,
        "region_code": person.grid_code,
        "owner_region": case.region_code[:6],
        "edition_id": EDITION,
    }
    contact = Contact(**(values | extra))
    session.add(contact)
    session.flush()
    link = ContactLink(
        contact_id=contact.id,
        case_id=case.id,
        reason=reason,
        exposure_start_at=end - timedelta(hours=2),
        exposure_end_at=end,
        evidence={},
    )
    session.add(link)
    session.flush()
    return contact


def make_site(
    session: Session,
    *,
    name: str = "道里隔离酒店",
    region: str = DAOLI,
    rooms: int = 4,
    beds: int = 1,
) -> IsolationSite:
    site = IsolationSite(name=name, kind="hotel", region_code=region, address=f"{name}路8号")
    session.add(site)
    session.flush()
    for number in range(1, rooms + 1):
        session.add(Room(site_id=site.id, number=f"{800 + number}", floor=8, beds=beds))
    session.flush()
    return site


def make_placement(
    session: Session,
    person: Person,
    *,
    measure: str = "centralized",
    day0_at: datetime | None = None,
    days: int = 7,
    test_days: tuple[int, ...] = (1, 2, 3, 5, 7),
    **extra: object,
) -> Placement:
    day0 = day0_at or at(2, 20)
    values: dict[str, object] = {
        "person_id": person.id,
        "measure": measure,
        "basis": "manual",
        "household_id": person.household_id,
        "day0_at": day0,
        "starts_at": day0,
        "ends_at": day0 + timedelta(days=days),
        "days": days,
        "test_days": list(test_days),
        "status": "active",
        "region_code": person.grid_code,
        "edition_id": EDITION,
    }
    placement = Placement(**(values | extra))
    session.add(placement)
    session.flush()
    return placement


def local_day(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()
