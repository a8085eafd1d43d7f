"""Queries of public trajectories: publications scoped by the region of their case (officers),
the published stops anyone may read, and a citizen's own scans at published venues."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, Region
from fangkong.models.scan import Scan, person_days
from fangkong.models.tracing import Publication, PublishedStop

CHUNK = 500


def publication(session: Session, actor: Principal, publication_id: int) -> Publication | None:
    found = session.get(Publication, publication_id)
    return found if found is not None and actor.covers(found.region_code) else None


def publication_page(
    session: Session, actor: Principal, page: PageParams, active: bool | None
) -> tuple[Sequence[Publication], str | None]:
    statement = select(Publication).where(within(Publication.region_code, actor.region_code))
    if active is not None:
        column = Publication.withdrawn_at
        statement = statement.where(column.is_(None) if active else column.is_not(None))
    return fetch_page(session, statement, Publication.id, page, descending=True)


def stops_of(session: Session, ids: Collection[int]) -> dict[int, list[PublishedStop]]:
    found: dict[int, list[PublishedStop]] = {i: [] for i in ids}
    wanted = sorted(found)
    for i in range(0, len(wanted), CHUNK):
        statement = (select(PublishedStop).where(PublishedStop.publication_id.in_(
            wanted[i : i + CHUNK])).order_by(PublishedStop.start_at, PublishedStop.id))  # fmt: skip
        for stop in session.scalars(statement):
            found[stop.publication_id].append(stop)
    return found


def published_since(
    session: Session, since: datetime, district: str | None
) -> Sequence[Publication]:
    """Publications in force published since ``since``, newest first."""
    statement = select(Publication).where(
        Publication.withdrawn_at.is_(None), Publication.published_at >= since
    )
    if district:
        statement = statement.where(within(Publication.region_code, district))
    order = (Publication.published_at.desc(), Publication.id.desc())
    return session.scalars(statement.order_by(*order)).all()


def published_today(session: Session, start: datetime, end: datetime) -> int:
    statement = select(func.count(Publication.id)).where(
        Publication.published_at >= start, Publication.published_at < end
    )
    return int(session.scalar(statement) or 0)


def district_names(session: Session, codes: Collection[str]) -> dict[str, str]:
    if not codes:
        return {}
    statement = select(Region.code, Region.name).where(Region.code.in_(sorted(set(codes))))
    return {row.code: row.name for row in session.execute(statement)}


def identities(session: Session, person_id: int) -> list[int]:
    merged = select(Person.id).where(Person.merged_into_id == person_id)
    return [person_id, *session.scalars(merged)]


def scans_at(
    session: Session, person_ids: Sequence[int], venue_ids: Collection[int], since: datetime
) -> Sequence[Any]:
    """The citizen's own scans at these venues since ``since`` (ix_scans_person, or
    ix_scans_person_day on SQLite: one range a day up to tomorrow, as no scan is later)."""
    if not venue_ids:
        return []
    days = person_days(session.get_bind().dialect.name, since, clock.now() + timedelta(days=1))
    statement = select(Scan.venue_id, Scan.scanned_at).where(
        Scan.person_id.in_(person_ids), Scan.venue_id.in_(sorted(venue_ids)),
        Scan.scanned_at >= since, *days,
    ).order_by(Scan.scanned_at)  # fmt: skip
    return session.execute(statement).all()
