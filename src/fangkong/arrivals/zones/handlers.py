"""Subscriptions of zones: a positive single tube links a case to every active zone listing
the person; a merge of two people re-points zone residents and cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service
from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.testing.events import CaseCandidate


@subscribe(CaseCandidate)
def link_candidate(session: Session, event: CaseCandidate) -> None:
    service.case_candidate(session, event.person_id, event.sampled_at, f"tube:{event.tube_id}")


@subscribe(PersonMerged)
def repoint_merged(session: Session, event: PersonMerged) -> None:
    service.person_merged(session, event.merged_id, event.kept_id)
