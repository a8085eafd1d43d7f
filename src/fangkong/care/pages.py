"""What the care pages share: the form error, the no-store page answer, lists typed into one
text field, and the escalated-request count every care tab bar shows.

Forms are read as plain strings (``fangkong.core.forms``) and validated against the API's
own schema, so bad input re-renders the form with its values kept and one error shown."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from fangkong.care.requests import service as requests
from fangkong.core.errors import N_, InvalidInput
from fangkong.core.principal import Principal
from fangkong.core.templating import render

NO_STORE = {"Cache-Control": "no-store"}
SEPARATORS = re.compile(r"[\s,，、;；]+")


class FormInvalid(InvalidInput):
    code = "care.form_invalid"
    title = N_("Please correct the marked fields.")


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """A form page (never cached: it carries the CSRF token and typed-in values)."""
    response = render(request, template, context, status)
    response.headers.update(NO_STORE)
    return response


def split_list(text: str) -> list[str]:
    """Several values typed into one field, separated by blanks, commas or 、."""
    return [part for part in SEPARATORS.split(text) if part]


def tab_counts(session: Session, actor: Principal) -> dict[str, Any]:
    """The context the care tab bar reads: open requests the escalation found overdue."""
    return {"escalated_count": requests.escalated_count(session, actor=actor)}
