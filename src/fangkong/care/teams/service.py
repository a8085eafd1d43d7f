"""Verbs of responsibility teams (包保工作组): create with communities, record visits and
hazards, fix hazards; lists with counts. Services flush, never commit; each change writes an
audit row. Dates of visits and hazards are local days and never lie in the future."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.care import errors, trail
from fangkong.care.teams import repository
from fangkong.care.teams.schemas import (
    HazardCreate,
    HazardFix,
    HazardOut,
    TeamCreate,
    TeamOut,
    VisitCreate,
    VisitOut,
)
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.care import CareHazard, CareTeam, CareTeamCommunity, CareVisit

COMMUNITY_DIGITS = 12
TEAM_FIELDS = ("name", "region_code", "leader", "members", "duties")


@dataclass(frozen=True)
class TeamFilter:
    region: str | None = None  # a region-code prefix


def _region(session: Session, actor: Principal, code: str) -> str:
    if not actor.covers(code) or not repository.region_exists(session, code):
        raise errors.UnknownRegion()
    return code


def _communities(session: Session, actor: Principal, region: str, codes: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(codes))
    for code in chosen:
        if len(code) != COMMUNITY_DIGITS:
            raise errors.NotACommunity()
        if not code.startswith(region):
            raise errors.UnknownRegion()
        _region(session, actor, code)
    return chosen


def teams_out(session: Session, rows: Sequence[CareTeam]) -> list[TeamOut]:
    ids = {t.id for t in rows}
    communities = repository.communities_of(session, ids)
    counts = repository.counts_of(session, ids)
    return [
        TeamOut(
            id=t.id,
            name=t.name,
            region_code=t.region_code,
            leader=t.leader,
            members=list(t.members),
            duties=t.duties,
            communities=communities[t.id],
            visits=counts[t.id][0],
            hazards_found=counts[t.id][1],
            hazards_fixed=counts[t.id][2],
            created_at=t.created_at,
        )
        for t in rows
    ]


def create_team(session: Session, *, actor: Principal, data: TeamCreate) -> CareTeam:
    region = _region(session, actor, data.region_code)
    communities = _communities(session, actor, region, data.communities)
    team = CareTeam(
        name=data.name, region_code=region, leader=data.leader, members=list(data.members),
        duties=data.duties, active=True,
    )  # fmt: skip
    session.add(team)
    session.flush()
    session.add_all(CareTeamCommunity(team_id=team.id, community_code=c) for c in communities)
    session.flush()
    after = trail.snapshot(team, TEAM_FIELDS) | {"communities": communities}
    trail.record(
        session, actor, "care.team_create", object_type="care_team", object_id=team.id,
        region_code=region, after=after,
    )  # fmt: skip
    return team


def get_team(session: Session, *, actor: Principal, team_id: int) -> CareTeam:
    team = repository.get_team(session, actor, team_id)
    if team is None:
        raise errors.TeamNotFound()
    return team


def list_teams(
    session: Session, *, actor: Principal, page: PageParams, region: str | None = None
) -> tuple[list[TeamOut], str | None]:
    rows, cursor = repository.team_page(session, actor, region, page)
    return teams_out(session, rows), cursor


def count_for_export(session: Session, *, actor: Principal, where: TeamFilter) -> int:
    return repository.team_count(session, actor, where.region)


def export_rows(
    session: Session, *, actor: Principal, where: TeamFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One keyset chunk of teams: region, communities, duties and the counts of the list."""
    rows = repository.team_chunk(session, actor, where.region, after[0] if after else None, limit)
    out = [
        (t.id, t.name, t.region_code, "、".join(t.communities), t.leader, t.duties, t.visits,
         t.hazards_found, t.hazards_fixed)
        for t in teams_out(session, rows)
    ]  # fmt: skip
    return out, ([rows[-1].id] if len(rows) == limit else None)


def _past_or_today(day: date) -> date:
    if day > clock.local_today():
        raise errors.DateInFuture()
    return day


def _team_community(session: Session, team: CareTeam, code: str) -> str:
    if code not in repository.communities_of(session, {team.id})[team.id]:
        raise errors.CommunityNotAssigned()
    return code


def record_visit(
    session: Session, *, actor: Principal, team_id: int, data: VisitCreate
) -> CareVisit:
    team = get_team(session, actor=actor, team_id=team_id)
    visit = CareVisit(
        team_id=team.id, community_code=_team_community(session, team, data.community_code),
        visited_on=_past_or_today(data.visited_on), notes=data.notes, created_by=actor.id,
    )  # fmt: skip
    session.add(visit)
    session.flush()
    after = {"community_code": visit.community_code, "visited_on": visit.visited_on.isoformat()}
    trail.record(
        session, actor, "care.team_visit", object_type="care_team", object_id=team.id,
        region_code=team.region_code, after=after,
    )  # fmt: skip
    return visit


def visits(session: Session, *, actor: Principal, team_id: int) -> list[VisitOut]:
    team = get_team(session, actor=actor, team_id=team_id)
    return [
        VisitOut(
            id=v.id,
            team_id=v.team_id,
            community_code=v.community_code,
            visited_on=v.visited_on,
            notes=v.notes,
        )
        for v in repository.visits(session, team.id)
    ]


def hazard_out(h: CareHazard) -> HazardOut:
    return HazardOut(
        id=h.id, team_id=h.team_id, community_code=h.community_code, description=h.description,
        found_on=h.found_on, fixed_on=h.fixed_on, fix_note=h.fix_note,
    )  # fmt: skip


def record_hazard(
    session: Session, *, actor: Principal, team_id: int, data: HazardCreate
) -> CareHazard:
    team = get_team(session, actor=actor, team_id=team_id)
    hazard = CareHazard(
        team_id=team.id, community_code=_team_community(session, team, data.community_code),
        description=data.description, found_on=_past_or_today(data.found_on), fix_note="",
        created_by=actor.id,
    )  # fmt: skip
    session.add(hazard)
    session.flush()
    trail.record(
        session, actor, "care.hazard_found", object_type="care_hazard", object_id=hazard.id,
        region_code=team.region_code, after=hazard_out(hazard).model_dump(mode="json"),
    )  # fmt: skip
    return hazard


def hazards(
    session: Session, *, actor: Principal, team_id: int, open_only: bool = False
) -> list[HazardOut]:
    team = get_team(session, actor=actor, team_id=team_id)
    return [hazard_out(h) for h in repository.hazards(session, team.id, open_only)]


def fix_hazard(
    session: Session,
    *,
    actor: Principal,
    hazard_id: int,
    data: HazardFix,
    team_id: int | None = None,
) -> CareHazard:
    """Fixed on a day not before it was found; ``team_id``, when given, must be its team."""
    hazard = repository.get_hazard(session, actor, hazard_id)
    if hazard is None or team_id not in (None, hazard.team_id):
        raise errors.HazardNotFound()
    if hazard.fixed_on is not None:
        raise errors.HazardFixed()
    fixed_on = _past_or_today(data.fixed_on)
    if fixed_on < hazard.found_on:
        raise errors.FixedBeforeFound()
    before = hazard_out(hazard).model_dump(mode="json")
    hazard.fixed_on, hazard.fix_note = fixed_on, data.note
    session.flush()
    trail.record(
        session, actor, "care.hazard_fixed", object_type="care_hazard", object_id=hazard.id,
        region_code=hazard.community_code, before=before,
        after=hazard_out(hazard).model_dump(mode="json"),
    )  # fmt: skip
    return hazard
