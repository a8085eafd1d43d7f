"""What ``generate`` takes (``CitySpec``) and what it yields (the messages), plus its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fangkong.simulate.generate.constants import Row


class CityError(Exception):
    """The database cannot take this city (no districts, no codes left, too many people)."""


@dataclass(frozen=True)
class District:
    code: str
    name: str
    first_street: int  # streets are numbered after those the district already has


@dataclass(frozen=True)
class CitySpec:
    """Everything ``generate`` needs: the request and what the database already holds."""

    people: int
    seed: int
    today: date
    now: datetime  # created_at of every row
    data_key: bytes = field(repr=False)
    districts: tuple[District, ...]
    first_person: int
    first_household: int
    first_membership: int
    first_user: int


@dataclass
class Summary:
    districts: int = 0
    streets: int = 0
    communities: int = 0
    grids: int = 0
    households: int = 0
    people: int = 0
    key_group_members: int = 0
    grid_workers: int = 0


@dataclass
class Regions:
    rows: list[dict[str, Any]]  # code, name, name_en, level, parent_code


@dataclass
class Batch:
    households: list[Row] = field(default_factory=list)  # HOUSEHOLD_COLUMNS, head_id None
    people: list[Row] = field(default_factory=list)  # PERSON_COLUMNS
    memberships: list[Row] = field(default_factory=list)  # MEMBERSHIP_COLUMNS
    heads: list[tuple[int, int]] = field(default_factory=list)  # (household id, person id)


@dataclass
class Workers:
    users: list[dict[str, Any]]
    assignments: list[dict[str, Any]]


Message = Regions | Batch | Workers | Summary


@dataclass(frozen=True)
class Failure:
    """What went wrong in the child: a ``CityError`` (bad input) or a traceback."""

    text: str
    bad_input: bool
