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
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select
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


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: type[int] | type[str] | None = None) -> Any:
    """The key value inside ``cursor``; with ``kind``, it must be of that type (and in range)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor() from exc
    if not (isinstance(value, list) and len(value) == 1):
        raise InvalidCursor()
    return _checked(value[0], kind)


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
    key: InstrumentedAttribute[Any],
    params: PageParams,
    *,
    descending: bool = False,
) -> tuple[Sequence[Any], str | None]:
    """Rows of one page ordered by ``key`` and the cursor of the next page (None at the end)."""
    if params.cursor is not None:
        last = decode_cursor(params.cursor, key.type.python_type)
        statement = statement.where(key < last if descending else key > last)
    order = key.desc() if descending else key.asc()
    rows = session.scalars(statement.order_by(order).limit(params.limit + 1)).all()
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor(getattr(rows[-1], key.key))
