"""Verbs of the scan domain outside the hot path: lists, a person's scans, companions, today's
check-ins at a venue. The entry check itself is ``hotpath``; the bulk ingest is ``ingest``.

Scans are their own record of who was where: the entry check writes no audit row per scan
(the scan row carries who scanned it: ``device``, ``source``), while a bulk ingest writes one
audit row per file with its counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.scan import Scan
from fangkong.people import service as people
from fangkong.policy import service as policy
from fangkong.scans import repository
from fangkong.scans.errors import CompanionWindowInvalid, TemperatureOutOfRange, TimeInFuture
from fangkong.scans.schemas import (
    MAX_CELSIUS,
    MIN_CELSIUS,
    Companion,
    CompanionPerson,
    ScanView,
    StayOut,
)

MAX_COMPANION_WINDOW = timedelta(days=14)
# The edition key the companion margin comes from (时空伴随: same venue within ±N minutes).
MARGIN_KEY = "contacts.same_place_window_minutes"
CHECKINS_SHOWN = 200


def check_temperature(value: float | None) -> float | None:
    if value is not None and not MIN_CELSIUS <= value <= MAX_CELSIUS:
        raise TemperatureOutOfRange()
    return value


def check_not_future(value: datetime, now: datetime) -> datetime:
    if value > now:
        raise TimeInFuture()
    return value


def list_scans(
    session: Session,
    *,
    actor: Principal,
    page: PageParams,
    venue_id: int | None = None,
    person_id: int | None = None,
) -> tuple[Sequence[Scan], str | None]:
    return repository.scans_page(session, actor, page, venue_id=venue_id, person_id=person_id)


def scans_of_person(session: Session, person_id: int, limit: int = 50) -> list[ScanView]:
    """The person's latest scans, newest first (the citizen's own page)."""
    return [
        ScanView(
            id=row.id,
            venue_id=row.venue_id,
            venue_name=row.venue_name or "",
            scanned_at=row.scanned_at,
            decision=row.decision,
            colour=row.colour,
            reasons=list(row.reasons or ()),
        )
        for row in repository.scans_of_person(session, person_id, limit)
    ]


def make_day_partitions(session: Session, first: date, last: date) -> int:
    """PostgreSQL: the missing day partitions of ``scans`` for first..last; how many were made
    (SQLite: none to make)."""
    return repository.ensure_day_partitions(session, first, last)


def margin_minutes(session: Session, settings: Settings) -> int:
    """The edition's same-place window (``contacts.same_place_window_minutes``)."""
    edition = policy.active_edition(session, default=settings.policy)
    return edition.contacts.same_place_window_minutes


def companions(
    session: Session, settings: Settings, person_id: int, start: datetime, end: datetime
) -> list[Companion]:
    """时空伴随: each stay of the person in [start, end), and the other people scanned at the
    same venue within ± the edition's margin of it (one index range per stay)."""
    if end <= start or end - start > MAX_COMPANION_WINDOW:
        raise CompanionWindowInvalid()
    margin = timedelta(minutes=margin_minutes(session, settings))
    return [
        Companion(
            stay=StayOut(venue_id=stay.venue_id, venue_name=stay.venue_name or "",
                         scanned_at=stay.scanned_at),
            window_start=stay.scanned_at - margin,
            window_end=stay.scanned_at + margin,
            others=[_companion(other.person_id, other.name, other.scanned_at)
                    for other in others],
        )
        for stay, others in repository.companions(session, person_id, start, end, margin)
    ]  # fmt: skip


def companions_for(
    session: Session,
    settings: Settings,
    *,
    actor: Principal,
    person_id: int,
    start: datetime,
    end: datetime,
) -> list[Companion]:
    """``companions`` of a person inside the actor's jurisdiction (404 otherwise; logged)."""
    people.get_person(session, actor=actor, person_id=person_id)
    return companions(session, settings, person_id, start, end)


def _companion(person_id: int, name: str | None, at: datetime) -> CompanionPerson:
    return CompanionPerson(person_id=person_id, name=mask_person_name(name or ""), scanned_at=at)


def today_start() -> datetime:
    """Midnight of today in Asia/Shanghai, as an aware instant."""
    return datetime.combine(clock.local_today(), time(0), tzinfo=clock.LOCAL_TZ)


def venue_checkins(session: Session, venue_id: int) -> list[dict[str, object]]:
    """Today's check-ins at a venue, newest first, names masked (the venue page's partial)."""
    rows = repository.checkins_at(session, venue_id, today_start(), CHECKINS_SHOWN)
    return [
        {
            "scanned_at": row.scanned_at,
            "name": mask_person_name(row.name or ""),
            "decision": row.decision,
            "colour": row.colour,
            "reasons": list(row.reasons or ()),
            "override": row.override,
            "source": row.source,
        }
        for row in rows
    ]
