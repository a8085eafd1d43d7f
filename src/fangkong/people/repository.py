"""People and household queries; every one is scoped by ``within(grid_code, jurisdiction)``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import (
    DuplicateCandidate,
    DuplicateStatus,
    GridAssignment,
    GridCounts,
    Household,
    KeyGroupMembership,
    Person,
    PersonAccess,
    PersonStatus,
    Region,
    RegionLevel,
)

FLAG_COLUMNS = (
    "elderly_alone",
    "disabled",
    "pregnant",
    "chronic_disease",
    "under_three",
    "migrant",
    "from_abroad",
)


@dataclass(frozen=True)
class PersonFilter:
    q: str | None = None
    region: str | None = None
    key_group: str | None = None
    flags: tuple[str, ...] = ()
    household_id: int | None = None
    include_merged: bool = False


def readable_people(principal: Principal) -> Select[Person]:
    return select(Person).where(within(Person.grid_code, principal.region_code))


def get_person(session: Session, principal: Principal, person_id: int) -> Person | None:
    return session.scalars(readable_people(principal).where(Person.id == person_id)).first()


def people_by_id(session: Session, principal: Principal, ids: Sequence[int]) -> dict[int, Person]:
    """Several people in one query, by id, inside the principal's jurisdiction."""
    rows = session.scalars(readable_people(principal).where(Person.id.in_(ids))).all()
    return {person.id: person for person in rows}


