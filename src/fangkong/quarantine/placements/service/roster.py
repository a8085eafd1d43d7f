"""Who is under a measure, in bulk, inside the actor's jurisdiction: the outbreak driver reads
them each day (its isolated people; the tests it samples as the platform's own schedule asks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.quarantine.placements.repository import roster


def people_placed(session: Session, *, actor: Principal) -> list[int]:
    """Ids of the people with an open (pending or active) placement, ascending."""
    return roster.people_placed(session, actor.region_code)


def people_due_for_test(session: Session, *, actor: Principal, day: date) -> list[int]:
    """Ids of the people with an open test day due on ``day`` of an open placement (not yet
    sampled), ascending."""
    return roster.people_due_for_test(session, actor.region_code, day)


def placement_spans(
    session: Session, *, actor: Principal, person_ids: Sequence[int]
) -> list[tuple[int, datetime, datetime | None]]:
    """(person id, made at, ended at or None) of the people's placements in the actor's
    jurisdiction, cancelled ones left out; a placement ends at its release or its transfer.
    The outbreak evaluation reads when each person was under control."""
    return roster.spans_of(session, actor.region_code, person_ids)
