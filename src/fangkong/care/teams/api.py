"""``/api/v1/care/teams``: responsibility teams, their visits and hazards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fangkong.care.access import CareManage, CareRead
from fangkong.care.teams import service
from fangkong.care.teams.schemas import (
    HazardCreate,
    HazardFix,
    HazardOut,
    TeamCreate,
    TeamOut,
    VisitCreate,
    VisitOut,
)
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IntIdPath, page_params

router = APIRouter(tags=["care"])
TEAMS = "/api/v1/care/teams"
HAZARDS = "/api/v1/care/hazards"
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]


@router.get(TEAMS, response_model=Page[TeamOut])
def list_teams(
    session: DbSession, actor: CareRead, paging: Paging, region: RegionQuery = None
) -> Page[TeamOut]:
    items, cursor = service.list_teams(session, actor=actor, page=paging, region=region)
    return Page(items=items, next_cursor=cursor)


@router.post(TEAMS, response_model=TeamOut, status_code=status.HTTP_201_CREATED)
def create_team(session: DbSession, actor: CareManage, data: TeamCreate) -> TeamOut:
    return service.teams_out(session, [service.create_team(session, actor=actor, data=data)])[0]


@router.get(f"{TEAMS}/{{team_id}}", response_model=TeamOut)
def get_team(session: DbSession, actor: CareRead, team_id: IntIdPath) -> TeamOut:
    team = service.get_team(session, actor=actor, team_id=team_id)
    return service.teams_out(session, [team])[0]


@router.get(f"{TEAMS}/{{team_id}}/visits", response_model=list[VisitOut])
def list_visits(session: DbSession, actor: CareRead, team_id: IntIdPath) -> list[VisitOut]:
    return service.visits(session, actor=actor, team_id=team_id)


@router.post(
    f"{TEAMS}/{{team_id}}/visits", response_model=VisitOut, status_code=status.HTTP_201_CREATED
)
def record_visit(
    session: DbSession, actor: CareManage, team_id: IntIdPath, data: VisitCreate
) -> VisitOut:
    visit = service.record_visit(session, actor=actor, team_id=team_id, data=data)
    return VisitOut(
        id=visit.id, team_id=visit.team_id, community_code=visit.community_code,
        visited_on=visit.visited_on, notes=visit.notes,
    )  # fmt: skip


@router.get(f"{TEAMS}/{{team_id}}/hazards", response_model=list[HazardOut])
def list_hazards(
    session: DbSession, actor: CareRead, team_id: IntIdPath, open_only: bool = False
) -> list[HazardOut]:
    return service.hazards(session, actor=actor, team_id=team_id, open_only=open_only)


@router.post(
    f"{TEAMS}/{{team_id}}/hazards", response_model=HazardOut, status_code=status.HTTP_201_CREATED
)
def record_hazard(
    session: DbSession, actor: CareManage, team_id: IntIdPath, data: HazardCreate
) -> HazardOut:
    hazard = service.record_hazard(session, actor=actor, team_id=team_id, data=data)
    return service.hazard_out(hazard)


@router.post(f"{HAZARDS}/{{hazard_id}}/fix", response_model=HazardOut)
def fix_hazard(
    session: DbSession, actor: CareManage, hazard_id: IntIdPath, data: HazardFix
) -> HazardOut:
    return service.hazard_out(
        service.fix_hazard(session, actor=actor, hazard_id=hazard_id, data=data)
    )
