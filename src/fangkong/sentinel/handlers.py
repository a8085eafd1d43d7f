"""Subscriptions: a merge of two people re-points their fever visits and four-drug sales to
the record kept (the health-code facts move with the health-code domain's own handler)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.sentinel import service


@subscribe(PersonMerged)
def repoint_merged(session: Session, event: PersonMerged) -> None:
    service.person_merged(session, event.merged_id, event.kept_id)
