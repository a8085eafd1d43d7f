"""Queries of the sentinel domain. Sites, visits and sales are scoped by the site's region
(a venue operator: only the venues it operates); the grid follow-up list by the buyer's grid;
alerts by district (a street or grid user sees its own district's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, PersonStatus, Region
from fangkong.models.healthcode import NatNegative
from fangkong.models.sentinel import DrugSale, FeverVisit, SentinelAlert, SentinelSite
from fangkong.models.venue import Venue, VenueOperator

OPERATOR_ROLE = "venue_operator"
DISTRICT_DIGITS = 6


def _site_scope(
    actor: Principal, region: InstrumentedAttribute[Any], venue: InstrumentedAttribute[Any]
) -> list[ColumnElement[bool]]:
    conditions = [within(region, actor.region_code)]
    if actor.role == OPERATOR_ROLE:
        mine = select(VenueOperator.venue_id).where(VenueOperator.user_id == (actor.id or 0))
        conditions.append(venue.in_(mine))
    return conditions


def readable_sites(actor: Principal) -> Select[SentinelSite, str]:
    """The sites the actor sees, with their venue's name."""
    statement = select(SentinelSite, Venue.name).join(Venue, Venue.id == SentinelSite.venue_id)
    return statement.where(*_site_scope(actor, SentinelSite.region_code, SentinelSite.venue_id))


def readable_visits(actor: Principal) -> Select[FeverVisit]:
    scope = _site_scope(actor, FeverVisit.region_code, FeverVisit.venue_id)
    return select(FeverVisit).where(*scope)


def readable_sales(actor: Principal) -> Select[DrugSale]:
    return select(DrugSale).where(*_site_scope(actor, DrugSale.region_code, DrugSale.venue_id))


def followups_of(actor: Principal) -> Select[DrugSale, str]:
    """Buyers pushed to the grid: the sales whose buyer lives in the actor's jurisdiction."""
    statement = select(DrugSale, Person.name).join(Person, Person.id == DrugSale.person_id)
    return statement.where(within(DrugSale.grid_code, actor.region_code))


def site(session: Session, actor: Principal, venue_id: int) -> tuple[SentinelSite, str] | None:
    row = session.execute(readable_sites(actor).where(SentinelSite.venue_id == venue_id)).first()
    return (row[0], row[1]) if row else None


def site_of_venue(session: Session, venue_id: int) -> SentinelSite | None:
    return session.get(SentinelSite, venue_id)


def sites_page(
    session: Session, actor: Principal, kind: str | None, params: PageParams
) -> tuple[Sequence[SentinelSite], str | None]:
    statement = select(SentinelSite).where(
        *_site_scope(actor, SentinelSite.region_code, SentinelSite.venue_id)
    )
    if kind:
        statement = statement.where(SentinelSite.kind == kind)
    return fetch_page(session, statement, SentinelSite.venue_id, params)


def venue_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(Venue.id, Venue.name).where(Venue.id.in_(ids)))
    return {row.id: row.name for row in rows}


def person_by_id_hash(session: Session, lookup_hash: str) -> Person | None:
    """The live person with that ID-number hash (a merged record answers the kept one)."""
    statement = select(Person).where(Person.id_number_hash == lookup_hash).order_by(Person.id)
    person = session.scalars(statement.limit(1)).first()
    if person is not None and person.status == PersonStatus.MERGED and person.merged_into_id:
        return session.get(Person, person.merged_into_id)
    return person


def latest_negative_at(session: Session, person_id: int) -> datetime | None:
    row = session.get(NatNegative, person_id)
    return row.sampled_at if row else None


def visits_page(
    session: Session, actor: Principal, day: date | None, params: PageParams
) -> tuple[Sequence[FeverVisit], str | None]:
    statement = readable_visits(actor)
    if day is not None:
        statement = statement.where(FeverVisit.visited_on == day)
    return fetch_page(session, statement, FeverVisit.id, params, descending=True)


def sales_page(
    session: Session, actor: Principal, day: date | None, params: PageParams
) -> tuple[Sequence[DrugSale], str | None]:
    statement = readable_sales(actor)
    if day is not None:
        statement = statement.where(DrugSale.sold_on == day)
    return fetch_page(session, statement, DrugSale.id, params, descending=True)


