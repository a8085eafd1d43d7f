"""Pages of responsibility teams: the list with counts, and a team's visits and hazards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fangkong.care.access import CarePage
from fangkong.care.teams import service
from fangkong.core.pagination import PageParams
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IntIdPath

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=200)]


@router.get("/care/teams")
def teams_page(
    request: Request, session: DbSession, actor: CarePage, cursor: Cursor = None
) -> Response:
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_teams(session, actor=actor, page=page)
    next_url = f"/care/teams?cursor={next_cursor}" if next_cursor else None
    return render(request, "care/teams.html", {"rows": rows, "next_url": next_url})


@router.get("/care/teams/{team_id}")
def team_page(
    request: Request, session: DbSession, actor: CarePage, team_id: IntIdPath
) -> Response:
    team = service.get_team(session, actor=actor, team_id=team_id)
    context = {
        "team": service.teams_out(session, [team])[0],
        "visits": service.visits(session, actor=actor, team_id=team.id),
        "hazards": service.hazards(session, actor=actor, team_id=team.id),
    }
    return render(request, "care/team.html", context)
