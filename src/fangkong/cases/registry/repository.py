"""Queries of the case registry. Every read a caller sees starts from ``readable(actor)``: the
cases whose region the actor's jurisdiction covers, and the cases the actor owns (a hand-over
to another district's epidemiologist). The detection channel reads the placements, contacts,
trips and tubes of the person here (any repository may read any table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from fangkong.cases.registry.labels import OPEN_STATUSES
from fangkong.cases.registry.scope import visible
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person
from fangkong.models.arrivals import Trip
from fangkong.models.cases import Case, CaseEvent, Cluster
from fangkong.models.contacts import Contact
from fangkong.models.person import PersonStatus
from fangkong.models.quarantine import Placement
from fangkong.models.testing import Tube
from fangkong.models.user import User


@dataclass(frozen=True)
class CaseFilter:
    kind: str | None = None
    status: str | None = None
    channel: str | None = None
    district: str | None = None  # a region-code prefix
    cluster_id: int | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    case_no: str | None = None  # a prefix of the case number


def readable(actor: Principal) -> Select[Case]:
    return select(Case).where(visible(actor))


def get_case(session: Session, actor: Principal, case_id: int) -> Case | None:
    return session.scalars(readable(actor).where(Case.id == case_id)).one_or_none()


def case_by_no(session: Session, actor: Principal, case_no: str) -> Case | None:
    return session.scalars(readable(actor).where(Case.case_no == case_no)).one_or_none()


def _prefixed(column: Any, prefix: str) -> ColumnElement[bool]:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def case_page(
    session: Session, actor: Principal, where: CaseFilter, params: PageParams
) -> tuple[Sequence[Case], str | None]:
    return fetch_page(session, filtered(actor, where), Case.id, params, descending=True)


def filtered(actor: Principal, where: CaseFilter) -> Select[Case]:
    """The list's statement: ``readable(actor)`` narrowed by the filters."""
    statement = readable(actor)
    equal = ((Case.kind, where.kind), (Case.status, where.status),
             (Case.channel, where.channel), (Case.cluster_id, where.cluster_id))  # fmt: skip
    for column, value in equal:
        if value is not None:
            statement = statement.where(column == value)
    if where.district:
        statement = statement.where(_prefixed(Case.region_code, where.district))
    if where.case_no:
        statement = statement.where(_prefixed(Case.case_no, where.case_no))
    if where.reported_from:
        statement = statement.where(Case.reported_on >= where.reported_from)
    if where.reported_to:
        statement = statement.where(Case.reported_on <= where.reported_to)
    return statement


# Columns of the case export: the id (the keyset, dropped from the row) and masked numbers only.
EXPORT_COLUMNS = (
    Case.id, Case.case_no, Person.name, Person.id_number_masked, Person.phone_masked, Case.kind,
    Case.severity, Case.status, Case.channel, Case.local, Case.sampled_at, Case.onset_on,
    Case.confirmed_at, Case.reported_on, Case.placement, Case.hospital, Case.region_code,
)  # fmt: skip


