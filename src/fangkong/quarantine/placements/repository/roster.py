"""Who is under a measure, in bulk: the people with an open placement and the people whose
test day has come, inside a jurisdiction (the outbreak driver reads them each day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core.scoping import within
from fangkong.models.quarantine import Placement, QuarantineTest
from fangkong.quarantine.placements.repository import OPEN


def people_placed(session: Session, region_code: str) -> list[int]:
    """Ids of the people with an open (pending or active) placement, ascending."""
    statement = (
        select(Placement.person_id)
        .where(Placement.status.in_(OPEN), within(Placement.region_code, region_code))
        .distinct()
        .order_by(Placement.person_id)
    )
    return list(session.scalars(statement))


def people_due_for_test(session: Session, region_code: str, day: date) -> list[int]:
    """Ids of the people with an open test day due on ``day`` of an open placement (not yet
    sampled), ascending."""
    statement = (
        select(QuarantineTest.person_id)
        .join(Placement, Placement.id == QuarantineTest.placement_id)
        .where(
            QuarantineTest.status == "open",
            QuarantineTest.sampled_at.is_(None),
            QuarantineTest.due_on == day,
            Placement.status.in_(OPEN),
            within(Placement.region_code, region_code),
        )
        .distinct()
        .order_by(QuarantineTest.person_id)
    )
    return list(session.scalars(statement))


def spans_of(
    session: Session, region_code: str, person_ids: Sequence[int]
) -> list[tuple[int, datetime, datetime | None]]:
    """(person id, made at, ended at or None) of the people's placements in the jurisdiction,
    cancelled ones left out; ended is the release or the transfer (read 500 ids at a time)."""
    ids, found = sorted(set(person_ids)), list[tuple[int, datetime, datetime | None]]()
    ended = func.coalesce(Placement.released_at, Placement.transferred_at)
    for start in range(0, len(ids), 500):
        statement = select(Placement.person_id, Placement.created_at, ended).where(
            Placement.person_id.in_(ids[start : start + 500]), Placement.status != "cancelled",
            within(Placement.region_code, region_code),
        )  # fmt: skip
        found.extend((r[0], r[1], r[2]) for r in session.execute(statement))
    return found
