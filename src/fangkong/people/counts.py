"""The seven counts (七个底数清): kept per grid in ``grid_counts``, summed by code prefix above.

Services that change people, households or key groups call ``recount_grids`` for the grids they
touched (a grid holds hundreds of people, so this is one small indexed aggregate); bulk loads
call it once for every grid they touched, and the nightly job ``people.recount`` catches what
time changes by itself (a child turning three, a key-group membership ending).

``home_isolated_or_monitored`` and ``positives_and_centrally_isolated`` belong to the
quarantine and case domains; ``recount_grids`` leaves them as those domains set them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, case, cast, distinct, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.scoping import within
from fangkong.models import GridCounts, Household, KeyGroupMembership, Person, PersonStatus

METRICS = (
    "residents",
    "vulnerable",
    "migrants",
    "arrivals_from_abroad",
    "home_isolated_or_monitored",
    "positives_and_centrally_isolated",
    "key_groups",
)
PEOPLE_METRICS = (
    "households",
    "residents",
    "vulnerable",
    "migrants",
    "arrivals_from_abroad",
    "key_groups",
)
BATCH = 500


def _flag(column: Any) -> Any:
    return func.coalesce(func.sum(cast(column, Integer)), 0)


def _people_aggregate(codes: Sequence[str], today: date) -> Select[Any]:
    vulnerable = or_(
        Person.elderly_alone,
        Person.disabled,
        Person.pregnant,
        Person.chronic_disease,
        Person.under_three,
    )
    in_key_group = (
        select(KeyGroupMembership.person_id)
        .where(KeyGroupMembership.start_date <= today)
        .where(or_(KeyGroupMembership.end_date.is_(None), KeyGroupMembership.end_date >= today))
        .scalar_subquery()
    )
    return (
        select(
            Person.grid_code,
            func.count(),
            _flag(case((vulnerable, 1), else_=0)),
            _flag(Person.migrant),
            _flag(Person.from_abroad),
            func.count(distinct(case((Person.id.in_(in_key_group), Person.id)))),
        )
        .where(Person.status == PersonStatus.ACTIVE, Person.grid_code.in_(codes))
        .group_by(Person.grid_code)
    )


def _household_counts(session: Session, codes: Sequence[str]) -> dict[str, int]:
    statement = (
        select(Household.grid_code, func.count())
        .where(Household.grid_code.in_(codes))
        .group_by(Household.grid_code)
    )
    return {code: count for code, count in session.execute(statement).all()}


def _upsert(session: Session, rows: list[dict[str, object]]) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(GridCounts)
    statement = statement.on_conflict_do_update(
        index_elements=[GridCounts.grid_code],
        set_={name: statement.excluded[name] for name in (*PEOPLE_METRICS, "updated_at")},
    )
    session.execute(statement, rows)


def recount_grids(session: Session, grid_codes: Iterable[str], *, today: date | None = None) -> int:
    """Recompute the people-derived counts of these grids from the tables; returns how many."""
    day = today or clock.local_today()
    codes = sorted(set(grid_codes))
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        households = _household_counts(session, chunk)
        found = {row[0]: row[1:] for row in session.execute(_people_aggregate(chunk, day)).all()}
        now = clock.now()
        rows = []
        for code in chunk:
            residents, vulnerable, migrants, abroad, key_groups = found.get(code, (0, 0, 0, 0, 0))
            rows.append(
                {
                    "grid_code": code,
                    "households": households.get(code, 0),
                    "residents": residents,
                    "vulnerable": vulnerable,
                    "migrants": migrants,
                    "arrivals_from_abroad": abroad,
                    "key_groups": key_groups,
                    "updated_at": now,
                }
            )
        _upsert(session, rows)
    session.flush()
    return len(codes)


def populated_grids(session: Session) -> list[str]:
    """Every grid that has people or households or a counts row (what a full recount covers)."""
    codes: set[str] = set(session.scalars(select(Person.grid_code).distinct()).all())
    codes.update(session.scalars(select(Household.grid_code).distinct()).all())
    codes.update(session.scalars(select(GridCounts.grid_code)).all())
    return sorted(codes)


def region_totals(session: Session, region_code: str) -> dict[str, int]:
    """The counts of a region of any level: the sum over its grids, by code-prefix range."""
    columns = [func.coalesce(func.sum(getattr(GridCounts, m)), 0) for m in ("households", *METRICS)]
    row = session.execute(select(*columns).where(within(GridCounts.grid_code, region_code))).one()
    return dict(zip(("households", *METRICS), (int(v) for v in row), strict=True))


CONTROL_METRICS = ("home_isolated_or_monitored", "positives_and_centrally_isolated")


def set_control_counts(session: Session, values: dict[str, tuple[int, int]]) -> int:
    """Store the two control counts per grid as the quarantine domain computed them (home
    isolation + monitoring; positives + centralized); the people counts are left alone."""
    if not values:
        return 0
    now = clock.now()
    rows = [
        {"grid_code": code, CONTROL_METRICS[0]: home, CONTROL_METRICS[1]: positives,
         "updated_at": now}
        for code, (home, positives) in sorted(values.items())
    ]  # fmt: skip
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(GridCounts)
    statement = statement.on_conflict_do_update(
        index_elements=[GridCounts.grid_code],
        set_={name: statement.excluded[name] for name in (*CONTROL_METRICS, "updated_at")},
    )
    session.execute(statement, rows)
    session.flush()
    return len(rows)
