"""Subscriptions of placements (run in the publisher's transaction):

- ``ContactConfirmed`` → place the contact (or move day 0 of the open placement);
  ``ContactsConfirmed`` (a decision batch) the same in bulk;
- ``ContactClosed`` → cancel a placement that has not started;
- ``TripClassified`` → place the arrival's measure (a lighter one cancels a pending placement);
  ``TripsClassified`` (a pushed list's chunk) the same in bulk;
- ``CasesReported`` → each person's open placements end ``transferred``; the grids' counts
  once;
- ``PeopleSampled`` (``TubesSampled``: a bulk sampling's tubes together) / ``NegativeTest`` →
  the test day sampled, then done negative;
- ``PersonMerged`` → the merged record's placements and test days move to the kept person.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.events import TripClassified, TripsClassified
from fangkong.cases.events import CasesReported
from fangkong.core.events import subscribe
from fangkong.healthcode.events import NegativeTest
from fangkong.people.events import PersonMerged
from fangkong.quarantine.placements import service
from fangkong.testing.events import PeopleSampled, TubesSampled
from fangkong.tracing.events import ContactClosed, ContactConfirmed, ContactsConfirmed


@subscribe(ContactConfirmed)
def on_contact_confirmed(session: Session, event: ContactConfirmed) -> None:
    service.place_contact(
        session,
        contact_id=event.contact_id,
        person_id=event.person_id,
        degree=event.degree,
        last_exposure_at=event.last_exposure_at,
    )


@subscribe(ContactsConfirmed)
def on_contacts_confirmed(session: Session, event: ContactsConfirmed) -> None:
    service.place_contacts(session, [
        service.ContactTerms(c.contact_id, c.person_id, c.degree, c.last_exposure_at)
        for c in event.contacts
    ])  # fmt: skip


@subscribe(ContactClosed)
def on_contact_closed(session: Session, event: ContactClosed) -> None:
    service.cancel_contact(session, contact_id=event.contact_id, status=event.status)


@subscribe(TripClassified)
def on_trip_classified(session: Session, event: TripClassified) -> None:
    service.place_trip(session, trip_id=event.trip_id, measure=event.measure)


@subscribe(TripsClassified)
def on_trips_classified(session: Session, event: TripsClassified) -> None:
    service.place_trips(session, [(t.trip_id, t.measure, t.new) for t in event.trips])


@subscribe(CasesReported)
def on_cases_reported(session: Session, event: CasesReported) -> None:
    for case in event.cases:
        service.transfer_person(session, person_id=case.person_id)
    service.recount(session, [case.region_code for case in event.cases])


@subscribe(PeopleSampled)
def on_people_sampled(session: Session, event: PeopleSampled) -> None:
    service.tests_sampled(session, event.person_ids, event.tube_id, event.sampled_at)


@subscribe(TubesSampled)
def on_tubes_sampled(session: Session, event: TubesSampled) -> None:
    service.tests_sampled_many(session, [(t.person_ids, t.tube_id, t.sampled_at)
                                         for t in event.tubes])  # fmt: skip


@subscribe(NegativeTest)
def on_negative_test(session: Session, event: NegativeTest) -> None:
    if event.single_tube:
        service.test_negative(session, event.person_id, event.sampled_at)


@subscribe(PersonMerged)
def move_merged_placements(session: Session, event: PersonMerged) -> None:
    service.person_merged(session, merged_id=event.merged_id, kept_id=event.kept_id)