def _newest_first(
    session: Session, statement: Select[*tuple[Any, ...]], key: Any, limit: int, before: int | None
) -> Sequence[Any]:
    """One page (one row more than ``limit``, to tell a next page) newest first by ``key``."""
    if before is not None:
        statement = statement.where(key < before)
    return session.execute(statement.order_by(key.desc()).limit(limit + 1)).all()


def followups_page(
    session: Session, actor: Principal, open_only: bool, limit: int, before: int | None
) -> Sequence[Any]:
    """One page of the grid's buyers, newest first (keyset on the sale id)."""
    statement = followups_of(actor)
    if open_only:
        statement = statement.where(DrugSale.contacted_at.is_(None))
    return _newest_first(session, statement, DrugSale.id, limit, before)


def followup(session: Session, actor: Principal, sale_id: int) -> DrugSale | None:
    statement = select(DrugSale).where(
        DrugSale.id == sale_id, within(DrugSale.grid_code, actor.region_code)
    )
    return session.scalars(statement).one_or_none()


def visit_followups_page(
    session: Session,
    actor: Principal,
    where: tuple[bool, date | None, str | None],
    limit: int,
    before: int | None,
) -> Sequence[Any]:
    """One page of the fever-clinic visitors who live in the actor's jurisdiction, with their
    name and the clinic's, newest first; ``where`` is (open only, visit day, grid prefix)."""
    open_only, day, grid = where
    statement = (
        select(FeverVisit, Person.name, Venue.name)
        .join(Person, Person.id == FeverVisit.person_id)
        .join(Venue, Venue.id == FeverVisit.venue_id)
        .where(within(FeverVisit.grid_code, actor.region_code))
    )
    if open_only:
        statement = statement.where(FeverVisit.contacted_at.is_(None))
    if day is not None:
        statement = statement.where(FeverVisit.visited_on == day)
    if grid:
        statement = statement.where(within(FeverVisit.grid_code, grid))
    return _newest_first(session, statement, FeverVisit.id, limit, before)


def visit_followup(session: Session, actor: Principal, visit_id: int) -> FeverVisit | None:
    statement = select(FeverVisit).where(
        FeverVisit.id == visit_id, within(FeverVisit.grid_code, actor.region_code)
    )
    return session.scalars(statement).one_or_none()


def counts_by_clinic(session: Session, actor: Principal, day: date) -> Sequence[Any]:
    visits = readable_visits(actor).where(FeverVisit.visited_on == day).subquery()
    statement = (
        select(
            visits.c.venue_id,
            Venue.name,
            func.count().label("visits"),
            func.count().filter(visits.c.nat_taken.is_(True)).label("nat_taken"),
        )
        .join(Venue, Venue.id == visits.c.venue_id)
        .group_by(visits.c.venue_id, Venue.name)
        .order_by(func.count().desc(), visits.c.venue_id)
    )
    return session.execute(statement).all()


def _district(column: Any) -> ColumnElement[str]:
    return func.substr(column, 1, DISTRICT_DIGITS)


def counts_by_district(session: Session, actor: Principal, day: date) -> Sequence[Any]:
    visits = readable_visits(actor).where(FeverVisit.visited_on == day).subquery()
    district = _district(visits.c.region_code).label("district")
    statement = (
        select(
            district,
            func.count().label("visits"),
            func.count().filter(visits.c.nat_taken.is_(True)).label("nat_taken"),
        )
        .group_by(district)
        .order_by(district)
    )
    return session.execute(statement).all()


def district_visits_between(session: Session, first: date, last: date) -> Sequence[Any]:
    """Visits per district and day over ``first``..``last`` (the whole city: the alert job)."""
    district = _district(FeverVisit.region_code).label("district")
    statement = (
        select(district, FeverVisit.visited_on, func.count().label("visits"))
        .where(FeverVisit.visited_on >= first, FeverVisit.visited_on <= last)
        .group_by(district, FeverVisit.visited_on)
    )
    return session.execute(statement).all()


def alert_on(session: Session, district: str, day: date) -> SentinelAlert | None:
    statement = select(SentinelAlert).where(
        SentinelAlert.district_code == district, SentinelAlert.day == day
    )
    return session.scalars(statement).one_or_none()


def alerts_of(actor: Principal) -> Select[SentinelAlert]:
    mine = SentinelAlert.district_code == actor.region_code[:DISTRICT_DIGITS]
    return select(SentinelAlert).where(
        or_(within(SentinelAlert.district_code, actor.region_code), mine)
    )


