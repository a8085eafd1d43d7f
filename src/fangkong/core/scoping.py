"""Jurisdiction by region-code prefix (CONTRACTS.md, "Region codes").

A code's prefix is its ancestry. In the 6-digit administrative part trailing ``00`` pairs do
not count, so the city ``230100`` scopes every code starting with ``2301``. Scoping is a
range on an indexed column (codes compare bytewise), never a walk of the tree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute

ADMIN_DIGITS = 6
# ASCII digits only: pydantic's regex engine lets \d match any Unicode digit (e.g. full-width).
REGION_CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,3}$"
REGION_PREFIX_PATTERN = r"^[0-9]{2,15}$"


def scope_prefix(code: str) -> str:
    """The prefix that every code inside ``code``'s jurisdiction starts with."""
    if len(code) > ADMIN_DIGITS:
        return code
    admin = code
    while len(admin) > 2 and admin.endswith("00"):
        admin = admin[:-2]
    return admin


def covers(scope_code: str, code: str) -> bool:
    """True when ``code`` lies inside the jurisdiction of ``scope_code`` (or is it)."""
    return code.startswith(scope_prefix(scope_code))


def within(
    column: InstrumentedAttribute[Any] | ColumnElement[Any], scope_code: str
) -> ColumnElement[bool]:
    """SQL condition: ``column`` lies inside ``scope_code``'s jurisdiction (index range scan)."""
    prefix = scope_prefix(scope_code)
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)
