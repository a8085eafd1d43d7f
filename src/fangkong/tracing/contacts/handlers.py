"""Event handlers of ``tracing.contacts`` (same transaction as the publisher).

- ``CaseReported``: upgrade the secondary contacts of a close contact who turned positive
  (when the edition says so), then generate the new case's contact candidates.
- ``PlacementEnded``: an isolation period (centralized or home isolation, not home
  monitoring) of a contact ended without a follow-on: the contact is released, its fact ends.
- ``PersonMerged``: the merged record's contacts move to the kept person (``merging``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.cases.events import CaseReported
from fangkong.core.events import subscribe
from fangkong.core.principal import SYSTEM
from fangkong.people.events import PersonMerged
from fangkong.quarantine.events import PlacementEnded
from fangkong.tracing.contacts import service

ISOLATION = ("centralized", "home_isolation")
ENDED = ("released", "transferred", "cancelled")


@subscribe(CaseReported)
def trace_reported_case(session: Session, event: CaseReported) -> None:
    service.on_case_reported(session, actor=SYSTEM, case_id=event.case_id)


@subscribe(PlacementEnded)
def release_contact(session: Session, event: PlacementEnded) -> None:
    if event.contact_id is None or event.follow_on:
        return
    if event.measure in ISOLATION and event.status in ENDED:
        service.release_for_placement(
            session, actor=SYSTEM, contact_id=event.contact_id,
            transferred=event.status == "transferred",
        )  # fmt: skip


@subscribe(PersonMerged)
def move_merged_contacts(session: Session, event: PersonMerged) -> None:
    service.person_merged(
        session, actor=event.actor, merged_id=event.merged_id, kept_id=event.kept_id
    )
