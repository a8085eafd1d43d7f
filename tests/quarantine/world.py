"""Helpers of the quarantine tests: the outbreak world's factories, an edition switch, the
events fed straight to this domain's handlers (so other domains' half-built reactions stay out),
and test days marked negative."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.models.quarantine import Placement, QuarantineTest
from fangkong.policy import service as policy
from fangkong.quarantine.placements import handlers
from fangkong.tracing.events import ContactConfirmed
from outbreak_world import ADMIN, at, make_case, make_contact, make_resident

DISTRICT_OFFICER = Principal(
    id=None, username="daoli", role="district_officer", region_code="230102"
)
NANGANG_OFFICER = Principal(
    id=None, username="nangang", role="district_officer", region_code="230103"
)


def use_edition(session: Session, edition_id: str) -> None:
    policy.activate(session, actor=ADMIN, edition_id=edition_id, default=edition_id)


def confirm(session: Session, contact_id: int, person_id: int, degree: str, last: datetime) -> None:
    event = ContactConfirmed(
        contact_id=contact_id,
        person_id=person_id,
        degree=degree,
        last_exposure_at=last,
        region_code="",
    )
    handlers.on_contact_confirmed(session, event)


def confirmed_contact(
    session, settings, *, degree: str = "close", last: datetime | None = None, **person: object
):  # type: ignore[no-untyped-def]
    """A resident, a case, a confirmed contact; the contact fed to the handler."""
    case_person = make_resident(session, settings, name="病例甲")
    contact_person = make_resident(session, settings, **person)  # type: ignore[arg-type]
    case = make_case(session, case_person)
    last = last or at(2, 20)
    contact = make_contact(session, contact_person, case, degree=degree, exposure_end_at=last)
    confirm(session, contact.id, contact_person.id, degree, last)
    return contact_person, contact


def placements_of(session: Session, person_id: int) -> list[Placement]:
    return list(session.query(Placement).filter_by(person_id=person_id).order_by(Placement.id))


def day_rows(session: Session, placement: Placement) -> list[QuarantineTest]:
    return list(
        session.query(QuarantineTest)
        .filter_by(placement_id=placement.id)
        .order_by(QuarantineTest.day_no)
    )


def all_negative(session: Session, placement: Placement) -> None:
    for test in day_rows(session, placement):
        test.status, test.result = "done", "negative"
    session.flush()
