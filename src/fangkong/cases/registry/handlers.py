"""Subscriptions of the case registry: a positive single tube becomes a pending case (or a
history step on the person's open case)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.cases.registry import service
from fangkong.core.events import subscribe
from fangkong.testing.events import CaseCandidate


@subscribe(CaseCandidate)
def case_from_candidate(session: Session, event: CaseCandidate) -> None:
    service.case_candidate(session, event)
