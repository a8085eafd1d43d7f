"""Daily counts by clinic and district, and the district alerts against the recent baseline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.models import AuditLog
from fangkong.models.sentinel import FeverVisit, SentinelAlert
from fangkong.sentinel import service, surveillance
from sentinel.conftest import count, officer

DAY = date(2022, 12, 10)


def add_visits(session, world, day: date, n: int, *, clinic: int | None = None) -> None:
    """``n`` visits on ``day`` written as rows (the alert rule reads counts, not people)."""
    venue = clinic or world.clinic
    region = "230102001002003" if venue in (world.clinic, world.pharmacy) else "230103001002003"
    at = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    for i in range(n):
        session.add(FeverVisit(venue_id=venue, region_code=region, person_id=world.person,
                               grid_code="230102001002003", visited_at=at, visited_on=day,
                               symptoms=["fever"], nat_taken=i % 2 == 0, marked=False))  # fmt: skip
    session.flush()


def test_counts_by_clinic_and_district_are_scoped(session, world):
    add_visits(session, world, DAY, 3)
    add_visits(session, world, DAY, 2, clinic=world.nangang_clinic)
    add_visits(session, world, DAY - timedelta(days=1), 5)
    city = surveillance.daily_counts(session, actor=SYSTEM, day=DAY)
    assert [(r.key, r.visits, r.nat_taken) for r in city.by_district] == [
        ("230102", 3, 2),
        ("230103", 2, 1),
    ]
    assert {r.name: r.visits for r in city.by_clinic} == {
        "道里测试医院发热门诊": 3,
        "南岗测试医院": 2,
    }
    daoli = surveillance.daily_counts(session, actor=officer("230102"), day=DAY)
    assert [r.key for r in daoli.by_district] == ["230102"]
    assert [r.visits for r in daoli.by_clinic] == [3]


def test_a_district_above_factor_times_its_baseline_raises_one_alert(session, settings, world):
    edition = service.edition(session, settings)  # factor 2, 7 baseline days, at least 10
    for back in range(1, 8):
        add_visits(session, world, DAY - timedelta(days=back), 4)
        add_visits(session, world, DAY - timedelta(days=back), 4, clinic=world.nangang_clinic)
    add_visits(session, world, DAY, 9)  # 道里: above 2 × 4 = 8
    add_visits(session, world, DAY, 8, clinic=world.nangang_clinic)  # 南岗: not above 8
    run = surveillance.compute_alerts(session, edition=edition, day=DAY)
    assert (run.districts, run.alerts) == (2, 0)  # 9 visits are fewer than the minimum of 10
    add_visits(session, world, DAY, 1)
    run = surveillance.compute_alerts(session, edition=edition, day=DAY)
    assert run.alerts == 1
    alert = session.query(SentinelAlert).one()
    assert (alert.district_code, alert.visits, alert.baseline, alert.factor) == (
        "230102",
        10,
        4.0,
        2.0,
    )
    again = surveillance.compute_alerts(session, edition=edition, day=DAY)
    assert again.alerts == 1 and count(session, SentinelAlert) == 1
    raised = session.query(AuditLog).filter_by(action="sentinel.alert_raise").count()
    assert raised == 1


def test_an_alert_that_no_longer_holds_is_withdrawn(session, settings, world):
    edition = service.edition(session, settings)
    add_visits(session, world, DAY, 12)  # baseline 0
    assert surveillance.compute_alerts(session, edition=edition, day=DAY).alerts == 1
    add_visits(session, world, DAY - timedelta(days=1), 50)  # late reports raise the baseline
    assert surveillance.compute_alerts(session, edition=edition, day=DAY).alerts == 0
    assert count(session, SentinelAlert) == 0


def test_alerts_are_listed_within_the_jurisdiction(session, settings, world):
    edition = service.edition(session, settings)
    add_visits(session, world, DAY, 12, clinic=world.nangang_clinic)
    surveillance.compute_alerts(session, edition=edition, day=DAY)
    page = PageParams(limit=10)
    nangang, _ = surveillance.list_alerts(session, actor=officer("230103001"), day=DAY, page=page)
    daoli, _ = surveillance.list_alerts(session, actor=officer("230102"), day=DAY, page=page)
    assert [a.district_code for a in nangang] == ["230103"] and daoli == []
