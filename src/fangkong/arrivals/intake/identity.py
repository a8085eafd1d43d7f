"""Who a report names: a resident ID number or a mobile phone, checked, sealed and looked up
by keyed hash (``people.protect.Protector``), as the people registry does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from fangkong.arrivals.intake import errors
from fangkong.core.errors import DomainError
from fangkong.db import among
from fangkong.models import IdType, Person
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.people.validation import normalize_phone

ID_TYPE = IdType.RESIDENT_ID.value
CHUNK = 500


@lru_cache(maxsize=4)
def protector(key: bytes) -> Protector:
    return Protector(key)


def checked_id(number: str, today: date) -> str:
    try:
        return idcard.read(number.strip(), today=today)[0]
    except (DomainError, ValueError):
        raise errors.BadIdNumber() from None


def checked_phone(phone: str) -> str:
    try:
        found = normalize_phone(phone)
    except (DomainError, ValueError):
        raise errors.BadPhone() from None
    if not found:
        raise errors.BadPhone()
    return found


@dataclass(frozen=True)
class Sealed:
    """The sealed columns of a report (any of them may be None)."""

    id_number_enc: bytes | None = None
    id_number_hash: str | None = None
    id_number_masked: str | None = None
    phone_enc: bytes | None = None
    phone_hash: str | None = None
    phone_masked: str | None = None

    def columns(self) -> dict[str, object]:
        return dict(self.__dict__)


def seal(protect: Protector, id_number: str | None, phone: str | None) -> Sealed:
    id_part = protect.seal_id(ID_TYPE, id_number) if id_number else None
    phone_part = protect.seal_phone(phone) if phone else None
    return Sealed(
        *(id_part if id_part else (None, None, None)),
        *(phone_part if phone_part else (None, None, None)),
    )


def people_by_hash(session: Session, column: str, hashes: Collection[str]) -> dict[str, Person]:
    """Registered, unmerged people by their ID-number or phone hash (the first one of a phone
    several share)."""
    found: dict[str, Person] = {}
    values = sorted(set(hashes))
    attribute = getattr(Person, column)
    for i in range(0, len(values), CHUNK):
        statement = (
            select(Person)
            .where(among(session, attribute, values[i : i + CHUNK]))
            .where(Person.merged_into_id.is_(None))
            .order_by(Person.id)
        )
        for person in session.scalars(statement):
            found.setdefault(getattr(person, column), person)
    return found


def homes_by_hash(session: Session, column: str, hashes: Collection[str]) -> dict[str, Row[Any]]:
    """``people_by_hash`` for a pushed list: only each person's id, grid and name (rows, not
    objects: a list names tens of thousands)."""
    found: dict[str, Row[Any]] = {}
    values = sorted(set(hashes))
    attribute = getattr(Person, column)
    for i in range(0, len(values), CHUNK):
        statement = (
            select(attribute.label("hash"), Person.id, Person.grid_code, Person.name)
            .where(among(session, attribute, values[i : i + CHUNK]))
            .where(Person.merged_into_id.is_(None))
            .order_by(Person.id)
        )
        for row in session.execute(statement):
            found.setdefault(row.hash, row)
    return found
