"""Queries of the transmission chains. A link is readable when its infectee case is (the
registry's ``visible``); the graph reads the readable cases, the links among them and the
contacts linked to them (tables ``contacts``/``contact_links``), in a few set queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from fangkong.cases.chains.schemas import Row
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models.cases import Case, CaseLink, Cluster
from fangkong.models.contacts import Contact, ContactLink

CHUNK = 900  # bound parameters per IN list (SQLite's limit is far above; PostgreSQL's too)


@dataclass(frozen=True)
class GraphFilter:
    cluster_id: int | None = None
    region: str | None = None  # a region-code prefix
    since: date | None = None  # reported on or after


def _visible(actor: Principal, column: Any = Case) -> Any:
    scoped = within(column.region_code, actor.region_code)
    return scoped | (column.owner_id == actor.id) if actor.id is not None else scoped


def readable_case(session: Session, actor: Principal, case_id: int) -> Case | None:
    statement = select(Case).where(Case.id == case_id, _visible(actor))
    return session.scalars(statement).one_or_none()


def readable_link(session: Session, actor: Principal, link_id: int) -> CaseLink | None:
    infectee = aliased(Case)
    statement = (
        select(CaseLink).join(infectee, infectee.id == CaseLink.infectee_id)
        .where(CaseLink.id == link_id, _visible(actor, infectee))
    )  # fmt: skip
    return session.scalars(statement).one_or_none()


def link_between(session: Session, infector_id: int, infectee_id: int) -> CaseLink | None:
    statement = select(CaseLink).where(
        CaseLink.infector_id == infector_id, CaseLink.infectee_id == infectee_id
    )
    return session.scalars(statement).one_or_none()


def infectees_of(session: Session, case_ids: Iterable[int]) -> set[int]:
    statement = select(CaseLink.infectee_id).where(CaseLink.infector_id.in_(list(case_ids)))
    return set(session.scalars(statement))


def links_of(session: Session, case_id: int) -> Sequence[CaseLink]:
    statement = select(CaseLink).where(
        (CaseLink.infector_id == case_id) | (CaseLink.infectee_id == case_id)
    )
    return session.scalars(statement.order_by(CaseLink.id)).all()


CaseRow = Select[int, str, str | None, str, int | None]


def _case_rows(actor: Principal, where: GraphFilter) -> CaseRow:
    statement = select(Case.id, Case.case_no, Case.kind, Case.status, Case.cluster_id)
    statement = statement.where(_visible(actor))
    if where.cluster_id is not None:
        statement = statement.where(Case.cluster_id == where.cluster_id)
    if where.region:
        statement = statement.where(within(Case.region_code, where.region))
    if where.since is not None:
        statement = statement.where(Case.reported_on >= where.since)
    return statement.order_by(Case.id)


CaseTuple = tuple[int, str, str | None, str, int | None]


def graph_cases(session: Session, actor: Principal, where: GraphFilter) -> list[CaseTuple]:
    return [cast(CaseTuple, tuple(row)) for row in session.execute(_case_rows(actor, where))]


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def graph_links(session: Session, case_ids: list[int]) -> list[Row]:
    found: list[Row] = []
    wanted = set(case_ids)
    for chunk in _chunks(case_ids):
        statement = select(CaseLink.infector_id, CaseLink.infectee_id, CaseLink.certainty)
        for a, b, certainty in session.execute(statement.where(CaseLink.infectee_id.in_(chunk))):
            if a in wanted:
                found.append((a, b, certainty))
    return found


def graph_contacts(session: Session, case_ids: list[int]) -> tuple[list[Row], list[Row]]:
    """The contacts linked to the cases and the (case, contact) edges; rejected ones left out."""
    contacts: dict[int, Row] = {}
    edges: set[tuple[int, int]] = set()
    statement = (
        select(ContactLink.case_id, Contact.id, Contact.degree, Contact.status)
        .join(Contact, Contact.id == ContactLink.contact_id)
        .where(Contact.status != "rejected")
    )  # fmt: skip
    for chunk in _chunks(case_ids):
        for case_id, contact_id, degree, status in session.execute(
            statement.where(ContactLink.case_id.in_(chunk))
        ):
            contacts[contact_id] = (contact_id, degree, status)
            edges.add((case_id, contact_id))
    return list(contacts.values()), list[Row](sorted(edges))


def cluster_names(session: Session, cluster_ids: set[int]) -> list[Row]:
    if not cluster_ids:
        return []
    statement = select(Cluster.id, Cluster.name).where(Cluster.id.in_(cluster_ids))
    return [(row[0], row[1]) for row in session.execute(statement.order_by(Cluster.id))]
