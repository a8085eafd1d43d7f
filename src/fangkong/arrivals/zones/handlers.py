"""Subscriptions of zones: a positive single tube links a case to every active zone listing
the person; a merge of two people re-points zone residents and cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service
from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.testing.events import CaseCandidates


@subscribe(CaseCandidates)
def link_candidates(session: Session, event: CaseCandidates) -> None:
    for item in event.candidates:
        service.case_candidate(session, item.person_id, item.sampled_at, f"tube:{item.tube_id}")


@subscribe(PersonMerged)
def repoint_merged(session: Session, event: PersonMerged) -> None:
    service.person_merged(session, event.merged_id, event.kept_id)
