"""The residents as plain rows, for the outbreak model: id, household, grid, birth date and
the key groups current on a day. Scoped to the actor's jurisdiction; no personal fields beyond
these (no name, no ID number, no phone), so nothing here needs masking or an access-log row."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.people import repository


class Resident(NamedTuple):
    person_id: int
    household_id: int | None
    grid_code: str
    birth_date: date
    key_groups: frozenset[str]


def residents(session: Session, *, actor: Principal, on: date) -> list[Resident]:
    """Every active resident inside the actor's jurisdiction, by id, with the key groups
    (``KeyGroup`` values) current on ``on``."""
    groups: dict[int, set[str]] = defaultdict(set)
    for person_id, group in repository.current_key_groups(session, actor.region_code, on):
        groups[person_id].add(str(group))
    return [
        Resident(row[0], row[1], row[2], row[3], frozenset(groups.get(row[0], ())))
        for row in repository.resident_rows(session, actor.region_code)
    ]
