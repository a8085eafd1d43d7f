"""Sentinel pages: the day's fever-clinic counts by district and clinic with the alerts
(``/sentinel``), the alert list (``/sentinel/alerts``), the grid's follow-up lists of
four-drug buyers (``/sentinel/follow-ups``) and fever-clinic visitors
(``/sentinel/follow-ups/visits``) with a "contacted" button, the sites of the actor's
jurisdiction (``/sentinel/sites``) and the entry forms of a visit and a sale
(``/sentinel/visits/new``, ``/sentinel/sales/new``).

Forms are read as plain strings and validated in the handler against the API's schemas, so
bad input re-renders the form with its values kept and the error shown (422), nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked, validated
from fangkong.core.pagination import PageParams, decode_cursor, encode_cursor
from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.sentinel import errors, service, surveillance
from fangkong.sentinel.dependencies import (
    SaleIdPath,
    SentinelPage,
    SentinelReportPage,
    SentinelSitesPage,
    VisitIdPath,
)
from fangkong.sentinel.schemas import (
    DRUG_LABELS,
    SITE_KIND_LABELS,
    SYMPTOM_LABELS,
    SaleIn,
    SiteKind,
    SiteOut,
    VisitFollowUpQuery,
    VisitIn,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
DayQuery = Annotated[date | None, Query()]
Cursor = Annotated[str | None, Query(max_length=200)]
KindQuery = Annotated[SiteKind | Literal[""] | None, Query()]
GridQuery = Annotated[str | None, Query(pattern=f"^$|{REGION_PREFIX_PATTERN}")]
DoneQuery = Annotated[Literal["", "1"] | None, Query()]
OpenQuery = Annotated[Literal["", "yes"] | None, Query()]
NO_STORE = {"Cache-Control": "no-store"}
MAX_SITES = 200  # the entry forms' choice of sites
VISIT_FIELDS = ("venue_id", "id_number", "temperature", "nat_taken")
SALE_FIELDS = ("venue_id", "id_number", "drug_class", "quantity")


@router.get("/sentinel")
def counts_page(
    request: Request, session: DbSession, actor: SentinelPage, day: DayQuery = None
) -> Response:
    day = day or clock.local_today()
    counts = surveillance.daily_counts(session, actor=actor, day=day)
    alerts, _ = surveillance.list_alerts(session, actor=actor, day=day, page=PageParams(limit=100))
    context = {"day": day, "counts": counts, "alerts": alerts}
    return render(request, "sentinel/counts.html", context)


@router.get("/sentinel/alerts")
def alerts_page(
    request: Request, session: DbSession, actor: SentinelPage, cursor: Cursor = None
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    alerts, next_cursor = surveillance.list_alerts(session, actor=actor, day=None, page=page)
    next_url = f"/sentinel/alerts?cursor={next_cursor}" if next_cursor else None
    return render(request, "sentinel/alerts.html", {"alerts": alerts, "next_url": next_url})


@router.get("/sentinel/follow-ups")
def followups_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelPage,
    cursor: Cursor = None,
) -> Response:
    in_force = service.registration_in_force(session, settings)
    before = decode_cursor(cursor, int) if cursor else None
    items, last = (
        service.followups(session, actor=actor, open_only=False, limit=PAGE_SIZE, before=before)
        if in_force
        else ([], None)
    )
    next_url = f"/sentinel/follow-ups?cursor={encode_cursor(last)}" if last else None
    context = {"items": items, "in_force": in_force, "drugs": DRUG_LABELS, "next_url": next_url}
    return render(request, "sentinel/followups.html", context)


@router.post("/sentinel/follow-ups/{sale_id}/contacted", dependencies=[CsrfChecked])
def mark_contacted(session: DbSession, actor: SentinelPage, sale_id: SaleIdPath) -> Response:
    service.mark_contacted(session, actor=actor, sale_id=sale_id)
    return RedirectResponse("/sentinel/follow-ups", status_code=303)


def _next_url(path: str, filters: Mapping[str, str], cursor: str | None) -> str | None:
    """The next page's address, the page's filters kept."""
    if not cursor:
        return None
    return f"{path}?{urlencode({k: v for k, v in filters.items() if v} | {'cursor': cursor})}"


@router.get("/sentinel/follow-ups/visits")
def visit_followups_page(
    request: Request,
    session: DbSession,
    actor: SentinelPage,
    day: DayQuery = None,
    grid: GridQuery = None,
    open_only: OpenQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {
        "day": day.isoformat() if day else "",
        "grid": grid or "",
        "open_only": open_only or "",
    }
    query = VisitFollowUpQuery(open_only=bool(open_only), day=day, grid=grid or None)
    before = decode_cursor(cursor, int) if cursor else None
    items, last = service.visit_followups(
        session, actor=actor, query=query, limit=PAGE_SIZE, before=before
    )
    next_cursor = encode_cursor(last) if last else None
    next_url = _next_url("/sentinel/follow-ups/visits", filters, next_cursor)
    context = {"items": items, "filters": filters, "next_url": next_url}
    return render(request, "sentinel/visit_followups.html", context)


@router.post("/sentinel/follow-ups/visits/{visit_id}/contacted", dependencies=[CsrfChecked])
def mark_visitor_contacted(
    session: DbSession, actor: SentinelPage, visit_id: VisitIdPath
) -> Response:
    service.mark_visit_contacted(session, actor=actor, visit_id=visit_id)
    return RedirectResponse("/sentinel/follow-ups/visits", status_code=303)


# --- sites and the entry forms ------------------------------------------------------------


@router.get("/sentinel/sites")
def sites_page(
    request: Request,
    session: DbSession,
    actor: SentinelSitesPage,
    kind: KindQuery = None,
    cursor: Cursor = None,
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    sites, next_cursor = service.list_sites(session, actor=actor, kind=kind or None, page=page)
    filters = {"kind": kind or ""}
    next_url = _next_url("/sentinel/sites", filters, next_cursor)
    context = {"sites": sites, "kinds": SITE_KIND_LABELS, "filters": filters,
               "next_url": next_url}  # fmt: skip
    return render(request, "sentinel/sites.html", context)


def _sites_of(session: DbSession, actor: Principal, kind: SiteKind) -> list[SiteOut]:
    page = PageParams(limit=MAX_SITES)
    return service.list_sites(session, actor=actor, kind=kind, page=page)[0]


def _form_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    response = render(request, f"sentinel/{template}", context, status)
    response.headers.update(NO_STORE)
    return response


def _visit_page(
    request: Request, session: DbSession, actor: Principal, form: dict[str, Any], **extra: Any
) -> Response:
    context = {"form": form, "error": extra.get("error"), "symptoms": SYMPTOM_LABELS,
               "sites": _sites_of(session, actor, SiteKind.FEVER_CLINIC),
               "done": extra.get("done", False)}  # fmt: skip
    return _form_page(request, "visit_new.html", context, extra.get("status", 200))


def _sale_page(
    request: Request, session: DbSession, actor: Principal, form: dict[str, Any], **extra: Any
) -> Response:
    settings = request.app.state.settings
    context = {"form": form, "error": extra.get("error"), "drugs": DRUG_LABELS,
               "sites": _sites_of(session, actor, SiteKind.PHARMACY),
               "in_force": service.registration_in_force(session, settings),
               "done": extra.get("done", False)}  # fmt: skip
    return _form_page(request, "sale_new.html", context, extra.get("status", 200))


@router.get("/sentinel/visits/new")
def new_visit_page(
    request: Request, session: DbSession, actor: SentinelReportPage, done: DoneQuery = None
) -> Response:
    form: dict[str, Any] = blank(VISIT_FIELDS) | {"symptoms": []}
    return _visit_page(request, session, actor, form, done=bool(done))


@router.get("/sentinel/sales/new")
def new_sale_page(
    request: Request, session: DbSession, actor: SentinelReportPage, done: DoneQuery = None
) -> Response:
    form = blank(SALE_FIELDS) | {"quantity": "1"}
    return _sale_page(request, session, actor, form, done=bool(done))


def _submitted(
    session: DbSession, model: type[BaseModel], form: dict[str, Any], write: Callable[..., Any]
) -> DomainError | None:
    """Validate ``form`` into ``model`` and write it; the error, with nothing written."""
    try:
        write(validated(model, form, errors.FormInvalid))
    except (DomainError, ValidationError) as exc:
        session.rollback()
        return exc if isinstance(exc, DomainError) else errors.FormInvalid()
    return None


@router.post("/sentinel/visits/new", dependencies=[CsrfChecked])
def new_visit_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelReportPage,
    fields: FormFields,
) -> Response:
    form: dict[str, Any] = picked(fields, VISIT_FIELDS)
    form["symptoms"] = [code.value for code in SYMPTOM_LABELS if fields.get(f"symptom.{code}")]
    form["nat_taken"] = "true" if fields.get("nat_taken") else ""

    def write(data: VisitIn) -> None:
        service.report_visit(session, settings, actor=actor, data=data)

    error = _submitted(session, VisitIn, form, write)
    if error is not None:
        return _visit_page(request, session, actor, form, error=error, status=error.status)
    return RedirectResponse("/sentinel/visits/new?done=1", status_code=303)


@router.post("/sentinel/sales/new", dependencies=[CsrfChecked])
def new_sale_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: SentinelReportPage,
    fields: FormFields,
) -> Response:
    form: dict[str, Any] = picked(fields, SALE_FIELDS)

    def write(data: SaleIn) -> None:
        service.record_sale(session, settings, actor=actor, data=data)

    error = _submitted(session, SaleIn, form, write)
    if error is not None:
        return _sale_page(request, session, actor, form, error=error, status=error.status)
    return RedirectResponse("/sentinel/sales/new?done=1", status_code=303)
