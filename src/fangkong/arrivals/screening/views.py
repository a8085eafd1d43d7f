"""Pages of screening: the grid worker's to-do list (mobile, one tap to record a screening),
overdue lists with drill-down, the accountability report, daily figures and the overview."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.arrivals.dependencies import ArrivalsReadPage, ArrivalsScreenPage
from fangkong.arrivals.screening import errors, reports, service
from fangkong.arrivals.screening.schemas import (
    KIND_LABELS,
    LEVEL_DIGITS,
    OUTCOME_LABELS,
    Level,
    Outcome,
    ScreenIn,
)
from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
RegionParam = Annotated[str, Query(pattern=r"^([0-9]{2,15})?$")]
CursorParam = Annotated[str | None, Query(max_length=200)]
DateParam = Annotated[str, Query(max_length=10)]
LEVELS = ("district", "street", "community", "grid")


def _labels() -> dict[str, Any]:
    return {"kinds": KIND_LABELS, "outcomes": OUTCOME_LABELS}


def _todo(session: DbSession, actor: Principal, overdue: str, cursor: str | None) -> dict[str, Any]:
    where = service.TaskFilter(overdue=True if overdue == "1" else None)
    items, next_cursor = service.list_tasks(
        session, actor=actor, where=where, page=PageParams(limit=50, cursor=cursor)
    )
    return {"tasks": items, "next_cursor": next_cursor, "overdue": overdue, "error": None,
            "done": None} | _labels()  # fmt: skip


@router.get("/arrivals/todo")
def todo_page(
    request: Request, session: DbSession, actor: ArrivalsScreenPage,
    overdue: Annotated[str, Query(pattern=r"^[01]?$")] = "", cursor: CursorParam = None,
) -> Response:  # fmt: skip
    response = render(
        request, "arrivals/screening_todo.html", _todo(session, actor, overdue, cursor)
    )
    response.headers.update(NO_STORE)
    return response


@router.post("/arrivals/todo/{task_id}/screen", dependencies=[CsrfChecked])
def todo_screen(
    request: Request, session: DbSession, actor: ArrivalsScreenPage, task_id: IdPath,
    outcome: Annotated[Outcome, Form()], note: Annotated[str, Form(max_length=500)] = "",
) -> Response:  # fmt: skip
    try:
        service.screen(session, actor=actor, task_id=task_id,
                       data=ScreenIn(outcome=outcome, note=note))  # fmt: skip
    except DomainError as exc:
        session.rollback()
        context = _todo(session, actor, "", None) | {"error": exc}
        return render(request, "arrivals/screening_todo.html", context, exc.status)
    session.commit()
    return RedirectResponse(f"/arrivals/todo?done={task_id}", status_code=303)


@router.get("/arrivals/overdue")
def overdue_page(
    request: Request, session: DbSession, actor: ArrivalsReadPage,
    level: Annotated[Level, Query()] = Level.STREET, region: RegionParam = "",
    cursor: CursorParam = None,
) -> Response:  # fmt: skip
    try:
        report = reports.overdue(session, actor=actor, level=level, region=region or None)
    except DomainError as exc:
        return render(request, "arrivals/screening_overdue.html",
                      {"error": exc, "report": None, "tasks": [], "level": level.value,
                       "region": region, "levels": LEVELS, "next_level": None,
                       "next_cursor": None} | _labels(), exc.status)  # fmt: skip
    tasks: list[Any] = []
    next_cursor = None
    if region and len(region) >= LEVEL_DIGITS["street"]:
        where = service.TaskFilter(kind="screening", overdue=True, region=region)
        tasks, next_cursor = service.list_tasks(
            session, actor=actor, where=where, page=PageParams(limit=100, cursor=cursor)
        )
    position = LEVELS.index(level.value)
    context = {"report": report, "tasks": tasks, "level": level.value, "region": region,
               "levels": LEVELS, "error": None, "next_cursor": next_cursor,
               "next_level": LEVELS[position + 1] if position + 1 < len(LEVELS) else None,
               } | _labels()  # fmt: skip
    return render(request, "arrivals/screening_overdue.html", context)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return date.min


@router.get("/arrivals/accountability")
def accountability_page(
    request: Request, session: DbSession, actor: ArrivalsReadPage, date: DateParam = ""
) -> Response:
    context: dict[str, Any] = {"report": None, "error": None, "date": date}
    try:
        context["report"] = reports.accountability(session, actor=actor, day=_checked(date))
    except DomainError as exc:
        return render(request, "arrivals/screening_accountability.html",
                      context | {"error": exc}, exc.status)  # fmt: skip
    return render(request, "arrivals/screening_accountability.html", context)


def _checked(text: str) -> date | None:
    day = _day(text)
    if day == date.min:
        raise errors.BadDate()
    return day


@router.get("/arrivals/figures")
def figures_page(
    request: Request, session: DbSession, actor: ArrivalsReadPage, date: DateParam = "",
    region: RegionParam = "",
) -> Response:  # fmt: skip
    context: dict[str, Any] = {"figures": None, "error": None, "date": date, "region": region}
    try:
        context["figures"] = reports.figures(
            session, actor=actor, day=_checked(date), region=region or None
        )
    except DomainError as exc:
        return render(request, "arrivals/screening_figures.html", context | {"error": exc},
                      exc.status)  # fmt: skip
    return render(request, "arrivals/screening_figures.html", context)


@router.get("/arrivals/overview")
def overview_page(
    request: Request, session: DbSession, actor: ArrivalsReadPage, region: RegionParam = ""
) -> Response:
    try:
        found = reports.overview(session, actor=actor, region=region or None)
    except DomainError as exc:
        return render(request, "arrivals/screening_overview.html",
                      {"overview": None, "error": exc, "region": region}, exc.status)  # fmt: skip
    context = {
        "overview": found,
        "error": None,
        "region": region,
        "child_level": _level_of(found.rows[0].region_code) if found.rows else "street",
    }
    return render(request, "arrivals/screening_overview.html", context)


def _level_of(code: str) -> str:
    return next((name for name, digits in LEVEL_DIGITS.items() if digits == len(code)), "grid")
