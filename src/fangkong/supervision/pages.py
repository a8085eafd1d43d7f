"""What the supervision pages share: a filtered list's next-page link, a form page's answer
(never cached) and a posted form read into the API's own schema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fangkong.core.errors import DomainError
from fangkong.core.forms import validated
from fangkong.core.templating import render
from fangkong.supervision.errors import FormInvalid

M = TypeVar("M", bound=BaseModel)
PAGE_SIZE = 50
NO_STORE = {"Cache-Control": "no-store"}


def next_url(path: str, filters: Mapping[str, str], cursor: str | None) -> str | None:
    """The link to the next page of a list, keeping its filters."""
    if not cursor:
        return None
    query = {k: v for k, v in filters.items() if v} | {"cursor": cursor}
    return f"{path}?{urlencode(query)}"


def form_page(request: Request, template: str, context: dict[str, Any], status: int) -> Response:
    response = render(request, template, context, status)
    response.headers.update(NO_STORE)
    return response


def read(model: type[M], form: Mapping[str, object]) -> M:
    """The posted form as the API's schema; blank fields take their defaults."""
    return validated(model, form, FormInvalid)


def submit(
    session: Session, write: Callable[[], str], again: Callable[[DomainError], Response]
) -> Response:
    """Run a page form's write: 303 to the address it gives, or the form again with the
    error (its status) and nothing written."""
    try:
        target = write()
    except DomainError as exc:
        session.rollback()
        return again(exc)
    return RedirectResponse(target, status_code=303)
