"""The pages of the reports: the printable bulletin (``/reports/bulletin``: the text in the
page's language, the figures and the district lines) and the command dashboard
(``/reports/dashboard``: figures linking to their lists, a chart of new positives by day and
a chart and table of districts to drill down into). Bad input re-renders with the error."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.core.errors import N_, DomainError
from fangkong.core.templating import render
from fangkong.core.web import DbSession
from fangkong.reports import bulletin as bulletins
from fangkong.reports import dashboard as dashboards
from fangkong.reports import errors
from fangkong.reports.dependencies import ReportsReadPage

router = APIRouter(include_in_schema=False)
Day = Annotated[str | None, Query(max_length=10)]
Region = Annotated[str | None, Query(pattern=r"^([0-9]{6}([0-9]{3}){0,3})?$")]
FIGURE_LABELS = {
    "new_confirmed": N_("New local confirmed cases"),
    "new_asymptomatic": N_("New local asymptomatic infections"),
    "in_treatment": N_("In treatment"),
    "cumulative_positives": N_("Cumulative local positives"),
    "fever_clinic_positives": N_("Positives found at fever clinics (14 days)"),
    "control.self_monitor": N_("Self-monitoring"),
    "control.home_isolation": N_("Home isolation"),
    "control.home_monitoring": N_("Home health monitoring"),
    "control.centralized": N_("Centralized isolation"),
    "zones.sealed": N_("Sealed zones"),
    "zones.controlled": N_("Controlled zones"),
    "zones.precaution": N_("Precaution zones"),
    "people.residents": N_("Residents"),
    "people.home_isolated_or_monitored": N_("Home isolated or monitored (seven counts)"),
    "people.positives_and_centrally_isolated": N_(
        "Positives and centrally isolated (seven counts)"
    ),
    "testing.coverage": N_("Testing coverage of the open round (percent)"),
    "testing.sampled": N_("Sampled in the open round"),
    "testing.target": N_("Target of the open round"),
    "arrivals.trips": N_("Arrivals today"),
    "arrivals.landing_done": N_("Landing tests done today"),
    "arrivals.screened": N_("Arrivals screened today"),
}


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise errors.BadWindow() from exc


@router.get("/reports/bulletin")
def bulletin_page(
    request: Request, session: DbSession, actor: ReportsReadPage, date: Day = None,
    region: Region = None,
) -> Response:  # fmt: skip
    context: dict[str, Any] = {"date": date or "", "region": region or "", "error": None,
                               "bulletin": None}  # fmt: skip
    try:
        context["bulletin"] = found = bulletins.bulletin(
            session, actor=actor, day=_day(date), region=region or None
        )
        context["date"] = found.date or ""
    except DomainError as exc:
        context["error"] = exc
        return render(request, "reports/bulletin.html", context, exc.status)
    return render(request, "reports/bulletin.html", context)


@router.get("/reports/dashboard")
def dashboard_page(
    request: Request, session: DbSession, actor: ReportsReadPage, region: Region = None
) -> Response:
    found = dashboards.dashboard(session, actor=actor, region=region or None)
    body = found.model_dump(mode="json")
    context = {"dashboard": found, "labels": FIGURE_LABELS, "days": body["days"],
               "rows": body["districts"]}  # fmt: skip
    return render(request, "reports/dashboard.html", context)
