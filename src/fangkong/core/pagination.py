"""Cursor (keyset) pagination: ``limit`` and ``cursor`` in, ``{items, next_cursor}`` out.

Lists page on one unique, indexed key (an id or a code). The cursor is that key's last value,
JSON in URL-safe base64: opaque to clients, stable under inserts, and an index seek rather
than an OFFSET scan. Keyset libraries exist, but a single-key seek is a few lines and keeps
the contract's exact response shape.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from fangkong.core.errors import N_, InvalidInput

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_KEY = 2**63 - 1
MAX_STRING_KEY = 128


class InvalidCursor(InvalidInput):
    code = "pagination.invalid_cursor"
    title = N_("The page cursor is invalid.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: type[int] | type[str] | None = None) -> Any:
    """The key value inside ``cursor``; with ``kind``, it must be of that type (and in range)."""
    return decode_cursor_values(cursor, [kind])[0]


def decode_cursor_values(cursor: str, kinds: Sequence[type[int] | type[str] | None]) -> list[Any]:
    """The values of a compound key inside ``cursor``, one per kind, each checked."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor() from exc
    if not (isinstance(values, list) and len(values) == len(kinds)):
        raise InvalidCursor()
    return [_checked(value, kind) for value, kind in zip(values, kinds, strict=True)]


def _checked(value: Any, kind: type[int] | type[str] | None) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind or (int, str)):
        raise InvalidCursor()
    if isinstance(value, int) and not -MAX_KEY <= value <= MAX_KEY:
        raise InvalidCursor()
    if isinstance(value, str) and (len(value) > MAX_STRING_KEY or not _encodable(value)):
        raise InvalidCursor()
    return value


def _encodable(value: str) -> bool:
    """JSON may carry lone surrogates, which no database driver can encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def fetch_page(
    session: Session,
    statement: Select[Any],
    key: InstrumentedAttribute[Any] | tuple[InstrumentedAttribute[Any], ...],
    params: PageParams,
    *,
    descending: bool = False,
) -> tuple[Sequence[Any], str | None]:
    """Rows of one page ordered by ``key`` and the cursor of the next page (None at the end).

    ``key`` may be a tuple, e.g. ``(Person.name, Person.id)``: then rows are ordered by the
    columns in turn and the cursor holds all of them, so an index on those columns serves
    both the filter and the order (a name-prefix search stops after one page of the index).
    """
    keys = key if isinstance(key, tuple) else (key,)
    if params.cursor is not None:
        last = decode_cursor_values(params.cursor, [k.type.python_type for k in keys])
        left, right = (keys[0], last[0]) if len(keys) == 1 else (tuple_(*keys), tuple_(*last))
        statement = statement.where(left < right if descending else left > right)
    order = [k.desc() if descending else k.asc() for k in keys]
    rows = session.scalars(statement.order_by(*order).limit(params.limit + 1)).all()
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    values = [getattr(rows[-1], k.key) for k in keys]
    return rows, base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
