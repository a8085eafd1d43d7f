"""Responsibility teams: communities, visits, hazards found and fixed, counts; bad dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from care.conftest import make_team, officer_of
from fangkong.care import errors
from fangkong.care.teams import service
from fangkong.care.teams.schemas import HazardCreate, HazardFix, TeamCreate, VisitCreate
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.models.care import CareHazard, CareTeam

OFFICER = officer_of("230102")
COMMUNITY = "230102001002"


def test_team_with_visits_and_hazards_counts(session, districts):
    team_id = make_team(session)
    today = clock.local_today()
    service.record_visit(session, actor=OFFICER, team_id=team_id,
                         data=VisitCreate(community_code=COMMUNITY, visited_on=today, notes="巡查"))  # fmt: skip
    found = [
        service.record_hazard(
            session,
            actor=OFFICER,
            team_id=team_id,
            data=HazardCreate(community_code=COMMUNITY, description=text, found_on=today),
        )
        for text in ("消防通道堵塞", "牌匾松动")
    ]
    service.fix_hazard(session, actor=OFFICER, hazard_id=found[0].id,
                       data=HazardFix(fixed_on=today, note="已清理"))  # fmt: skip
    (team,), _ = service.list_teams(session, actor=OFFICER, page=PageParams())
    assert (team.visits, team.hazards_found, team.hazards_fixed) == (1, 2, 1)
    assert team.communities == [COMMUNITY] and team.members == ["队员乙", "队员丙"]
    open_ones = service.hazards(session, actor=OFFICER, team_id=team_id, open_only=True)
    assert [h.description for h in open_ones] == ["牌匾松动"]
    assert service.list_teams(session, actor=officer_of("230103"), page=PageParams())[0] == []


def test_team_bad_communities(session, districts):
    base = {"name": "组", "region_code": "230102001", "leader": "组长"}
    for communities, error in (
        (["230102001"], errors.NotACommunity),
        (["230103001002"], errors.UnknownRegion),
        (["230102001009"], errors.UnknownRegion),
    ):
        with pytest.raises(error):
            service.create_team(session, actor=OFFICER,
                                data=TeamCreate(**base, communities=communities))  # fmt: skip
    with pytest.raises(errors.UnknownRegion):
        service.create_team(session, actor=OFFICER, data=TeamCreate(
            **(base | {"region_code": "230103001"}), communities=["230103001002"]))  # fmt: skip
    assert session.scalar(select(func.count()).select_from(CareTeam)) == 0


def test_visit_and_hazard_bad_inputs(session, districts):
    team_id = make_team(session)
    tomorrow = clock.local_today() + timedelta(days=1)
    with pytest.raises(errors.DateInFuture):
        service.record_visit(session, actor=OFFICER, team_id=team_id,
                             data=VisitCreate(community_code=COMMUNITY, visited_on=tomorrow))  # fmt: skip
    with pytest.raises(errors.CommunityNotAssigned):
        service.record_hazard(session, actor=OFFICER, team_id=team_id, data=HazardCreate(
            community_code="230102001003", description="x", found_on=clock.local_today()))  # fmt: skip
    with pytest.raises(ValidationError):
        HazardCreate(community_code=COMMUNITY, description="", found_on=clock.local_today())
    today = clock.local_today()
    hazard = service.record_hazard(session, actor=OFFICER, team_id=team_id, data=HazardCreate(
        community_code=COMMUNITY, description="电线裸露", found_on=today))  # fmt: skip
    with pytest.raises(errors.FixedBeforeFound):
        service.fix_hazard(session, actor=OFFICER, hazard_id=hazard.id,
                           data=HazardFix(fixed_on=today - timedelta(days=1)))  # fmt: skip
    with pytest.raises(errors.DateInFuture):
        service.fix_hazard(session, actor=OFFICER, hazard_id=hazard.id,
                           data=HazardFix(fixed_on=tomorrow))  # fmt: skip
    assert session.get(CareHazard, hazard.id).fixed_on is None
    service.fix_hazard(session, actor=OFFICER, hazard_id=hazard.id, data=HazardFix(fixed_on=today))
    with pytest.raises(errors.HazardFixed):
        service.fix_hazard(session, actor=OFFICER, hazard_id=hazard.id,
                           data=HazardFix(fixed_on=today))  # fmt: skip
    with pytest.raises(errors.HazardNotFound):
        service.fix_hazard(session, actor=officer_of("230103"), hazard_id=hazard.id,
                           data=HazardFix(fixed_on=today))  # fmt: skip
