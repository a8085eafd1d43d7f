"""Request-scoped plumbing shared by every router: settings, the unit of work, the language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from fangkong.core import i18n
from fangkong.core.errors import DomainError, InvalidInput
from fangkong.core.fields import MAX_ID, MAX_INT_ID, MAX_USER_ID
from fangkong.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageParams

if TYPE_CHECKING:
    from fangkong.config import Settings
    from fangkong.db import Database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


def unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back when it raises.

    Declared with ``scope="function"`` so the commit happens before the response is sent: a
    failing commit becomes an error response, never a success the client was already told of.
    """
    with get_database(request).sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


DbSession = Annotated[Session, Depends(unit_of_work, scope="function")]
SettingsDep = Annotated["Settings", Depends(get_settings)]


def request_locale(request: Request) -> str:
    """``?lang=``, then the user's preference, then the ``lang`` cookie, Accept-Language, zh."""
    cached: str | None = getattr(request.state, "locale", None)
    if cached:
        return cached
    user_locale = getattr(request.state, "user_locale", None)
    locale = i18n.choose(
        request.query_params.get("lang"),
        user_locale,
        request.cookies.get("lang"),
        i18n.from_accept_language(request.headers.get("accept-language")),
    )
    request.state.locale = locale
    return locale


Locale = Annotated[str, Depends(request_locale)]


async def refuse_nul_in_query(request: Request) -> None:
    """No query parameter may hold U+0000: no column can (PostgreSQL text refuses it outright),
    so it could only turn a search into a driver error. ``async``: no thread pool per request."""
    raw = request.scope.get("query_string", b"")
    if b"%00" not in raw and b"\x00" not in raw:
        return
    names = [name for name, value in request.query_params.multi_items() if "\x00" in name + value]
    if names:
        raise InvalidInput(
            errors=[
                {"field": f"query.{name}", "message": "contains U+0000", "type": "string_nul"}
                for name in names
            ]
        )


def json_of(model: BaseModel, status_code: int = 200) -> Response:
    """Serialize with pydantic-core once, for hot paths.

    Returning a model makes FastAPI dump it, validate it again against ``response_model`` and
    encode it; a Response skips that while ``response_model`` still documents the schema.
    """
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def page_error(exc: Exception, form_error: Callable[[], DomainError]) -> DomainError:
    """What a page shows for a refused form: the domain's own error, else the page's
    ``form_error`` (a value the schema refused)."""
    return exc if isinstance(exc, DomainError) else form_error()


def form_post(
    session: Session,
    action: Callable[[], object],
    *,
    location: str,
    again: Callable[[DomainError], Response],
    form_error: Callable[[], DomainError],
) -> Response:
    """A page form's POST: run ``action``, then 303 to ``location``; on bad input (a domain
    error, or a form value the schema refuses: ``form_error``) roll back and show the page
    ``again`` with the error, so nothing is half written."""
    try:
        action()
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        return again(page_error(exc, form_error))
    return RedirectResponse(location, status_code=303)


def local_path(value: str, default: str = "/") -> str:
    """``value`` if it is a path on this site, else ``default`` (no open redirects).

    Browsers read ``\\`` as ``/``, so ``/\\evil.example`` would leave the site just like
    ``//evil.example``; control characters are refused because some clients strip them.
    """
    if not value.startswith("/") or value[1:2] in ("/", "\\") or "\\" in value:
        return default
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return default
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else default


IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
IntIdQuery = Annotated[int | None, Query(ge=1, le=MAX_INT_ID)]
IntIdPath = Annotated[int, Path(ge=1, le=MAX_INT_ID)]
UserIdPath = Annotated[int, Path(ge=1, le=MAX_USER_ID)]
UserIdQuery = Annotated[int | None, Query(ge=1, le=MAX_USER_ID)]


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> PageParams:
    """A list's ``limit`` and ``cursor`` query parameters."""
    return PageParams(limit=limit, cursor=cursor)
