"""Reading and checking page forms.

Pages read a posted form as plain strings and validate it in the handler against the same
pydantic model the API uses, so bad input re-renders the form with its values kept and one
error shown (never a bare 422 page). A repeated name keeps its last value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from fangkong.core.errors import DomainError

M = TypeVar("M", bound=BaseModel)


async def _stripped(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value.strip() for key, value in form.multi_items() if isinstance(value, str)}


async def _raw(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


# The posted text fields with surrounding blanks removed (uploads are left out).
FormFields = Annotated[dict[str, str], Depends(_stripped)]
# The posted text fields as typed (for forms whose models strip or keep blanks themselves).
RawFormFields = Annotated[dict[str, str], Depends(_raw)]


def picked(fields: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The form's values for ``names``, an empty string for each one not posted."""
    return {name: fields.get(name, "") for name in names}


def blank(names: Iterable[str]) -> dict[str, str]:
    """An empty form of these fields, for a page's first showing."""
    return dict.fromkeys(names, "")


def validated(model: type[M], form: Mapping[str, object], invalid: type[DomainError]) -> M:
    """The form read into ``model``; ``invalid`` (the page's own error) when it does not fit.

    Empty strings are dropped first, so an optional field left blank takes its default."""
    given = {name: value for name, value in form.items() if value != ""}
    try:
        return model.model_validate(given)
    except ValidationError:
        raise invalid() from None
