"""Value types shared by the schemas of every domain (pydantic only, no web framework), so
that a service or a command imports them without loading the HTTP stack. ``core.web`` adds
the path and query forms of the same rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from pydantic.json_schema import SkipJsonSchema

# Record ids fit a signed 64-bit column; a larger number is a 422, not a driver overflow.
MAX_ID = 2**63 - 1
# Users, sites, rooms, labs and the other small tables have 32-bit ids (INTEGER columns): the
# same rule, so that a larger number is a 422 there too.
MAX_INT_ID = 2**31 - 1
MAX_USER_ID = MAX_INT_ID
UserId = Annotated[int, Field(ge=1, le=MAX_USER_ID)]


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # e.g. 9999-12-31T23:59-23:59 has no UTC equivalent
        raise ValueError("the time is out of range") from exc


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("may be omitted, but not null")
    return value


T = TypeVar("T")
# A PATCH field whose column needs a value: it may be left out (default ``None``), never sent as
# ``null``; the OpenAPI schema says so too, since ``null`` is not part of it.
Omissible = Annotated[T | SkipJsonSchema[None], BeforeValidator(_refuse_null)]