def alerts_page(
    session: Session, actor: Principal, day: date | None, params: PageParams
) -> tuple[Sequence[SentinelAlert], str | None]:
    statement = alerts_of(actor)
    if day is not None:
        statement = statement.where(SentinelAlert.day == day)
    return fetch_page(session, statement, SentinelAlert.id, params, descending=True)


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    return {row.code: row.name for row in rows}


def marked_sales(session: Session, limit: int) -> Sequence[Any]:
    """(sale id, person id) of sales whose yellow fact the sentinel raised and never ended."""
    statement = select(DrugSale.id, DrugSale.person_id).where(DrugSale.marked.is_(True))
    return session.execute(statement.order_by(DrugSale.id).limit(limit)).all()


def unmark_sales(session: Session, ids: Sequence[int]) -> None:
    session.execute(update(DrugSale).where(DrugSale.id.in_(ids)).values(marked=False))


# The exports (kinds ``fever_visits`` and ``drug_sales``): names and numbers masked by the
# service. Each is (the record's model, its columns, the column of its local day).
VISIT_EXPORT: tuple[Any, tuple[Any, ...], Any] = (FeverVisit, (
    FeverVisit.id, Person.name, Person.id_number_masked, Venue.name, FeverVisit.visited_at,
    FeverVisit.symptoms, FeverVisit.temperature, FeverVisit.nat_taken, FeverVisit.marked,
    FeverVisit.grid_code,
), FeverVisit.visited_on)  # fmt: skip
SALE_EXPORT: tuple[Any, tuple[Any, ...], Any] = (DrugSale, (
    DrugSale.id, Person.name, Person.id_number_masked, DrugSale.drug_class, DrugSale.quantity,
    Venue.name, DrugSale.sold_at, DrugSale.marked, DrugSale.contacted_at.is_not(None),
    DrugSale.grid_code,
), DrugSale.sold_on)  # fmt: skip
Filter = tuple[date | None, str | None]  # (local day, region-code prefix of the site)


def _export_statement(spec: Any, actor: Principal, where: Filter) -> Select[Any]:
    model, columns, day_column = spec
    day, region = where
    statement: Select[Any] = (
        select(*columns)
        .join(Person, Person.id == model.person_id)
        .join(Venue, Venue.id == model.venue_id)
        .where(*_site_scope(actor, model.region_code, model.venue_id))
    )
    if day is not None:
        statement = statement.where(day_column == day)
    if region:
        statement = statement.where(within(model.region_code, region))
    return statement


def count_rows(session: Session, spec: Any, actor: Principal, where: Filter) -> int:
    inner = _export_statement(spec, actor, where).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def export_rows(
    session: Session,
    spec: Any,
    actor: Principal,
    where: Filter,
    *,
    before: int | None,
    limit: int,
) -> Sequence[Any]:
    """One chunk of visits or sales, newest first (keyset on the id)."""
    statement = _export_statement(spec, actor, where)
    if before is not None:
        statement = statement.where(spec[0].id < before)
    return session.execute(statement.order_by(spec[0].id.desc()).limit(limit)).all()


def _sites_statement(
    actor: Principal, kind: str | None, region: str | None
) -> Select[*tuple[Any, ...]]:
    statement: Select[*tuple[Any, ...]] = (
        select(SentinelSite.venue_id, Venue.name, SentinelSite.kind, SentinelSite.region_code,
               Venue.address, SentinelSite.created_at)
        .join(Venue, Venue.id == SentinelSite.venue_id)
        .where(*_site_scope(actor, SentinelSite.region_code, SentinelSite.venue_id))
    )  # fmt: skip
    if kind:
        statement = statement.where(SentinelSite.kind == kind)
    if region:
        statement = statement.where(within(SentinelSite.region_code, region))
    return statement


def count_site_rows(
    session: Session, actor: Principal, kind: str | None, region: str | None
) -> int:
    inner = _sites_statement(actor, kind, region).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def site_rows(
    session: Session,
    actor: Principal,
    where: tuple[str | None, str | None],
    after: int | None,
    limit: int,
) -> Sequence[Any]:
    """One chunk of sites by venue id; ``where`` is (kind, region-code prefix)."""
    statement = _sites_statement(actor, *where)
    if after is not None:
        statement = statement.where(SentinelSite.venue_id > after)
    return session.execute(statement.order_by(SentinelSite.venue_id).limit(limit)).all()
