"""Subscriptions of the case registry: a positive single tube becomes a pending case (or a
history step on the person's open case); a merge of two people moves the merged one's cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.cases.registry import service
from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.testing.events import CaseCandidate


@subscribe(CaseCandidate)
def case_from_candidate(session: Session, event: CaseCandidate) -> None:
    service.case_candidate(session, event)


@subscribe(PersonMerged)
def move_merged_cases(session: Session, event: PersonMerged) -> None:
    service.person_merged(
        session, actor=event.actor, merged_id=event.merged_id, kept_id=event.kept_id
    )
