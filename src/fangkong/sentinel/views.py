"""Sentinel pages: the day's fever-clinic counts by district and clinic with the alerts
(``/sentinel``), the alert list (``/sentinel/alerts``), and the grid's list of four-drug
buyers with a "contacted" button (``/sentinel/follow-ups``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core import clock
from fangkong.core.pagination import PageParams, decode_cursor, encode_cursor
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.sentinel import service, surveillance
from fangkong.sentinel.dependencies import SaleIdPath, SentinelPage
from fangkong.sentinel.schemas import DRUG_LABELS

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
DayQuery = Annotated[date | None, Query()]
Cursor = Annotated[str | None, Query(max_length=200)]


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
