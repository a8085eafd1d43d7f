"""Screening rounds through the service: create (regions in the actor's jurisdiction, the
target counted), who sees a round, close, refresh the target, each change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import make_region
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.models import AuditLog
from fangkong.testing.campaigns import errors, service
from testing.campaigns.helpers import NANGANG_OFFICER, OFFICER, new_round, officer
from testing.world import DAOLI, GRID, NANGANG, OTHER_GRID, make_resident

pytestmark = pytest.mark.usefixtures("world")


def actions(session, campaign_id):
    statement = select(AuditLog.action).where(
        AuditLog.object_type == "campaign", AuditLog.object_id == str(campaign_id)
    )
    return session.scalars(statement.order_by(AuditLog.id)).all()


def test_a_round_counts_its_residents_and_is_audited(session, settings):
    for _ in range(3):
        make_resident(session, settings)
    make_resident(session, settings, grid=OTHER_GRID)
    campaign = new_round(session)
    assert (campaign.region_code, campaign.status, campaign.target_population) == (DAOLI, "open", 3)
    assert campaign.missed_marked_at is None
    assert actions(session, campaign.id) == ["campaign.create"]
    [out] = service.describe(session, [campaign])
    assert out.regions == [DAOLI]


def test_nested_regions_are_counted_once_and_the_widest_scopes_the_round(session, settings):
    make_resident(session, settings)
    campaign = new_round(session, (GRID, DAOLI, GRID[:12]))
    assert campaign.target_population == 1
    assert service.describe(session, [campaign])[0].regions == [DAOLI]
    grids = new_round(session, (GRID, OTHER_GRID), actor=officer("230100"))
    assert grids.region_code == "230100"


@pytest.mark.parametrize(
    ("regions", "error"),
    [
        ((OTHER_GRID,), errors.RegionOutOfScope),
        (("230102999999999",), errors.UnknownRegion),
        ((DAOLI, NANGANG), errors.RegionOutOfScope),
    ],
)
def test_regions_must_exist_inside_the_jurisdiction(session, regions, error):
    with pytest.raises(error):
        new_round(session, regions)


def test_a_round_ends_on_or_after_its_start(session):
    with pytest.raises(errors.InvalidDates):
        new_round(session, days=0)


def test_who_sees_a_round(session):
    daoli = new_round(session)
    city = new_round(session, (DAOLI, NANGANG), actor=officer("230100"))
    assert city.region_code == "230100"
    seen = service.list_campaigns(session, actor=NANGANG_OFFICER, page=PageParams())[0]
    assert [c.id for c in seen] == [city.id]
    with pytest.raises(errors.CampaignNotFound):
        service.get_campaign(session, actor=NANGANG_OFFICER, campaign_id=daoli.id)
    mine = service.list_campaigns(session, actor=OFFICER, page=PageParams())[0]
    assert [c.id for c in mine] == [city.id, daoli.id]
    closed = service.list_campaigns(session, actor=OFFICER, page=PageParams(), status="closed")
    assert closed[0] == []


def test_close_once(session):
    campaign = new_round(session)
    service.close_campaign(session, actor=OFFICER, campaign_id=campaign.id)
    assert campaign.status == "closed"
    with pytest.raises(errors.CampaignClosed):
        service.close_campaign(session, actor=OFFICER, campaign_id=campaign.id)
    assert actions(session, campaign.id) == ["campaign.create", "campaign.close"]


def test_the_target_is_refreshed_on_demand_and_live_in_coverage(session, settings):
    make_resident(session, settings)
    campaign = new_round(session)
    make_region(session, GRID[:12] + "004")
    make_resident(session, settings, grid=GRID[:12] + "004")
    assert campaign.target_population == 1
    live = service.coverage(session, actor=OFFICER, campaign_id=campaign.id, level="district")
    assert live.totals.target == 2
    service.refresh_target(session, actor=OFFICER, campaign_id=campaign.id)
    assert campaign.target_population == 2
    service.refresh_target(session, actor=OFFICER, campaign_id=campaign.id)  # unchanged
    assert actions(session, campaign.id) == ["campaign.create", "campaign.refresh_target"]


def test_a_round_may_start_in_the_past(session):
    start = clock.local_today() - timedelta(days=3)
    campaign = new_round(session, starts_on=start, days=1)
    assert campaign.ends_on == start
