"""The queries of the people import: a few per batch, each for the whole batch.

They live apart from ``people.repository`` because they serve one bulk path and trade the ORM
for speed: Core statements built once, lookups of a batch's thousands of keys in one
statement (an array on PostgreSQL, an IN list on SQLite), rows rather than entities. The
writes go through the driver (``import_driver``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Table,
    and_,
    any_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from fangkong.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    KeyGroupMembership,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
)

PEOPLE = cast(Table, Person.__table__)
HOUSEHOLDS = cast(Table, Household.__table__)
MEMBERSHIPS = cast(Table, KeyGroupMembership.__table__)
DUPLICATES = cast(Table, DuplicateCandidate.__table__)

# What the import compares and may change on an existing person; the ID itself never changes.
UPDATABLE = (
    "name",
    "sex",
    "birth_date",
    "registration_code",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "address",
    "grid_code",
    "household_id",
    "elderly_alone",
    "disabled",
    "pregnant",
    "chronic_disease",
    "migrant",
    "from_abroad",
    "under_three",
    "match_key",
)
# Set once, when the person is registered.
IDENTITY = ("id_type", "id_number_enc", "id_number_hash", "id_number_masked")
_EXISTING_COLUMNS = ("id", "id_number_hash", "status", *UPDATABLE)
_EXISTING = select(*(PEOPLE.c[name] for name in _EXISTING_COLUMNS))


def _one_of(column: Any, name: str) -> dict[str, ColumnElement[bool]]:
    """``column`` is one of the values bound as ``name``, per dialect: one array parameter on
    PostgreSQL (thousands of separate parameters make each statement slow to plan); on SQLite
    one JSON array parameter read by ``json_each`` (an ``expanding`` IN list is re-rendered
    for every call, two names per value, which cost ~5 µs of CPU per imported row). SQLite
    seeks the column's index once per value either way. Pass the values through ``_bound``.
    """
    values = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return {
        "postgresql": column == any_(bindparam(name, type_=ARRAY(String))),
        "sqlite": column.in_(select(values.c.value)),
    }


def _bound(dialect: str, values: Collection[str]) -> Any:
    """The values of a ``_one_of`` parameter: a list on PostgreSQL, a JSON array on SQLite."""
    if dialect == "sqlite":
        return json.dumps(list(values))
    return list(values)


_EXISTING_BY_HASH = {
    dialect: _EXISTING.where(condition)
    for dialect, condition in _one_of(PEOPLE.c.id_number_hash, "hashes").items()
}
_REFS_UP_TO = (
    select(HOUSEHOLDS.c.ref)
    .where(HOUSEHOLDS.c.ref.in_(bindparam("refs", expanding=True)))
    .where(HOUSEHOLDS.c.id <= bindparam("last_id"))
    .distinct()
)
_ACTIVE_BY_MATCH_KEY = {
    dialect: select(PEOPLE.c.match_key, PEOPLE.c.id).where(
        condition, PEOPLE.c.status == PersonStatus.ACTIVE.value
    )
    for dialect, condition in _one_of(PEOPLE.c.match_key, "keys").items()
}
_UPDATE_PERSON = update(PEOPLE).where(PEOPLE.c.id == bindparam("person_id"))
_SET_EMPLOYER = (
    update(MEMBERSHIPS)
    .where(MEMBERSHIPS.c.id == bindparam("membership_id"))
    .values(employer=bindparam("new_employer"))
)


def grid_codes(session: Session, codes: Collection[str]) -> set[str]:
    """Which of ``codes`` are grids."""
    statement = select(Region.code).where(Region.code.in_(codes), Region.level == RegionLevel.GRID)
    return set(session.scalars(statement))


def existing_people(session: Session, hashes: Collection[str]) -> dict[str, dict[str, Any]]:
    """The people whose ID hashes are given, by hash, with every column the import compares."""
    dialect = _dialect(session)
    rows = session.execute(_EXISTING_BY_HASH[dialect], {"hashes": _bound(dialect, hashes)})
    return {row[1]: dict(zip(_EXISTING_COLUMNS, row, strict=True)) for row in rows}


def households_in_grids(
    session: Session, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, int | None]]:
    """(grid, 户号) -> (id, head id) of the households with these keys.

    A join with the keys as a relation (two arrays on PostgreSQL, ``VALUES`` on SQLite): both
    databases then seek the unique (grid, 户号) index once per key, where a row-value
    ``(grid_code, ref) IN (...)`` makes SQLite scan the whole index.
    """
    if not keys:
        return {}
    connection = session.connection()
    params: Any
    if connection.dialect.name == "postgresql":
        grids, refs = zip(*keys, strict=True)
        keys_sql, params = _KEYS_UNNEST, (list(grids), list(refs))
    else:
        values = ", ".join("(?, ?)" for _ in keys)
        keys_sql, params = f"(VALUES {values})", tuple(chain.from_iterable(keys))
    # Identifiers are fixed, every value is a bound parameter.
    sql = (
        f"WITH k (grid_code, ref) AS {keys_sql} "  # noqa: S608
        "SELECT h.id, h.grid_code, h.ref, h.head_id FROM k "
        "JOIN households AS h ON h.grid_code = k.grid_code AND h.ref = k.ref"
    )
    rows = connection.exec_driver_sql(sql, params)
    return {(grid, ref): (household_id, head) for household_id, grid, ref, head in rows}


# Grid codes compare bytewise ("C"), like the column, so that the index serves the join.
_KEYS_UNNEST = (
    '(SELECT g COLLATE "C", r FROM unnest(CAST(%s AS text[]), CAST(%s AS text[])) AS u (g, r))'
)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def refs_up_to(session: Session, refs: Collection[str], last_id: int) -> set[str]:
    """Which of ``refs`` households with ids up to ``last_id`` carry, in any grid.

    No index starts with the 户号, so this reads those households: the caller asks only for
    numbers it has not seen, and only about households that existed before its run.
    """
    found = session.scalars(_REFS_UP_TO, {"refs": list(refs), "last_id": last_id})
    return set(found)


def max_id(session: Session, table: Table) -> int:
    return session.scalar(select(func.max(table.c.id))) or 0


def update_people(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` carry ``person_id`` and every column of ``UPDATABLE`` plus ``updated_at``."""
    if rows:
        session.execute(_UPDATE_PERSON, list(rows))


