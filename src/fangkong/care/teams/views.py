"""Pages of responsibility teams: the list with counts and the new-team form; a team's page
with its visits and hazards and the forms that record a visit, a hazard found and a hazard
fixed. A rejected form re-renders its page with the values kept and the error shown."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.care.access import CareForm, CarePage
from fangkong.care.pages import FormInvalid, page, split_list, tab_counts
from fangkong.care.teams import service
from fangkong.care.teams.schemas import HazardCreate, HazardFix, TeamCreate, VisitCreate
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked, validated
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IntIdPath

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]
TEAM_FORM = ("name", "region_code", "leader", "members", "duties", "communities")
VISIT_FORM = ("community_code", "visited_on", "notes")
HAZARD_FORM = ("community_code", "description", "found_on")
FIX_FORM = ("fixed_on", "note")


@router.get("/care/teams")
def teams_page(
    request: Request, session: DbSession, actor: CarePage, cursor: Cursor = None
) -> Response:
    page_at = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_teams(session, actor=actor, page=page_at)
    next_url = f"/care/teams?cursor={next_cursor}" if next_cursor else None
    context = {"rows": rows, "next_url": next_url} | tab_counts(session, actor)
    return render(request, "care/teams.html", context)


# --- a new team -------------------------------------------------------------------------


def _team_form(
    request: Request, form: dict[str, str], error: DomainError | None, status: int = 200
) -> Response:
    return page(request, "care/team_new.html", {"form": form, "error": error}, status)


@router.get("/care/teams/new")
def new_team_page(request: Request, actor: CareForm) -> Response:
    return _team_form(request, blank(TEAM_FORM), None)


@router.post("/care/teams/new", dependencies=[CsrfChecked])
def new_team_submit(
    request: Request, session: DbSession, actor: CareForm, fields: FormFields
) -> Response:
    form = picked(fields, TEAM_FORM)
    given = form | {"members": split_list(form["members"]),
                    "communities": split_list(form["communities"])}  # fmt: skip
    try:
        team = service.create_team(
            session, actor=actor, data=validated(TeamCreate, given, FormInvalid)
        )
    except DomainError as exc:
        session.rollback()
        return _team_form(request, form, exc, exc.status)
    return RedirectResponse(f"/care/teams/{team.id}", status_code=303)


# --- a team, its visits and hazards -----------------------------------------------------


def _team(
    request: Request, session: DbSession, actor: Principal, team_id: int, **extra: Any
) -> Response:
    status = extra.pop("status", 200)
    team = service.get_team(session, actor=actor, team_id=team_id)
    context = {
        "team": service.teams_out(session, [team])[0],
        "visits": service.visits(session, actor=actor, team_id=team.id),
        "hazards": service.hazards(session, actor=actor, team_id=team.id),
        "manage": actor.can(Perm.CARE_MANAGE), "error": None, "failed": "",
        "forms": _kept(None, {}), "today": clock.local_today().isoformat(),
    } | extra  # fmt: skip
    return page(request, "care/team.html", context, status)


@router.get("/care/teams/{team_id}")
def team_page(
    request: Request, session: DbSession, actor: CarePage, team_id: IntIdPath
) -> Response:
    return _team(request, session, actor, team_id)


def _failed(
    request: Request, session: DbSession, actor: Principal, team_id: int, **failure: Any
) -> Response:
    """The team page again after a rejected form: nothing of it written, its values kept."""
    session.rollback()
    error: DomainError = failure["error"]
    return _team(request, session, actor, team_id, status=error.status, **failure)


@router.post("/care/teams/{team_id}/visits", dependencies=[CsrfChecked])
def visit_submit(
    request: Request, session: DbSession, actor: CareForm, team_id: IntIdPath, fields: FormFields
) -> Response:
    form = picked(fields, VISIT_FORM)
    try:
        data = validated(VisitCreate, form, FormInvalid)
        service.record_visit(session, actor=actor, team_id=team_id, data=data)
    except DomainError as exc:
        return _failed(request, session, actor, team_id, error=exc, failed="visit",
                       forms=_kept("visit", form))  # fmt: skip
    return RedirectResponse(f"/care/teams/{team_id}", status_code=303)


@router.post("/care/teams/{team_id}/hazards", dependencies=[CsrfChecked])
def hazard_submit(
    request: Request, session: DbSession, actor: CareForm, team_id: IntIdPath, fields: FormFields
) -> Response:
    form = picked(fields, HAZARD_FORM)
    try:
        data = validated(HazardCreate, form, FormInvalid)
        service.record_hazard(session, actor=actor, team_id=team_id, data=data)
    except DomainError as exc:
        return _failed(request, session, actor, team_id, error=exc, failed="hazard",
                       forms=_kept("hazard", form))  # fmt: skip
    return RedirectResponse(f"/care/teams/{team_id}", status_code=303)


@router.post("/care/teams/{team_id}/hazards/{hazard_id}/fix", dependencies=[CsrfChecked])
def fix_submit(
    request: Request,
    session: DbSession,
    actor: CareForm,
    team_id: IntIdPath,
    hazard_id: IntIdPath,
    fields: FormFields,
) -> Response:
    form = picked(fields, FIX_FORM)
    try:
        data = validated(HazardFix, form, FormInvalid)
        service.fix_hazard(session, actor=actor, hazard_id=hazard_id, data=data, team_id=team_id)
    except DomainError as exc:
        return _failed(request, session, actor, team_id, error=exc, failed=f"fix-{hazard_id}",
                       forms=_kept("fix", form))  # fmt: skip
    return RedirectResponse(f"/care/teams/{team_id}", status_code=303)


def _kept(name: str | None, form: dict[str, str]) -> dict[str, dict[str, str]]:
    """The team page's three forms: blank with today's date, but for the one posted."""
    today = clock.local_today().isoformat()
    forms = {"visit": blank(VISIT_FORM) | {"visited_on": today},
             "hazard": blank(HAZARD_FORM) | {"found_on": today},
             "fix": blank(FIX_FORM) | {"fixed_on": today}}  # fmt: skip
    return forms | ({name: form} if name else {})
