"""Event handlers of ``tracing.contacts`` (same transaction as the publisher).

- ``CasesReported``: upgrade the secondary contacts of a close contact who turned positive
  (when the edition says so), then generate the new cases' contact candidates in one pass.
- ``PlacementEnded``: an isolation period (centralized or home isolation, not home
  monitoring) of a contact ended without a follow-on: the contact is released, its fact ends.
- ``PersonMerged``: the merged record's contacts move to the kept person (``merging``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.cases.events import CasesReported
from fangkong.core.events import subscribe
from fangkong.core.principal import SYSTEM
from fangkong.people.events import PersonMerged
from fangkong.quarantine.events import PlacementEnded
from fangkong.tracing.contacts import service

ISOLATION = ("centralized", "home_isolation")
ENDED = ("released", "transferred", "cancelled")


@subscribe(CasesReported)
def trace_reported_cases(session: Session, event: CasesReported) -> None:
    service.on_cases_reported(session, actor=SYSTEM, case_ids=[c.case_id for c in event.cases])


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
