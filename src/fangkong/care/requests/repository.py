"""Queries of the care requests; every read starts from ``scoped(actor)`` (the resident's
grid inside the actor's jurisdiction). Zones are read here, not written: a resident's zone
in force decides whether a livelihood request is taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person
from fangkong.models.care import CareRequest
from fangkong.models.zones import Zone, ZoneResident

OPEN_STATUSES = ("new", "assigned", "in_progress")
IN_FORCE_KINDS = ("sealed", "controlled")


@dataclass(frozen=True)
class RequestFilter:
    status: str | None = None
    kind: str | None = None
    channel: str | None = None
    region: str | None = None  # a region-code prefix
    overdue_at: datetime | None = None  # open and due before this instant
    person_id: int | None = None
    escalated: bool = False  # escalated once by the overdue job (open or since closed)


def scoped(actor: Principal) -> Select[Any]:
    return select(CareRequest).where(within(CareRequest.region_code, actor.region_code))


def get_readable(session: Session, actor: Principal, request_id: int) -> CareRequest | None:
    return session.scalars(scoped(actor).where(CareRequest.id == request_id)).one_or_none()


def _filtered(actor: Principal, where: RequestFilter) -> Select[Any]:
    statement = scoped(actor)
    if where.status:
        statement = statement.where(CareRequest.status == where.status)
    if where.kind:
        statement = statement.where(CareRequest.kind == where.kind)
    if where.channel:
        statement = statement.where(CareRequest.channel == where.channel)
    if where.region:
        statement = statement.where(within(CareRequest.region_code, where.region))
    if where.overdue_at is not None:
        statement = statement.where(
            CareRequest.status.in_(OPEN_STATUSES), CareRequest.due_at < where.overdue_at
        )
    if where.person_id is not None:
        statement = statement.where(CareRequest.person_id == where.person_id)
    if where.escalated:
        statement = statement.where(CareRequest.escalated_at.is_not(None))
    return statement


def page(
    session: Session, actor: Principal, where: RequestFilter, params: PageParams
) -> tuple[Sequence[CareRequest], str | None]:
    """Emergencies first (priority 0), then in the order asked."""
    key = (CareRequest.priority, CareRequest.id)
    return fetch_page(session, _filtered(actor, where), key, params)


def count(session: Session, actor: Principal, where: RequestFilter) -> int:
    statement = _filtered(actor, where).with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(statement) or 0)


def to_escalate(
    session: Session, actor: Principal, at: datetime, region: str | None
) -> Sequence[CareRequest]:
    """Open requests due before ``at`` and not escalated yet, emergencies first."""
    where = RequestFilter(region=region, overdue_at=at)
    statement = _filtered(actor, where).where(CareRequest.escalated_at.is_(None))
    return session.scalars(statement.order_by(CareRequest.priority, CareRequest.id)).all()


def mark_escalated(session: Session, request_id: int, at: datetime) -> bool:
    """Set ``escalated_at`` unless already set; False when another run was first (the
    conditional update makes a concurrent second run wait and then find it taken)."""
    statement = (
        update(CareRequest)
        .where(CareRequest.id == request_id, CareRequest.escalated_at.is_(None))
        .values(escalated_at=at)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(session.execute(statement), "rowcount", 0))


def escalated_open_count(session: Session, actor: Principal) -> int:
    statement = scoped(actor).where(
        CareRequest.escalated_at.is_not(None), CareRequest.status.in_(OPEN_STATUSES)
    )
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def of_person(session: Session, person_id: int, limit: int) -> Sequence[CareRequest]:
    """A resident's own requests, newest first (for the citizen's page; unscoped)."""
    statement = select(CareRequest).where(CareRequest.person_id == person_id)
    return session.scalars(statement.order_by(CareRequest.id.desc()).limit(limit)).all()


def people_of(session: Session, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def zone_in_force(session: Session, person_id: int) -> Zone | None:
    """The resident's active sealed zone, else controlled zone (封控区 before 管控区)."""
    statement = (
        select(Zone)
        .join(ZoneResident, ZoneResident.zone_id == Zone.id)
        .where(ZoneResident.person_id == person_id, Zone.status == "active")
        .where(Zone.kind.in_(IN_FORCE_KINDS))
        .order_by(Zone.kind.desc(), Zone.id)  # "sealed" sorts after "controlled"
        .limit(1)
    )
    return session.scalars(statement).first()


EXPORT_COLUMNS = (
    CareRequest.id, CareRequest.kind, CareRequest.priority, Person.name, Person.phone_masked,
    CareRequest.region_code, CareRequest.community_code, CareRequest.zone_kind,
    CareRequest.text, CareRequest.status, CareRequest.created_at, CareRequest.due_at,
    CareRequest.done_at, CareRequest.volunteer_id,
)  # fmt: skip


def export_rows(
    session: Session, actor: Principal, where: RequestFilter, after: int | None, limit: int
) -> Sequence[Any]:
    statement = _filtered(actor, where).with_only_columns(*EXPORT_COLUMNS)
    statement = statement.join(Person, Person.id == CareRequest.person_id)
    if after is not None:
        statement = statement.where(CareRequest.id > after)
    return session.execute(statement.order_by(CareRequest.id).limit(limit)).all()
