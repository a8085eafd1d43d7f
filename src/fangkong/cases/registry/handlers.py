"""Subscriptions of the case registry: each positive single tube of an upload becomes a pending
case (or a history step on the person's open case), reported together; a merge of two people
moves the merged one's cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.cases.registry import service
from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.testing.events import CaseCandidates


@subscribe(CaseCandidates)
def cases_from_candidates(session: Session, event: CaseCandidates) -> None:
    service.case_candidates(session, event.candidates)


@subscribe(PersonMerged)
def move_merged_cases(session: Session, event: PersonMerged) -> None:
    service.person_merged(
        session, actor=event.actor, merged_id=event.merged_id, kept_id=event.kept_id
    )
