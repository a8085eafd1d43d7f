"""Pages: the testing home ``/testing``, the pool-size planner, officers' antigen reports, and
a citizen's own results and antigen self-report form under ``/me/testing``.

Planner fields are read as text and checked in the handler, so bad input re-renders the form
with the values kept and the error shown. The chart is server-drawn SVG (the CSP allows no
inline script or style).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import iter_route_contexts

from fangkong.auth.dependencies import CsrfChecked
from fangkong.citizens.dependencies import PageCitizen, citizen_page
from fangkong.core import clock
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import N_, DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, SettingsDep
from fangkong.testing import planner
from fangkong.testing.citizen import service
from fangkong.testing.citizen.errors import AntigenTimeInvalid
from fangkong.testing.dependencies import TestingReadPage

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
NO_STORE = {"Cache-Control": "no-store"}
Text = Annotated[str | None, Query(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=200)]
ResultQuery = Annotated[Literal["", "positive", "negative"] | None, Query()]
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
# The home page links to the testing pages of every sub-package; a link shows only when its
# page is mounted, so a page not built yet is never a dead link.
HOME_LINKS = (
    ("/testing/sites", N_("Sampling sites")),
    ("/testing/sampler", N_("Sampler")),
    ("/testing/lab", N_("Lab results")),
    ("/testing/campaigns", N_("Screening rounds")),
    ("/testing/key-groups/overdue", N_("Key groups overdue")),
    ("/testing/antigen", N_("Antigen self-reports")),
    ("/testing/pool-plan", N_("Pool-size planner")),
)


def mounted_pages(request: Request) -> set[str]:
    """The paths of the app's GET routes (routers are nested, so walk them)."""
    return {
        context.path
        for context in iter_route_contexts(request.app.routes)
        if context.path and "GET" in (getattr(context.original_route, "methods", None) or ())
    }


@router.get("/testing")
def testing_home(request: Request, session: DbSession, actor: TestingReadPage) -> Response:
    mounted = mounted_pages(request)
    links = [(href, label) for href, label in HOME_LINKS if href in mounted]
    figures = service.home_figures(session, actor=actor)
    context = {"links": links, "figures": figures, "statuses": service.TUBE_STATUSES}
    return render(request, "testing/index.html", context)


# --- the planner ---------------------------------------------------------------------------


def _plan_or_error(
    session: DbSession, prevalence: str, people: str, sizes: str, rate: str
) -> tuple[planner.Plan | None, DomainError | None]:
    try:
        return service.plan_from_text(session, prevalence, people, sizes, rate), None
    except DomainError as exc:
        return None, exc


@router.get("/testing/pool-plan")
def pool_plan_page(
    request: Request,
    session: DbSession,
    actor: TestingReadPage,
    prevalence: Text = None,
    people: Text = None,
    sizes: Text = None,
    tests_per_hour: Text = None,
) -> Response:
    form = {
        "prevalence": prevalence or "",
        "people": people or "",
        "sizes": sizes or "",
        "tests_per_hour": tests_per_hour or str(planner.DEFAULT_TESTS_PER_HOUR),
    }
    plan, error = None, None
    if prevalence is not None or people is not None:
        plan, error = _plan_or_error(session, *form.values())
    context = {"form": form, "plan": plan, "error": error, "chart": chart(plan) if plan else None}
    status = error.status if error else 200
    return render(request, "testing/citizen_planner.html", context, status_code=status)


def chart(plan: planner.Plan) -> dict[str, Any]:
    """Bar geometry of tests per person for each size, scaled to the tallest bar."""
    height, bar, gap, top = 180, 56, 36, 24
    tallest = max(row.tests_per_person for row in plan.sizes)
    bars = []
    for index, row in enumerate(plan.sizes):
        h = max(1, round(height * row.tests_per_person / tallest))
        x = gap + index * (bar + gap)
        bars.append({"x": x, "y": top + height - h, "h": h, "w": bar, "row": row})
    width = max(480, gap + len(bars) * (bar + gap))
    return {"bars": bars, "width": width, "base": top + height}


# --- antigen reports, as officers see them -------------------------------------------------


@router.get("/testing/antigen")
def antigen_reports_page(
    request: Request,
    session: DbSession,
    actor: TestingReadPage,
    result: ResultQuery = None,
    region: PrefixQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"result": result or "", "region": region or ""}
    where = service.ReportFilter(result=result or None, region=region or None)
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_reports(session, actor=actor, page=page, where=where)
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v} | {"cursor": next_cursor}
        next_url = f"/testing/antigen?{urlencode(query)}"
    context = {"reports": rows, "filters": filters, "next_url": next_url}
    return render(request, "testing/citizen_antigen_reports.html", context)


@router.get("/testing/antigen/{report_id}/photo")
def antigen_photo(session: DbSession, actor: TestingReadPage, report_id: IdPath) -> Response:
    data, media_type = service.open_photo(session, actor=actor, report_id=report_id)
    return Response(data, media_type=media_type, headers=NO_STORE)


# --- the citizen's own ---------------------------------------------------------------------


def _my_context(session: DbSession, settings: SettingsDep, person_id: int) -> dict[str, Any]:
    return {
        "testing": service.my_testing(session, person_id),
        "reports": service.my_reports(session, person_id),
        "code": service.my_code(session, settings, person_id),
    }


@router.get("/me/testing")
def my_testing_page(
    request: Request, session: DbSession, settings: SettingsDep, citizen: PageCitizen
) -> Response:
    context = _my_context(session, settings, citizen.person_id)
    return citizen_page(request, "testing/citizen_me.html", context)


def _form_context(**extra: Any) -> dict[str, Any]:
    now = clock.now().astimezone(clock.LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
    return {"error": None, "result": "", "tested_at": now, "max_tested_at": now} | extra


@router.get("/me/testing/antigen")
def antigen_form(request: Request, citizen: PageCitizen) -> Response:
    return citizen_page(request, "testing/citizen_antigen_form.html", _form_context())


def local_input_time(text: str) -> datetime:
    """A ``datetime-local`` field (Asia/Shanghai wall time, or with an offset) → UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise AntigenTimeInvalid() from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.LOCAL_TZ)
    return value.astimezone(UTC)


@router.post(
    "/me/testing/antigen",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(service.MAX_PHOTO_BYTES),
)
def antigen_submit(
    request: Request,
    session: DbSession,
    citizen: PageCitizen,
    result: Annotated[str, Form(max_length=10)] = "",
    tested_at: Annotated[str, Form(max_length=40)] = "",
    photo: UploadFile | None = None,
) -> Response:
    data = photo.file.read(service.MAX_PHOTO_BYTES + 1) if photo is not None else None
    try:
        at = local_input_time(tested_at)
        service.report_antigen(
            session, person_id=citizen.person_id, result=result, tested_at=at, photo=data
        )
    except DomainError as exc:
        context = _form_context(error=exc, result=result, tested_at=tested_at)
        name = "testing/citizen_antigen_form.html"
        return citizen_page(request, name, context, status_code=exc.status)
    return RedirectResponse("/me/testing?reported=1", status_code=303)