def count_cases(session: Session, actor: Principal, where: CaseFilter) -> int:
    counted = filtered(actor, where).with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def case_rows(
    session: Session, actor: Principal, where: CaseFilter, after: int | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` rows of ``EXPORT_COLUMNS`` after the case id ``after`` (newest first)."""
    statement = filtered(actor, where).with_only_columns(*EXPORT_COLUMNS)
    statement = statement.join(Person, Person.id == Case.person_id)
    if after is not None:
        statement = statement.where(Case.id < after)
    return session.execute(statement.order_by(Case.id.desc()).limit(limit)).all()


def names_of(session: Session, person_ids: Sequence[int]) -> dict[int, Person]:
    if not person_ids:
        return {}
    rows = session.scalars(select(Person).where(Person.id.in_(set(person_ids))))
    return {p.id: p for p in rows}


def person_in_scope(session: Session, actor: Principal, person_id: int) -> Person | None:
    statement = select(Person).where(
        Person.id == person_id, within(Person.grid_code, actor.region_code),
        Person.status == PersonStatus.ACTIVE,
    )  # fmt: skip
    return session.scalars(statement).one_or_none()


def person_by_hash(session: Session, actor: Principal, id_hash: str) -> Person | None:
    statement = select(Person).where(
        Person.id_number_hash == id_hash, within(Person.grid_code, actor.region_code),
        Person.status == PersonStatus.ACTIVE,
    )  # fmt: skip
    return session.scalars(statement).one_or_none()


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def open_case_of(session: Session, person_id: int) -> Case | None:
    statement = select(Case).where(Case.person_id == person_id, Case.status.in_(OPEN_STATUSES))
    return session.scalars(statement.order_by(Case.id).limit(1)).first()


def cases_of_person(session: Session, person_id: int) -> Sequence[Case]:
    return session.scalars(select(Case).where(Case.person_id == person_id)).all()


def last_case_no(session: Session, prefix: str) -> str | None:
    statement = select(func.max(Case.case_no)).where(_prefixed(Case.case_no, prefix))
    return session.scalar(statement)


def history(session: Session, case_id: int) -> Sequence[CaseEvent]:
    statement = select(CaseEvent).where(CaseEvent.case_id == case_id)
    return session.scalars(statement.order_by(CaseEvent.at, CaseEvent.id)).all()


def events_of_person(session: Session, person_id: int) -> Sequence[tuple[CaseEvent, Case]]:
    statement = (
        select(CaseEvent, Case).join(Case, Case.id == CaseEvent.case_id)
        .where(Case.person_id == person_id).order_by(CaseEvent.at)
    )  # fmt: skip
    return [(row[0], row[1]) for row in session.execute(statement)]


def active_user(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


# --- the detection channel ----------------------------------------------------------------


def under_control(session: Session, person_id: int) -> bool:
    placed = select(Placement.id).where(
        Placement.person_id == person_id, Placement.status.in_(("pending", "active"))
    )
    contact = select(Contact.id).where(
        Contact.person_id == person_id, Contact.status == "confirmed", Contact.is_open
    )
    found = session.scalar(select(placed.exists())) or session.scalar(select(contact.exists()))
    return bool(found)


def open_trip_since(session: Session, person_id: int, since: datetime) -> bool:
    statement = select(Trip.id).where(
        Trip.person_id == person_id, Trip.status.in_(("open", "screened")),
        Trip.arrived_at >= since,
    )  # fmt: skip
    return bool(session.scalar(select(statement.exists())))


def tube_purpose(session: Session, tube_id: int) -> str | None:
    return session.scalar(select(Tube.purpose).where(Tube.id == tube_id))


# --- clusters -----------------------------------------------------------------------------


def clusters(actor: Principal) -> Select[Cluster]:
    return select(Cluster).where(within(Cluster.region_code, actor.region_code))


def get_cluster(session: Session, actor: Principal, cluster_id: int) -> Cluster | None:
    return session.scalars(clusters(actor).where(Cluster.id == cluster_id)).one_or_none()


def cluster_page(
    session: Session, actor: Principal, params: PageParams
) -> tuple[Sequence[Cluster], str | None]:
    return fetch_page(session, clusters(actor), Cluster.id, params, descending=True)


def cluster_counts(session: Session, cluster_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    if not cluster_ids:
        return {}
    statement = (
        select(Case.cluster_id, Case.kind, func.count()).where(Case.cluster_id.in_(cluster_ids))
        .group_by(Case.cluster_id, Case.kind)
    )  # fmt: skip
    found: dict[int, dict[str, int]] = {}
    for cluster_id, kind, count in session.execute(statement):
        if cluster_id is not None:
            found.setdefault(cluster_id, {})[kind or "pending"] = int(count)
    return found


# --- scoring a simulated run --------------------------------------------------------------


def samples_between(
    session: Session, actor: Principal, since: datetime, until: datetime
) -> list[tuple[int, int, datetime]]:
    """(case id, person id, first positive sample) of the readable cases sampled in
    ``[since, until)``, in case id order."""
    statement = readable(actor).with_only_columns(Case.id, Case.person_id, Case.sampled_at)
    statement = statement.where(Case.sampled_at >= since, Case.sampled_at < until)
    return [(r[0], r[1], r[2]) for r in session.execute(statement.order_by(Case.id))]
