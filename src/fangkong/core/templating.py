"""Jinja2 with Babel's gettext: the language is chosen per request, zh_CN by default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from fangkong.core import i18n
from fangkong.core.clock import LOCAL_TZ
from fangkong.core.web import request_locale

ContextProcessor = Callable[[Request], dict[str, Any]]


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show stored UTC instants in Asia/Shanghai."""
    return value.astimezone(LOCAL_TZ).strftime(fmt) if value else ""


@pass_context
def _gettext(context: Context, message: str) -> str:
    """Translate into the request's language; Jinja's i18n wrapper fills ``%(name)s``."""
    return i18n.gettext(context.get("locale", i18n.DEFAULT_LOCALE), message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    locale = context.get("locale", i18n.DEFAULT_LOCALE)
    return i18n.translations(locale).ngettext(singular, plural, n)


def _i18n_context(request: Request) -> dict[str, Any]:
    locale = request_locale(request)
    return {
        "locale": locale,
        "html_lang": "zh-CN" if locale == "zh_CN" else "en",
    }


def make_templates(extra: list[ContextProcessor]) -> Jinja2Templates:
    directory = str(files("fangkong") / "templates")
    templates = Jinja2Templates(directory=directory, context_processors=[_i18n_context, *extra])
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["local_time"] = local_time
    return templates


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Render a page or partial with the app's templates (every view uses this)."""
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status_code
    )
    return response
