"""Queries of the vaccination domain. Every read a caller sees is scoped to the actor's
jurisdiction through the person's grid (``readable``); the coverage queries group the
narrow ``vaccination_status`` table and the people table by district and age band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Select, and_, case, delete, false, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, PersonStatus, Region
from fangkong.models.base import UTCDateTime
from fangkong.models.vaccination import Dose, VaccinationCount, VaccinationStatus, Vaccine
from fangkong.vaccination.rules import band_bounds


def readable(actor: Principal) -> Select[Dose]:
    """The doses the actor may see: those of people in its jurisdiction."""
    return select(Dose).where(within(Dose.region_code, actor.region_code))


def vaccines(session: Session, *, active_only: bool = False) -> Sequence[Vaccine]:
    statement = select(Vaccine).order_by(Vaccine.code)
    if active_only:
        statement = statement.where(Vaccine.active.is_(True))
    return session.scalars(statement).all()


def vaccine_by_code(session: Session, code: str) -> Vaccine | None:
    return session.scalars(select(Vaccine).where(Vaccine.code == code)).one_or_none()


def vaccine(session: Session, vaccine_id: int) -> Vaccine | None:
    return session.get(Vaccine, vaccine_id)


def doses_of(session: Session, person_id: int) -> Sequence[Dose]:
    statement = select(Dose).where(Dose.person_id == person_id).order_by(Dose.dose_number)
    return session.scalars(statement).all()


def status_of(session: Session, person_id: int) -> VaccinationStatus | None:
    return session.get(VaccinationStatus, person_id)


def _band(column: Any, on: date) -> Any:
    whens = [
        (and_(column <= upto, column > after) if after else column <= upto, literal(key))
        for key, upto, after in band_bounds(on)
    ]
    return case(*whens, else_=literal(None))


def _district(column: Any) -> Any:
    return func.substr(column, 1, 6)


def vaccinated_groups(
    session: Session, actor: Principal, region: str, on: date
) -> Sequence[Sequence[Any]]:
    """(district, band, doses, complete, boosted, people) over the vaccinated."""
    status = VaccinationStatus
    band, district = _band(status.birth_date, on), _district(status.grid_code)
    statement = (
        select(district, band, status.doses, status.complete, status.boosted, func.count())
        .where(within(status.grid_code, actor.region_code), within(status.grid_code, region))
        .group_by(district, band, status.doses, status.complete, status.boosted)
    )
    return session.execute(statement).all()


def population_groups(
    session: Session, actor: Principal, region: str, on: date
) -> Sequence[Sequence[Any]]:
    """(district, band, people) over the registered people (the denominator)."""
    band, district = _band(Person.birth_date, on), _district(Person.grid_code)
    statement = (
        select(district, band, func.count())
        .where(within(Person.grid_code, actor.region_code), within(Person.grid_code, region))
        .where(Person.status == PersonStatus.ACTIVE)
        .group_by(district, band)
    )
    return session.execute(statement).all()


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    return {code: name for code, name in rows}


@dataclass(frozen=True)
class OutreachFilter:
    grid: str  # a region-code prefix: a grid, or a community or street for officers
    on: date
    reason: str | None = None  # incomplete, booster_due, unvaccinated


OUTREACH_COLUMNS = (
    Person.id, Person.name, Person.id_number_masked, Person.phone_masked, Person.sex,
    Person.birth_date, Person.grid_code, VaccinationStatus.doses,
    VaccinationStatus.series_doses, VaccinationStatus.last_dose_on,
    VaccinationStatus.booster_due_on,
)  # fmt: skip


def _reasons(on: date) -> dict[str, Any]:
    status = VaccinationStatus
    eligible = Person.birth_date <= band_bounds(on)[0][1]
    return {
        "unvaccinated": and_(status.person_id.is_(None), eligible),
        "incomplete": status.complete.is_(False),
        "booster_due": and_(status.booster_due_on.is_not(None), status.booster_due_on <= on),
    }


def outreach_statement(actor: Principal, where: OutreachFilter) -> Select[*tuple[Any, ...]]:
    reasons = _reasons(where.on)
    reason = case(*[(cond, literal(key)) for key, cond in reasons.items()])
    chosen = reasons[where.reason] if where.reason else or_(*reasons.values())
    return (
        select(*OUTREACH_COLUMNS, reason.label("reason"))
        .outerjoin(VaccinationStatus, VaccinationStatus.person_id == Person.id)
        .where(within(Person.grid_code, actor.region_code), within(Person.grid_code, where.grid))
        .where(Person.status == PersonStatus.ACTIVE, chosen)
    )


def outreach_page(
    session: Session, actor: Principal, where: OutreachFilter, after: int | None, limit: int
) -> Sequence[Sequence[Any]]:
    statement = outreach_statement(actor, where)
    if after is not None:
        statement = statement.where(Person.id > after)
    return session.execute(statement.order_by(Person.id).limit(limit)).all()


# --- maintained counts (vaccination_counts) ---------------------------------------------

CountKey = tuple[str, str, int, bool, bool]  # grid, band, doses, complete, boosted


def counted(session: Session) -> tuple[date, datetime] | None:
    """The day and instant the counts were taken, or None before the first recount."""
    row = session.execute(
        select(VaccinationCount.counted_on, VaccinationCount.counted_at).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def count_groups(session: Session, actor: Principal, region: str) -> Sequence[Sequence[Any]]:
    """(district, band, doses, complete, boosted, people) from the maintained counts."""
    c = VaccinationCount
    district = _district(c.grid_code)
    statement = (
        select(district, c.band, c.doses, c.complete, c.boosted, func.sum(c.people))
        .where(within(c.grid_code, actor.region_code), within(c.grid_code, region))
        .group_by(district, c.band, c.doses, c.complete, c.boosted)
    )
    return session.execute(statement).all()


def recount(session: Session, on: date, at: datetime) -> None:
    """Rebuild the counts from people and their status, in one statement."""
    status = VaccinationStatus
    band = _band(Person.birth_date, on)
    doses = func.coalesce(status.doses, 0)
    complete = func.coalesce(status.complete, false())
    boosted = func.coalesce(status.boosted, false())
    grouped = (
        select(
            Person.grid_code,
            band,
            doses,
            complete,
            boosted,
            func.count(),
            literal(on, Date()),
            literal(at, UTCDateTime()),
        )
        .outerjoin(status, status.person_id == Person.id)
        .where(Person.status == PersonStatus.ACTIVE, band.is_not(None))
        .group_by(Person.grid_code, band, doses, complete, boosted)
    )
    columns = ("grid_code", "band", "doses", "complete", "boosted", "people", "counted_on",
               "counted_at")  # fmt: skip
    session.execute(delete(VaccinationCount))
    session.execute(insert(VaccinationCount).from_select(columns, grouped))


def move_count(session: Session, key: CountKey, by: int, counted_at: tuple[date, datetime]) -> None:
    c = VaccinationCount
    found = session.get(c, key)
    if found is None:
        grid, band, doses, complete, boosted = key
        session.add(c(grid_code=grid, band=band, doses=doses, complete=complete, boosted=boosted,
                      people=by, counted_on=counted_at[0], counted_at=counted_at[1]))  # fmt: skip
    else:
        found.people += by


def outreach_count(session: Session, actor: Principal, where: OutreachFilter) -> int:
    statement = select(func.count()).select_from(outreach_statement(actor, where).subquery())
    return int(session.scalar(statement) or 0)
