"""Queries of volunteers, needs and pairings; each read starts from a scoped statement:
volunteers by their first area, needs and pairings by the resident's grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, Region
from fangkong.models.care import CareNeed, CarePairing, Volunteer


@dataclass(frozen=True)
class VolunteerFilter:
    active: bool | None = None
    region: str | None = None


def volunteers(actor: Principal) -> Select[Any]:
    return select(Volunteer).where(within(Volunteer.region_code, actor.region_code))


def get_volunteer(session: Session, actor: Principal, volunteer_id: int) -> Volunteer | None:
    statement = volunteers(actor).where(Volunteer.id == volunteer_id)
    return session.scalars(statement).one_or_none()


def volunteer_of_person(session: Session, person_id: int) -> Volunteer | None:
    return session.scalars(select(Volunteer).where(Volunteer.person_id == person_id)).first()


def _volunteers_where(actor: Principal, where: VolunteerFilter) -> Select[Any]:
    statement = volunteers(actor)
    if where.active is not None:
        statement = statement.where(Volunteer.active.is_(where.active))
    if where.region:
        statement = statement.where(within(Volunteer.region_code, where.region))
    return statement


def volunteer_page(
    session: Session, actor: Principal, where: VolunteerFilter, params: PageParams
) -> tuple[Sequence[Volunteer], str | None]:
    return fetch_page(session, _volunteers_where(actor, where), Volunteer.id, params)


def _counted(session: Session, statement: Select[Any]) -> int:
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def volunteer_count(session: Session, actor: Principal, where: VolunteerFilter) -> int:
    return _counted(session, _volunteers_where(actor, where))


VOLUNTEER_COLUMNS = (
    Volunteer.id, Person.name, Person.id_number_masked, Person.phone_masked, Volunteer.skills,
    Volunteer.areas, Volunteer.active, Volunteer.created_at,
)  # fmt: skip


def volunteer_rows(
    session: Session, actor: Principal, where: VolunteerFilter, after: int | None, limit: int
) -> Sequence[Any]:
    """Volunteers with their person's name and masked numbers, by id (keyset)."""
    statement = _volunteers_where(actor, where).with_only_columns(*VOLUNTEER_COLUMNS)
    statement = statement.outerjoin(Person, Person.id == Volunteer.person_id)
    if after is not None:
        statement = statement.where(Volunteer.id > after)
    return session.execute(statement.order_by(Volunteer.id).limit(limit)).all()


def people_of(session: Session, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


def need(session: Session, person_id: int) -> CareNeed | None:
    return session.get(CareNeed, person_id)


def pairings(actor: Principal) -> Select[Any]:
    return select(CarePairing).where(within(CarePairing.region_code, actor.region_code))


def get_pairing(session: Session, actor: Principal, pairing_id: int) -> CarePairing | None:
    statement = pairings(actor).where(CarePairing.id == pairing_id)
    return session.scalars(statement).one_or_none()


def active_pairing_of(session: Session, person_id: int) -> CarePairing | None:
    statement = select(CarePairing).where(
        CarePairing.person_id == person_id, CarePairing.active.is_(True)
    )
    return session.scalars(statement).first()


def _pairings_where(actor: Principal, active: bool | None) -> Select[Any]:
    statement = pairings(actor)
    if active is not None:
        statement = statement.where(CarePairing.active.is_(active))
    return statement


def pairing_page(
    session: Session, actor: Principal, active: bool | None, params: PageParams
) -> tuple[Sequence[CarePairing], str | None]:
    return fetch_page(session, _pairings_where(actor, active), CarePairing.id, params)


def pairing_count(session: Session, actor: Principal, active: bool | None) -> int:
    return _counted(session, _pairings_where(actor, active))


HELPER = aliased(Person)
PAIRING_COLUMNS = (
    CarePairing.id, Person.name, CarePairing.region_code, CarePairing.volunteer_id,
    HELPER.name, CarePairing.active, CarePairing.created_at, CarePairing.ended_at,
)  # fmt: skip


def pairing_rows(
    session: Session, actor: Principal, active: bool | None, after: int | None, limit: int
) -> Sequence[Any]:
    """Pairings with the resident's and the volunteer's names, by id (keyset)."""
    statement = _pairings_where(actor, active).with_only_columns(*PAIRING_COLUMNS)
    statement = statement.join(Person, Person.id == CarePairing.person_id)
    statement = statement.join(Volunteer, Volunteer.id == CarePairing.volunteer_id)
    statement = statement.outerjoin(HELPER, HELPER.id == Volunteer.person_id)
    if after is not None:
        statement = statement.where(CarePairing.id > after)
    return session.execute(statement.order_by(CarePairing.id).limit(limit)).all()


def vulnerable_page(
    session: Session, actor: Principal, params: PageParams
) -> tuple[Sequence[Any], str | None]:
    """People flagged elderly-alone or disabled, or with a bedridden or dialysis need."""
    statement = (
        select(Person)
        .outerjoin(CareNeed, CareNeed.person_id == Person.id)
        .where(within(Person.grid_code, actor.region_code), Person.status == "active")
        .where(
            or_(
                Person.elderly_alone.is_(True),
                Person.disabled.is_(True),
                CareNeed.bedridden.is_(True),
                CareNeed.dialysis.is_(True),
            )
        )
    )
    return fetch_page(session, statement, Person.id, params)


def needs_of(session: Session, ids: set[int]) -> dict[int, CareNeed]:
    if not ids:
        return {}
    found = session.scalars(select(CareNeed).where(CareNeed.person_id.in_(ids)))
    return {n.person_id: n for n in found}


def active_pairings_of(session: Session, ids: set[int]) -> dict[int, CarePairing]:
    if not ids:
        return {}
    statement = select(CarePairing).where(
        CarePairing.person_id.in_(ids), CarePairing.active.is_(True)
    )
    return {p.person_id: p for p in session.scalars(statement)}
