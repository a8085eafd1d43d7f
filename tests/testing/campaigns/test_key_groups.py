"""Key-group schedules: the edition's groups with member counts, the overdue list (sorted,
masked, paged, filtered), summaries, the export, and the daily job that a negative NAT undoes
and an edition without required groups does not run."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from fangkong.core import clock, events
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.healthcode.events import NegativeTest
from fangkong.models.person import KeyGroup
from fangkong.policy import service as policy
from fangkong.testing.campaigns import errors, service
from testing.campaigns.helpers import NANGANG_OFFICER, OFFICER, facts, join_group
from testing.world import OTHER_GRID, make_resident, make_tube

pytestmark = pytest.mark.usefixtures("world")
NOW = datetime(2024, 5, 10, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai
OVERDUE = "key_group.test_overdue"
COLD = "port_cold_chain_workers"


@pytest.fixture
def members(session, settings):
    """Cold chain (daily): never sampled, sampled 3 days ago, sampled 2 hours ago; a port
    worker of the same group sampled 30 hours ago; a delivery rider (every 2 days) sampled
    50 hours ago in Nangang; a teacher whose membership ended."""
    with clock.frozen(NOW):
        made = {name: make_resident(session, settings, name=f"{name}工") for name in
                ("never", "old", "fresh", "port", "rider", "teacher")}  # fmt: skip
        made["rider"].grid_code = OTHER_GRID
        for name in ("never", "old", "fresh"):
            join_group(session, made[name], KeyGroup.COLD_CHAIN)
        join_group(session, made["port"], KeyGroup.PORT, employer="哈尔滨港务局")
        join_group(session, made["rider"], KeyGroup.DELIVERY, employer="同城快送")
        ended = clock.local_today() - timedelta(days=1)
        join_group(session, made["teacher"], KeyGroup.SCHOOL, end_date=ended)
        for name, hours in (("old", 72), ("fresh", 2), ("port", 30), ("rider", 50)):
            make_tube(session, [made[name]], kind="single", sampled_at=NOW - timedelta(hours=hours))
        session.flush()
    return made


def test_the_editions_groups_with_member_counts(session, members):
    with clock.frozen(NOW):
        groups = {g.id: g for g in service.key_groups(session, actor=SYSTEM)}
    cold = groups[COLD]
    assert (cold.frequency_days, cold.required, cold.members) == (1, True, 4)
    assert cold.registry_groups == ["cold_chain", "port"]
    assert groups["delivery_riders"].members == 1
    assert groups["sampling_staff"].members == 0
    with clock.frozen(NOW):
        daoli = {g.id: g.members for g in service.key_groups(session, actor=OFFICER)}
    assert daoli["delivery_riders"] == 0


def test_the_overdue_most_overdue_first_masked(session, members):
    with clock.frozen(NOW):
        rows, cursor = service.overdue(session, actor=SYSTEM, page=PageParams())
    assert cursor is None
    got = [(r.person_id, r.group, r.days_overdue) for r in rows]
    assert got == [
        (members["never"].id, COLD, None),
        (members["old"].id, COLD, 2),
        (members["port"].id, COLD, 0),
        (members["rider"].id, "delivery_riders", 0),
    ]
    assert rows[0].name == "n****工"
    assert rows[2].employer == "哈尔滨港务局"


def test_filters_and_pages(session, members):
    with clock.frozen(NOW):
        first, cursor = service.overdue(session, actor=SYSTEM, page=PageParams(limit=2))
        rest, end = service.overdue(session, actor=SYSTEM, page=PageParams(limit=2, cursor=cursor))
        riders, _ = service.overdue(
            session, actor=SYSTEM, page=PageParams(), group="delivery_riders"
        )
        port, _ = service.overdue(session, actor=SYSTEM, page=PageParams(), employer="哈尔滨港务局")
        daoli, _ = service.overdue(session, actor=OFFICER, page=PageParams())
        nangang, _ = service.overdue(session, actor=NANGANG_OFFICER, page=PageParams())
        with pytest.raises(errors.UnknownKeyGroup):
            service.overdue(session, actor=SYSTEM, page=PageParams(), group="astronauts")
    assert end is None and len(first + rest) == 4
    assert [r.person_id for r in first + rest][:2] == [members["never"].id, members["old"].id]
    assert [r.person_id for r in riders] == [members["rider"].id]
    assert [r.person_id for r in port] == [members["port"].id]
    assert members["rider"].id not in [r.person_id for r in daoli]
    assert [r.person_id for r in nangang] == [members["rider"].id]


def test_summaries_and_export(session, members):
    with clock.frozen(NOW):
        summary = service.overdue_summary(session, actor=SYSTEM)
        body = service.overdue_xlsx(session, actor=OFFICER, gettext=str)
    assert summary.total == 4
    employers = {c.key: c.overdue for c in summary.by_employer}
    assert employers == {"道里冷链物流公司": 2, "哈尔滨港务局": 1, "同城快送": 1}
    assert {c.key: c.overdue for c in summary.by_region} == {"230102": 3, "230103": 1}
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Key group", "Name", "ID number")
    assert [r[7] for r in rows[1:]] == ["never", 2, 0]
    assert all("**********" in r[2] for r in rows[1:])


def test_the_daily_job_raises_and_a_negative_ends_it(session, members):
    with clock.frozen(NOW):
        outcome = service.mark_overdue(session)
    assert outcome["raised"][COLD] == 3 and outcome["raised"]["delivery_riders"] == 1
    ref = f"key_group:{COLD}"
    assert (members["old"].id, ref) in facts(session, OVERDUE)
    later = NOW + timedelta(hours=1)
    with clock.frozen(later):
        events.publish(session, NegativeTest(members["old"].id, later, "testing"))
    assert (members["old"].id, ref) not in facts(session, OVERDUE)
    assert len(facts(session, OVERDUE)) == 3


def test_an_edition_without_required_groups_raises_nothing_new(session, members):
    policy.activate(session, actor=SYSTEM, edition_id="cn-new10-2022-12", default="cn-9th-2022-06")
    with clock.frozen(NOW):
        outcome = service.mark_overdue(session)
    assert outcome["raised"] == {}
    assert facts(session, OVERDUE) == []


def test_due_on_a_day_counts_calendar_days_inside_the_jurisdiction(session, settings, members):
    """Due today: never sampled, or last sampled ``frequency_days`` calendar days ago or more,
    whatever the hour. A daily member sampled yesterday evening (16 hours ago) is due today
    though not overdue; one sampled this morning is due tomorrow; the ended membership never."""
    with clock.frozen(NOW):
        evening = make_resident(session, settings, name="evening工")
        join_group(session, evening, KeyGroup.COLD_CHAIN)
        make_tube(session, [evening], kind="single", sampled_at=NOW - timedelta(hours=16))
        session.flush()
        today = clock.local_today()
        due = service.due_on(session, actor=SYSTEM, day=today)
        overdue = {r.person_id for r in service.overdue(session, actor=SYSTEM,
                                                        page=PageParams())[0]}  # fmt: skip
        tomorrow = service.due_on(session, actor=SYSTEM, day=today + timedelta(days=1))
        daoli = service.due_on(session, actor=OFFICER, day=today)
    expected = [*(members[n].id for n in ("never", "old", "port", "rider")), evening.id]
    assert due == sorted(expected)
    assert evening.id not in overdue and members["fresh"].id not in due
    assert members["fresh"].id in tomorrow and members["teacher"].id not in tomorrow
    assert members["rider"].id not in daoli and members["never"].id in daoli