def open_memberships(
    session: Session, person_ids: Collection[int], today: date
) -> dict[tuple[int, str], tuple[int, str | None]]:
    """(person id, group) -> (membership id, employer) of memberships not ended before today."""
    statement = select(
        MEMBERSHIPS.c.id, MEMBERSHIPS.c.person_id, MEMBERSHIPS.c.group, MEMBERSHIPS.c.employer
    ).where(
        MEMBERSHIPS.c.person_id.in_(person_ids),
        or_(MEMBERSHIPS.c.end_date.is_(None), MEMBERSHIPS.c.end_date >= today),
    )
    return {
        (person_id, str(group)): (membership_id, employer)
        for membership_id, person_id, group, employer in session.execute(statement)
    }


def set_employers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` carry ``membership_id`` and ``new_employer``."""
    if rows:
        session.execute(_SET_EMPLOYER, list(rows))


def pair_likely_duplicates(session: Session, *, reason: str, now: datetime) -> int:
    """Pair every two people sharing a likely-duplicate key (the later one first), in one
    statement; returns how many pairs. For an import into an empty table: its people are then
    all new, so this pairs each of them with the earlier ones, as the per-batch path does."""
    later, earlier = PEOPLE.alias("later"), PEOPLE.alias("earlier")
    shared = (
        select(PEOPLE.c.match_key)
        .where(PEOPLE.c.match_key.is_not(None))
        .group_by(PEOPLE.c.match_key)
        .having(func.count() > 1)
        .subquery()
    )
    pairs = (
        select(
            later.c.id,
            earlier.c.id,
            later.c.grid_code,
            literal(reason, DUPLICATES.c.reason.type),
            literal(DuplicateStatus.OPEN.value, String),
            literal(now, DUPLICATES.c.created_at.type),
        )
        .join_from(shared, later, later.c.match_key == shared.c.match_key)
        .join(earlier, and_(earlier.c.match_key == later.c.match_key, earlier.c.id < later.c.id))
        .where(
            later.c.status == PersonStatus.ACTIVE.value,
            earlier.c.status == PersonStatus.ACTIVE.value,
        )
    )
    columns = ["person_id", "other_id", "region_code", "reason", "status", "created_at"]
    statement = insert(DUPLICATES).from_select(columns, pairs).returning(DUPLICATES.c.id)
    return len(session.scalars(statement).all())


def active_by_match_key(session: Session, keys: Collection[str]) -> dict[str, list[int]]:
    """Active people by likely-duplicate key."""
    found: dict[str, list[int]] = {}
    dialect = _dialect(session)
    statement = _ACTIVE_BY_MATCH_KEY[dialect]
    for key, person_id in session.execute(statement, {"keys": _bound(dialect, keys)}):
        found.setdefault(key, []).append(person_id)
    return found
