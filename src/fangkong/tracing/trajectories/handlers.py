"""Event handlers of ``tracing.trajectories``: a merge of two people moves the merged
record's travel records (the transport lists' matched passengers) to the kept one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.events import subscribe
from fangkong.people.events import PersonMerged
from fangkong.tracing.trajectories import service


@subscribe(PersonMerged)
def move_merged_travel(session: Session, event: PersonMerged) -> None:
    service.person_merged(session, merged_id=event.merged_id, kept_id=event.kept_id)