def prefix_range(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``, as an index range (bytewise on both backends)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


NARROW_SCOPE = 12  # a community or a grid: a few thousand people at most


def _narrow_to_grids(
    session: Session, statement: Select[Person], principal: Principal, region: str | None
) -> Select[Person]:
    """Inside a community or grid, name the grids, so the (grid, name, id) index serves.

    A name prefix across a district pages through the name index; inside one grid that walk
    would pass every namesake of the city, so there the grids are listed as equalities.
    """
    scope = max((principal.region_code, region or ""), key=len)
    if len(scope) < NARROW_SCOPE:
        return statement
    grids = select(Region.code).where(Region.level == RegionLevel.GRID, within(Region.code, scope))
    return statement.where(Person.grid_code.in_(session.scalars(grids).all()))


def people_page(
    session: Session, principal: Principal, params: PageParams, where: PersonFilter
) -> tuple[Sequence[Person], str | None]:
    statement, key = people_query(session, principal, where)
    return fetch_page(session, statement, key, params)


def people_query(
    session: Session, principal: Principal, where: PersonFilter
) -> tuple[Select[Person], tuple[Any, ...]]:
    """The list's scoped, filtered statement and the key it pages on (shared with exports)."""
    statement = readable_people(principal)
    if not where.include_merged:
        statement = statement.where(Person.status == PersonStatus.ACTIVE)
    if where.q:
        statement = statement.where(prefix_range(Person.name, where.q))
        statement = _narrow_to_grids(session, statement, principal, where.region)
    if where.region:
        statement = statement.where(within(Person.grid_code, where.region))
    if where.household_id is not None:
        statement = statement.where(Person.household_id == where.household_id)
    for flag in where.flags:
        statement = statement.where(getattr(Person, flag).is_(True))
    if where.key_group:
        members = select(KeyGroupMembership.person_id).where(
            KeyGroupMembership.group == where.key_group,
            KeyGroupMembership.end_date.is_(None)
            | (KeyGroupMembership.end_date >= func.current_date()),
        )
        statement = statement.where(Person.id.in_(members))
    # A name prefix pages through the (name, grid, id) index in its order; the rest by id.
    key = (Person.name, Person.grid_code, Person.id) if where.q else (Person.id,)
    return statement, key


# What an export of the list shows: numbers only in their masked forms.
EXPORT_COLUMNS = (
    Person.id,
    Person.name,
    Person.sex,
    Person.birth_date,
    Person.id_number_masked,
    Person.phone_masked,
    Person.grid_code,
    Person.migrant,
    Person.from_abroad,
)


def count_people(session: Session, principal: Principal, where: PersonFilter) -> int:
    statement, _ = people_query(session, principal, where)
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def people_rows(
    session: Session,
    principal: Principal,
    where: PersonFilter,
    after: Sequence[Any] | None,
    limit: int,
) -> tuple[Sequence[Sequence[Any]], list[Any] | None]:
    """Up to ``limit`` rows of ``EXPORT_COLUMNS`` after the key ``after``, in the list's order,
    and the key of the last row (None at the end): a keyset walk that never loads the list.
    The key's columns are among ``EXPORT_COLUMNS``, so the rows carry their own key."""
    query, key = people_query(session, principal, where)
    statement: Select[Any] = query.with_only_columns(*EXPORT_COLUMNS)  # type: ignore[assignment]
    if after is not None:
        left = key[0] if len(key) == 1 else tuple_(*key)
        statement = statement.where(left > (after[0] if len(key) == 1 else tuple_(*after)))
    # Core execution: plain rows, without the ORM's per-row loading.
    rows = session.connection().execute(statement.order_by(*key).limit(limit)).all()
    if len(rows) < limit:
        return rows, None
    positions = [next(i for i, c in enumerate(EXPORT_COLUMNS) if c is k) for k in key]
    return rows, [rows[-1][i] for i in positions]


def find_by_hash(session: Session, column: str, value: str) -> Sequence[Person]:
    """Unscoped exact lookup (the service scopes and logs); at most a few rows."""
    statement = select(Person).where(getattr(Person, column) == value).order_by(Person.id)
    return session.scalars(statement.limit(20)).all()


def key_groups_of(session: Session, person_id: int) -> Sequence[KeyGroupMembership]:
    statement = select(KeyGroupMembership).where(KeyGroupMembership.person_id == person_id)
    return session.scalars(statement.order_by(KeyGroupMembership.start_date)).all()


def grid(session: Session, code: str) -> Region | None:
    region = session.get(Region, code)
    return region if region is not None and region.level == RegionLevel.GRID else None


def get_household(session: Session, principal: Principal, household_id: int) -> Household | None:
    statement = select(Household).where(
        Household.id == household_id, within(Household.grid_code, principal.region_code)
    )
    return session.scalars(statement).first()


def households_in(session: Session, principal: Principal, household_ids: Sequence[int]) -> set[int]:
    """Which of the households lie inside the principal's jurisdiction."""
    statement = select(Household.id).where(
        Household.id.in_(household_ids), within(Household.grid_code, principal.region_code)
    )
    return set(session.scalars(statement))


def household_by_ref(session: Session, grid_code: str, ref: str) -> Household | None:
    statement = select(Household).where(Household.grid_code == grid_code, Household.ref == ref)
    return session.scalars(statement).first()


def households_page(
    session: Session, principal: Principal, params: PageParams, region: str | None
) -> tuple[Sequence[Household], str | None]:
    statement = select(Household).where(within(Household.grid_code, principal.region_code))
    if region:
        statement = statement.where(within(Household.grid_code, region))
    return fetch_page(session, statement, Household.id, params)


def members_of(session: Session, household_ids: Sequence[int]) -> dict[int, list[Person]]:
    statement = (
        select(Person)
        .where(Person.household_id.in_(household_ids), Person.status == PersonStatus.ACTIVE)
        .order_by(Person.id)
    )
    found: dict[int, list[Person]] = {hid: [] for hid in household_ids}
    for person in session.scalars(statement):
        found[person.household_id or 0].append(person)
    return found


def grid_households(session: Session, grid_code: str) -> Sequence[Household]:
    statement = select(Household).where(Household.grid_code == grid_code).order_by(Household.ref)
    return session.scalars(statement.order_by(Household.id)).all()


def grid_people_without_household(session: Session, grid_code: str) -> Sequence[Person]:
    statement = select(Person).where(
        Person.grid_code == grid_code,
        Person.household_id.is_(None),
        Person.status == PersonStatus.ACTIVE,
    )
    return session.scalars(statement.order_by(Person.id)).all()


def key_group_people(
    session: Session, person_ids: Sequence[int], today: date
) -> dict[int, list[str]]:
    statement = select(KeyGroupMembership.person_id, KeyGroupMembership.group).where(
        KeyGroupMembership.person_id.in_(person_ids),
        KeyGroupMembership.start_date <= today,
        or_(KeyGroupMembership.end_date.is_(None), KeyGroupMembership.end_date >= today),
    )
    found: dict[int, list[str]] = {}
    for person_id, group in session.execute(statement):
        found.setdefault(person_id, []).append(str(group))
    return found


def grid_load(
    session: Session, principal: Principal, region: str
) -> Sequence[tuple[str, str, int, int, int]]:
    """(grid code, grid name, workers, households, residents) for every grid under ``region``."""
    workers = (
        select(GridAssignment.grid_code, func.count().label("n"))
        .group_by(GridAssignment.grid_code)
        .subquery()
    )
    statement = (
        select(
            Region.code,
            Region.name,
            func.coalesce(workers.c.n, 0),
            func.coalesce(GridCounts.households, 0),
            func.coalesce(GridCounts.residents, 0),
        )
        .outerjoin(workers, workers.c.grid_code == Region.code)
        .outerjoin(GridCounts, GridCounts.grid_code == Region.code)
        .where(Region.level == RegionLevel.GRID)
        .where(within(Region.code, principal.region_code), within(Region.code, region))
        .order_by(Region.code)
    )
    return [tuple(row) for row in session.execute(statement)]


def access_page(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    person_id: int | None,
    user_id: int | None,
    since: datetime | None,
) -> tuple[Sequence[PersonAccess], str | None]:
    statement = select(PersonAccess).where(within(PersonAccess.region_code, principal.region_code))
    if person_id is not None:
        statement = statement.where(PersonAccess.person_id == person_id)
    if user_id is not None:
        statement = statement.where(PersonAccess.user_id == user_id)
    if since is not None:
        statement = statement.where(PersonAccess.at >= since)
    return fetch_page(session, statement, PersonAccess.id, params, descending=True)


def duplicates_page(
    session: Session, principal: Principal, params: PageParams, status: str
) -> tuple[Sequence[DuplicateCandidate], str | None]:
    statement = select(DuplicateCandidate).where(
        DuplicateCandidate.status == status,
        within(DuplicateCandidate.region_code, principal.region_code),
    )
    return fetch_page(session, statement, DuplicateCandidate.id, params)


def get_duplicate(
    session: Session, principal: Principal, pair_id: int
) -> DuplicateCandidate | None:
    statement = select(DuplicateCandidate).where(
        DuplicateCandidate.id == pair_id,
        within(DuplicateCandidate.region_code, principal.region_code),
    )
    return session.scalars(statement).first()


def open_pairs_of(session: Session, person_ids: Sequence[int]) -> Sequence[DuplicateCandidate]:
    statement = select(DuplicateCandidate).where(
        DuplicateCandidate.status == DuplicateStatus.OPEN,
        or_(
            DuplicateCandidate.person_id.in_(person_ids),
            DuplicateCandidate.other_id.in_(person_ids),
        ),
    )
    return session.scalars(statement).all()


def households_headed_by(session: Session, person_id: int) -> Sequence[Household]:
    return session.scalars(select(Household).where(Household.head_id == person_id)).all()


def clear_under_three(session: Session, *, born_before: date) -> int:
    """Clear the child-under-3 flag of everyone born on or before ``born_before``."""
    statement = (
        update(Person)
        .where(Person.under_three.is_(True), Person.birth_date <= born_before)
        .values(under_three=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def resident_rows(session: Session, region_code: str) -> Sequence[Any]:
    """(id, household id, grid code, birth date) of every active person in ``region_code``,
    by id: the outbreak model's population, no personal field beyond these."""
    statement = (
        select(Person.id, Person.household_id, Person.grid_code, Person.birth_date)
        .where(Person.status == PersonStatus.ACTIVE, within(Person.grid_code, region_code))
        .order_by(Person.id)
    )
    return session.execute(statement).all()


def current_key_groups(session: Session, region_code: str, on: date) -> Sequence[Any]:
    """(person id, key group) of the memberships current on ``on`` in ``region_code``."""
    statement = (
        select(KeyGroupMembership.person_id, KeyGroupMembership.group)
        .join(Person, Person.id == KeyGroupMembership.person_id)
        .where(
            within(Person.grid_code, region_code),
            KeyGroupMembership.start_date <= on,
            or_(KeyGroupMembership.end_date.is_(None), KeyGroupMembership.end_date >= on),
        )
    )
    return session.execute(statement).all()
