"""What every people page shares: permission aliases, form parsing, field errors, paging links.

Forms are read as plain strings and validated with the domain's Pydantic schemas inside the
handler, so that bad input re-renders the form with its values kept and the wrong fields
marked, instead of ending on a bare 422 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query
from pydantic import ValidationError

from fangkong.auth.dependencies import web_require
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_, DomainError
from fangkong.core.principal import Principal
from fangkong.people.labels import (
    ACCESS_LABELS,
    COUNT_LABELS,
    FLAG_LABELS,
    ID_TYPE_LABELS,
    KEY_GROUP_LABELS,
    SEX_LABELS,
)

PeoplePage = Annotated[Principal, Depends(web_require(Perm.PEOPLE_READ))]
PeopleForm = Annotated[Principal, Depends(web_require(Perm.PEOPLE_WRITE))]
AccessLogPage = Annotated[Principal, Depends(web_require(Perm.PEOPLE_ACCESS_LOG))]
MergePage = Annotated[Principal, Depends(web_require(Perm.PEOPLE_MERGE))]
Cursor = Annotated[str | None, Query(max_length=200)]
# Filters of GET forms: a field left empty arrives as "" and means "no filter".
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
CodeQuery = Annotated[str | None, Query(pattern=r"^([0-9]{6}([0-9]{3}){0,3})?$")]
PAGE_SIZE = 50
GRID_CODE_LENGTH = 15
NO_STORE = {"Cache-Control": "no-store"}

# A message per field for input the schema refuses (Pydantic's own texts are English only).
FIELD_HINTS = {
    "name": N_("Enter 1 to 64 characters."),
    "id_type": N_("Choose a document type from the list."),
    "id_number": N_("Enter the document number."),
    "sex": N_("Choose from the list."),
    "birth_date": N_("Enter a date such as 1990-01-31."),
    "phone": N_("A mobile phone number has 11 digits and starts with 13 to 19."),
    "address": N_("At most 200 characters."),
    "grid_code": N_("A grid code has 15 digits."),
    "household_id": N_("Enter the household's record number (digits only)."),
    "person_id": N_("Enter the person's record number (digits only)."),
    "group": N_("Choose from the list."),
    "employer": N_("At most 200 characters."),
    "start_date": N_("Enter a date such as 1990-01-31."),
    "end_date": N_("Enter a date such as 1990-01-31."),
    "ref": N_("Letters, digits and hyphens, at most 32."),
}
INVALID_VALUE = N_("This value is not valid.")

# Which form field a domain error is about, by the start of its code.
ERROR_FIELDS = (
    ("person.sex_", "sex"),
    ("person.birth_date_", "birth_date"),
    ("person.invalid_phone", "phone"),
    ("person.unknown_grid", "grid_code"),
    ("person.grid_out_of_jurisdiction", "grid_code"),
    ("person.key_group_dates", "end_date"),
    ("person.not_found", "person_id"),
    ("person.id_number", "id_number"),
    ("person.invalid_id_number", "id_number"),
    ("person.document_format", "id_number"),
    ("person.duplicate_id_number", "id_number"),
    ("household.ref_taken", "ref"),
    ("household.head_not_member", "person_id"),
    ("household.", "household_id"),
)

LABELS = {
    "id_types": ID_TYPE_LABELS,
    "key_groups": KEY_GROUP_LABELS,
    "flags": FLAG_LABELS,
    "counts": COUNT_LABELS,
    "access": ACCESS_LABELS,
    "sexes": SEX_LABELS,
}


def cleaned(fields: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str | None]:
    """The named fields, stripped; empty ones become None (an optional field left blank)."""
    return {name: (fields.get(name) or "").strip() or None for name in names}


def field_errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "_"
        errors.setdefault(prefix + name, FIELD_HINTS.get(name, INVALID_VALUE))
    return errors


def domain_errors(exc: DomainError) -> dict[str, Any]:
    """``{"_": exc}`` for the alert, and the field the error is about with its message."""
    errors: dict[str, Any] = {"_": exc}
    for start, name in ERROR_FIELDS:
        if exc.code.startswith(start):
            errors[name] = exc.title
            break
    return errors


def page_link(path: str, params: Mapping[str, Any], cursor: str | None) -> str | None:
    """The "next page" link: the same filters and the cursor (None on the last page)."""
    if cursor is None:
        return None
    query: list[tuple[str, Any]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        query.extend((key, v) for v in values if v not in (None, "", False))
    query.append(("cursor", cursor))
    return f"{path}?{urlencode(query)}"


def own_grid(actor: Principal) -> str:
    """The actor's grid when the actor sits at one (a form's default), else empty."""
    return actor.region_code if len(actor.region_code) == GRID_CODE_LENGTH else ""


def checked(fields: Mapping[str, str], name: str) -> bool:
    return fields.get(name) in {"on", "true", "1", "yes"}
