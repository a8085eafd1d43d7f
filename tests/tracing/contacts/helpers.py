"""Helpers of the contacts tests: scans, travel records, households, editions, facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models import AuditLog, Person
from fangkong.models.contacts import Contact, ContactLink
from fangkong.models.healthcode import HealthFact
from fangkong.models.scan import Scan
from fangkong.models.tracing import TravelRecord
from fangkong.models.venue import Venue
from fangkong.people import service as people
from fangkong.people.schemas import HouseholdCreate
from fangkong.policy import service as policy
from outbreak_world import ADMIN, DAOLI, GRID, make_resident

CASES = "/api/v1/cases"
CONTACTS = "/api/v1/contacts"
EPI = Principal(id=None, username="epi", role="epidemiologist", region_code=DAOLI,
                permissions=frozenset({"tracing.read", "tracing.manage"}))  # fmt: skip


def activate(session: Session, settings: Settings, edition_id: str) -> None:
    policy.activate(session, actor=ADMIN, edition_id=edition_id, default=settings.policy)
    session.flush()


def family(session: Session, settings: Settings, *names: str, grid: str = GRID) -> list[Person]:
    """Residents of one new household."""
    household = people.create_household(
        session, actor=ADMIN, data=HouseholdCreate(grid_code=grid, address=f"{names[0]}家1号")
    )
    return [
        make_resident(session, settings, name=name, grid=grid, household_id=household.id)
        for name in names
    ]


def make_venue(session: Session, name: str, region: str = GRID) -> Venue:
    venue = Venue(name=name, type="restaurant", region_code=region, address=f"{name}路1号")
    session.add(venue)
    session.flush()
    return venue


def scan(session: Session, venue: Venue, person: Person, at: datetime) -> None:
    session.add(Scan(venue_id=venue.id, person_id=person.id, region_code=venue.region_code,
                     scanned_at=at, decision="allow", colour="green", reasons=[],
                     override=False, source="bulk"))  # fmt: skip
    session.flush()


def ride(
    session: Session, person: Person, *, mode: str = "train", number: str = "G1234",
    on: date = date(2022, 11, 1), carriage: str = "", seat: str = "", row: int | None = None,
) -> TravelRecord:  # fmt: skip
    record = TravelRecord(mode=mode, number=number, travel_on=on, carriage=carriage, seat=seat,
                          seat_row=row, person_id=person.id, name=person.name,
                          region_code=person.grid_code)  # fmt: skip
    session.add(record)
    session.flush()
    return record


def open_contacts(session: Session, degree: str) -> dict[int, Contact]:
    session.expire_all()
    rows = session.scalars(
        select(Contact).where(Contact.degree == degree, Contact.is_open.is_(True))
    ).all()
    return {c.person_id: c for c in rows}


def links(session: Session, contact_id: int) -> list[ContactLink]:
    statement = select(ContactLink).where(ContactLink.contact_id == contact_id)
    return list(session.scalars(statement).all())


def open_reasons(session: Session, person_id: int) -> set[str]:
    query = select(HealthFact.reason).where(
        HealthFact.person_id == person_id, HealthFact.ended_at.is_(None)
    )
    return set(session.scalars(query).all())


def audit_actions(session: Session, contact_id: int) -> list[str]:
    query = (
        select(AuditLog.action)
        .where(AuditLog.object_type == "contact", AuditLog.object_id == str(contact_id))
        .order_by(AuditLog.id)
    )
    return list(session.scalars(query).all())
