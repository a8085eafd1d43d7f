"""Helpers of the retention tests: the instant ``T0`` data is made at, and readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_user, resident_id
from fangkong.auth.service import principal_of
from fangkong.core.principal import Principal
from fangkong.models import GridCounts, Person
from fangkong.people.schemas import PersonCreate

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Harbin
DAY0 = date(2026, 3, 1)
GRID = "230102001002003"


def later(days: float) -> datetime:
    return T0 + timedelta(days=days)


@dataclass
class Registry:
    grid: str
    people: list[int]
    household: int
    counts: dict[str, int]


def officer(session: Session) -> Principal:
    return principal_of(make_user(session, role="district_officer", region_code="230102"))


def person_data(seed: int, household: int, **extra: object) -> PersonCreate:
    born = date(1980, 5, 17)
    return PersonCreate(
        name="张测试",
        id_number=resident_id(seed, born=born),
        phone="13900000001",
        address="道里区测试街1号",
        grid_code=GRID,
        household_id=household,
        **extra,  # type: ignore[arg-type]
    )


def grid_counts(session: Session, grid: str) -> dict[str, int]:
    row = session.get(GridCounts, grid)
    assert row is not None
    session.refresh(row)
    names = ("households", "residents", "vulnerable", "migrants", "key_groups")
    return {name: getattr(row, name) for name in names}


def people_rows(session: Session, ids: list[int]) -> list[Person]:
    session.expire_all()
    return list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))
