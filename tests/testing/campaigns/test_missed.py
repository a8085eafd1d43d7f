"""The missed-round job: after a round's last day (Asia/Shanghai) its target people without a
tube get the missed-screening fact, once per round, only when the edition makes it yellow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.jobs import runner
from fangkong.jobs.catalog import all_jobs
from fangkong.models import AuditLog
from fangkong.policy import service as policy
from fangkong.testing.campaigns import service
from outbreak_world import make_case, make_placement
from testing.campaigns.helpers import facts, new_round
from testing.world import OTHER_GRID, make_resident, make_tube

pytestmark = pytest.mark.usefixtures("world")
DAY = date(2024, 5, 1)
MISSED = "testing.missed_screening"


@pytest.fixture
def ended_round(session, settings):
    with clock.frozen(datetime(2024, 5, 1, 2, 0, tzinfo=UTC)):
        people = [make_resident(session, settings) for _ in range(3)]
        make_resident(session, settings, grid=OTHER_GRID)  # outside the round
        campaign = new_round(session, starts_on=DAY, days=1)
        make_tube(session, people[:1], campaign=campaign)
    return campaign, people


def test_nothing_happens_on_the_rounds_last_day(session, ended_round):
    outcome = service.mark_missed(session, today=DAY)
    assert outcome["rounds"] == [] and facts(session, MISSED) == []


def test_the_day_after_the_missed_are_marked_once(session, ended_round):
    campaign, people = ended_round
    with clock.frozen(datetime(2024, 5, 2, 1, 0, tzinfo=UTC)):
        outcome = service.mark_missed(session, today=DAY + timedelta(days=1))
        again = service.mark_missed(session, today=DAY + timedelta(days=2))
    assert (outcome["rounds"], outcome["raised"]) == ([campaign.id], 2)
    ref = f"campaign:{campaign.id}"
    assert facts(session, MISSED) == [(people[1].id, ref), (people[2].id, ref)]
    assert campaign.missed_marked_at is not None
    assert again["rounds"] == []
    audit = select(AuditLog.action, AuditLog.after).where(AuditLog.action == "campaign.mark_missed")
    assert session.execute(audit).all() == [("campaign.mark_missed", {"missed": 2, "raised": True})]


def test_an_edition_without_the_yellow_raises_nothing(session, ended_round):
    policy.activate(session, actor=SYSTEM, edition_id="cn-new10-2022-12", default="cn-9th-2022-06")
    outcome = service.mark_missed(session, today=DAY + timedelta(days=1))
    assert (outcome["missed_screening_yellow"], outcome["raised"]) == (False, 0)
    assert facts(session, MISSED) == []
    assert ended_round[0].missed_marked_at is not None


def test_the_job_runs_by_name(db, settings, session, ended_round):
    session.commit()
    job = all_jobs()["testing.missed_rounds"]
    assert job.cron == "30 0 * * *"
    outcome = runner.run(db, settings, job, DAY + timedelta(days=1))
    assert outcome["raised"] == 2
    assert runner.run(db, settings, job, DAY + timedelta(days=1))["rounds"] == []


def test_people_under_control_on_the_rounds_days_are_not_marked(session, settings):
    """A case from its positive sample to its outcome and a placement from its creation to its
    release are under control: not owed to a round that fell in that time. Before or after,
    they are."""
    day_start = datetime(2024, 4, 30, 16, 0, tzinfo=UTC)  # 1 May, 00:00 in Shanghai
    with clock.frozen(datetime(2024, 5, 1, 2, 0, tzinfo=UTC)):
        people = [make_resident(session, settings) for _ in range(6)]
        campaign = new_round(session, starts_on=DAY, days=1)
    make_case(session, people[0], sampled_at=day_start + timedelta(hours=20))  # during the day
    make_case(session, people[1], sampled_at=day_start - timedelta(days=9), status="discharged",
              outcome_at=day_start - timedelta(hours=1))  # fmt: skip
    make_placement(session, people[2], created_at=day_start - timedelta(days=3),
                   status="released", released_at=day_start + timedelta(hours=9))  # fmt: skip
    make_placement(session, people[3], created_at=day_start - timedelta(days=3),
                   status="released", released_at=day_start - timedelta(hours=2))  # fmt: skip
    make_placement(session, people[4], created_at=day_start + timedelta(days=1, hours=1))
    make_placement(session, people[5], created_at=day_start - timedelta(days=1),
                   status="cancelled")  # fmt: skip
    with clock.frozen(datetime(2024, 5, 2, 1, 0, tzinfo=UTC)):
        outcome = service.mark_missed(session, today=DAY + timedelta(days=1))
    ref = f"campaign:{campaign.id}"
    assert outcome["raised"] == 4
    assert facts(session, MISSED) == [(people[i].id, ref) for i in (1, 3, 4, 5)]
