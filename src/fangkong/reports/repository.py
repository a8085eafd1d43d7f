"""The dashboard's own grouped reads: recent positives (to draw them by official day), people
under control by measure, and zones by kind. Each is one statement over an indexed range of
region codes; none reads people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fangkong.core.scoping import within
from fangkong.models.cases import Case
from fangkong.models.quarantine import Placement
from fangkong.models.zones import Zone

UNDER_CONTROL = ("pending", "active")


def recent_cases(session: Session, scope: str, since: datetime) -> Sequence[Any]:
    """Classified cases reported or converted from ``since``: (confirmed_at, converted_at,
    kind, local, channel)."""
    statement = select(
        Case.confirmed_at, Case.converted_at, Case.kind, Case.local, Case.channel
    ).where(
        within(Case.region_code, scope),
        Case.kind.is_not(None),
        or_(Case.confirmed_at >= since, Case.converted_at >= since),
    )
    return session.execute(statement).all()


def under_control(session: Session, scope: str) -> dict[str, int]:
    """People waiting for a room or under control, by measure."""
    statement = (
        select(Placement.measure, func.count())
        .where(within(Placement.region_code, scope), Placement.status.in_(UNDER_CONTROL))
        .group_by(Placement.measure)
    )
    return {measure: int(n) for measure, n in session.execute(statement)}


def zones(session: Session, scope: str) -> dict[str, int]:
    """Zones in force, by kind."""
    statement = (
        select(Zone.kind, func.count())
        .where(within(Zone.region_code, scope), Zone.status == "active")
        .group_by(Zone.kind)
    )
    return {kind: int(n) for kind, n in session.execute(statement)}
