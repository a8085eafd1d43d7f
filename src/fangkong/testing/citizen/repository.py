"""Queries of antigen reports, a citizen's own tubes and tasks, and the home page's counts.

Officers' reads start from ``readable(actor)``: reports whose grid (the person's, copied when
reported) lies in the actor's jurisdiction. A citizen's reads take their own person id only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, defer

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person
from fangkong.models.testing import AntigenReport, Lab, TestTask, Tube, TubeMember

MY_RESULTS_LIMIT = 100


@dataclass(frozen=True)
class ReportFilter:
    result: str | None = None
    region: str | None = None  # a region-code prefix inside the jurisdiction
    tested_from: datetime | None = None
    tested_to: datetime | None = None


def readable(actor: Principal) -> Select[AntigenReport]:
    return (
        select(AntigenReport)
        .where(within(AntigenReport.region_code, actor.region_code))
        .options(defer(AntigenReport.photo))
    )


def get_readable(session: Session, actor: Principal, report_id: int) -> AntigenReport | None:
    return session.scalars(readable(actor).where(AntigenReport.id == report_id)).one_or_none()


def photo_of(session: Session, report_id: int) -> tuple[bytes | None, str | None]:
    row = session.execute(
        select(AntigenReport.photo, AntigenReport.photo_type).where(AntigenReport.id == report_id)
    ).one()
    return row[0], row[1]


def page(
    session: Session, actor: Principal, where: ReportFilter, params: PageParams
) -> tuple[Sequence[AntigenReport], str | None]:
    statement = readable(actor)
    if where.result:
        statement = statement.where(AntigenReport.result == where.result)
    if where.region:
        statement = statement.where(within(AntigenReport.region_code, where.region))
    if where.tested_from:
        statement = statement.where(AntigenReport.tested_at >= where.tested_from)
    if where.tested_to:
        statement = statement.where(AntigenReport.tested_at < where.tested_to)
    return fetch_page(session, statement, AntigenReport.id, params, descending=True)


def names_of(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(set(person_ids))))
    return {person_id: name for person_id, name in rows}


def confirm_status(session: Session, refs: Iterable[str]) -> dict[str, str]:
    """``antigen:<id>`` → the status of the confirming NAT task."""
    statement = select(TestTask.source_ref, TestTask.status).where(
        TestTask.kind == "antigen_confirm", TestTask.source_ref.in_(set(refs))
    )
    return {ref: status for ref, status in session.execute(statement)}


def cleared_confirmations(session: Session, person_ids: Iterable[int]) -> list[tuple[int, str]]:
    """``(person_id, "antigen:<id>")`` of confirming NATs done with a negative result."""
    statement = select(TestTask.person_id, TestTask.source_ref).where(
        TestTask.kind == "antigen_confirm",
        TestTask.status == "done",
        TestTask.result == "negative",
        TestTask.person_id.in_(set(person_ids)),
    )
    return [(person_id, ref) for person_id, ref in session.execute(statement)]


def person_grid(session: Session, person_id: int) -> str | None:
    return session.scalar(select(Person.grid_code).where(Person.id == person_id))


def add(session: Session, row: AntigenReport | TestTask) -> None:
    session.add(row)
    session.flush()


# --- the citizen's own ---------------------------------------------------------------------


def reports_of(session: Session, person_id: int) -> Sequence[AntigenReport]:
    statement = (
        select(AntigenReport)
        .where(AntigenReport.person_id == person_id)
        .options(defer(AntigenReport.photo))
        .order_by(AntigenReport.id.desc())
        .limit(MY_RESULTS_LIMIT)
    )
    return session.scalars(statement).all()


def results_of(session: Session, person_id: int) -> list[tuple[Any, ...]]:
    """The tubes the person was sampled into, newest first, with the lab's name."""
    statement = (
        select(
            Tube.id,
            TubeMember.sampled_at,
            Tube.kind,
            Tube.purpose,
            Tube.status,
            Tube.result,
            Tube.tested_at,
            Lab.name,
        )
        .join(Tube, Tube.id == TubeMember.tube_id)
        .outerjoin(Lab, Lab.id == Tube.lab_id)
        .where(TubeMember.person_id == person_id)
        .order_by(TubeMember.sampled_at.desc(), Tube.id.desc())
        .limit(MY_RESULTS_LIMIT)
    )
    return [tuple(row) for row in session.execute(statement)]


def open_tasks_of(session: Session, person_id: int) -> Sequence[TestTask]:
    statement = (
        select(TestTask)
        .where(TestTask.person_id == person_id, TestTask.status == "open")
        .order_by(TestTask.id.desc())
    )
    return session.scalars(statement).all()


# --- the home page's figures (counts on indexed columns) -----------------------------------


def tubes_by_status(session: Session, actor: Principal, since: datetime) -> dict[str, int]:
    statement = (
        select(Tube.status, func.count())
        .where(within(Tube.region_code, actor.region_code), Tube.opened_at >= since)
        .group_by(Tube.status)
    )
    return {status: count for status, count in session.execute(statement)}


def open_tasks_by_kind(session: Session, actor: Principal) -> dict[str, int]:
    statement = (
        select(TestTask.kind, func.count())
        .join(Person, Person.id == TestTask.person_id)
        .where(TestTask.status == "open", within(Person.grid_code, actor.region_code))
        .group_by(TestTask.kind)
    )
    return {kind: count for kind, count in session.execute(statement)}


def positive_reports_since(session: Session, actor: Principal, since: datetime) -> int:
    statement = select(func.count()).where(
        within(AntigenReport.region_code, actor.region_code),
        AntigenReport.result == "positive",
        AntigenReport.reported_at >= since,
    )
    return session.scalar(statement) or 0
