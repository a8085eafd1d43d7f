"""Queries of responsibility teams; every read starts from ``teams(actor)`` (the team's
region inside the actor's jurisdiction); visits and hazards are read through their team."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Region
from fangkong.models.care import CareHazard, CareTeam, CareTeamCommunity, CareVisit


def teams(actor: Principal) -> Select[Any]:
    return select(CareTeam).where(within(CareTeam.region_code, actor.region_code))


def get_team(session: Session, actor: Principal, team_id: int) -> CareTeam | None:
    return session.scalars(teams(actor).where(CareTeam.id == team_id)).one_or_none()


def _teams_in(actor: Principal, region: str | None) -> Select[Any]:
    statement = teams(actor)
    if region:
        statement = statement.where(within(CareTeam.region_code, region))
    return statement


def team_page(
    session: Session, actor: Principal, region: str | None, params: PageParams
) -> tuple[Sequence[CareTeam], str | None]:
    return fetch_page(session, _teams_in(actor, region), CareTeam.id, params)


def team_count(session: Session, actor: Principal, region: str | None) -> int:
    counted = _teams_in(actor, region).with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def team_chunk(
    session: Session, actor: Principal, region: str | None, after: int | None, limit: int
) -> Sequence[CareTeam]:
    statement = _teams_in(actor, region)
    if after is not None:
        statement = statement.where(CareTeam.id > after)
    return session.scalars(statement.order_by(CareTeam.id).limit(limit)).all()


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


def communities_of(session: Session, team_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {team_id: [] for team_id in team_ids}
    if team_ids:
        statement = (
            select(CareTeamCommunity)
            .where(CareTeamCommunity.team_id.in_(team_ids))
            .order_by(CareTeamCommunity.community_code)
        )
        for link in session.scalars(statement):
            found[link.team_id].append(link.community_code)
    return found


def counts_of(session: Session, team_ids: set[int]) -> dict[int, tuple[int, int, int]]:
    """Per team: visits, hazards found, hazards fixed."""
    counts = {team_id: [0, 0, 0] for team_id in team_ids}
    if team_ids:
        visits = select(CareVisit.team_id, func.count()).where(CareVisit.team_id.in_(team_ids))
        for team_id, n in session.execute(visits.group_by(CareVisit.team_id)):
            counts[team_id][0] = n
        hazards = select(CareHazard.team_id, func.count(), func.count(CareHazard.fixed_on))
        hazards = hazards.where(CareHazard.team_id.in_(team_ids)).group_by(CareHazard.team_id)
        for team_id, found, fixed in session.execute(hazards):
            counts[team_id][1:] = [found, fixed]
    return {team_id: (c[0], c[1], c[2]) for team_id, c in counts.items()}


def visits(session: Session, team_id: int) -> Sequence[CareVisit]:
    statement = select(CareVisit).where(CareVisit.team_id == team_id)
    return session.scalars(statement.order_by(CareVisit.visited_on.desc(), CareVisit.id)).all()


def hazards(session: Session, team_id: int, open_only: bool) -> Sequence[CareHazard]:
    statement = select(CareHazard).where(CareHazard.team_id == team_id)
    if open_only:
        statement = statement.where(CareHazard.fixed_on.is_(None))
    return session.scalars(statement.order_by(CareHazard.found_on.desc(), CareHazard.id)).all()


def get_hazard(session: Session, actor: Principal, hazard_id: int) -> CareHazard | None:
    statement = (
        select(CareHazard)
        .join(CareTeam, CareTeam.id == CareHazard.team_id)
        .where(CareHazard.id == hazard_id, within(CareTeam.region_code, actor.region_code))
    )
    return session.scalars(statement).one_or_none()
