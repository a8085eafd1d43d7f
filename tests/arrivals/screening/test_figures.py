"""Overdue lists per level (a parent's count is the sum of its children's), the daily
accountability report (问责通报) per district and street, daily figures and the overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from arrivals.screening.helpers import API, task_of
from arrivals.world import DAOLI, GRID, NANGANG, OTHER_GRID, make_resident, make_trip
from factories import make_region
from fangkong.arrivals.screening import reports
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.arrivals import ArrivalTask

# Arrivals at noon on 2026-03-02 (local), due at noon on the 3rd; read on the 4th at 18:00.
DAY = "2026-03-03"
NOON = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # 12:00 Asia/Shanghai
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
GRID2 = DAOLI + "001002005"  # a second grid of the same community
GRID3 = DAOLI + "004001001"  # a grid of another street


@pytest.fixture
def city(session, settings, staff):
    """Screenings due 2026-03-03 12:00 local (arrived the 2nd at noon, 24 h deadline): in
    GRID one screened in time, one late, one still open; in GRID2 two open; in GRID3 one open;
    in 南岗 one open. The landing test of the first is done in time."""
    make_region(session, GRID2)
    make_region(session, DAOLI + "004", name="新阳路街道")
    make_region(session, DAOLI + "004001")
    make_region(session, GRID3)
    trips = {}
    for label, grid in (("ok", GRID), ("late", GRID), ("open", GRID), ("g2a", GRID2),
                        ("g2b", GRID2), ("g3", GRID3), ("ng", OTHER_GRID)):  # fmt: skip
        person = make_resident(session, settings, name=f"到{label}", grid=grid)
        trips[label] = make_trip(session, person, arrived_at=NOON - timedelta(hours=24),
                                 grade="high" if label == "g3" else "none",
                                 channel="pushed" if label == "g2a" else "self")  # fmt: skip
    ok = task_of(session, trips["ok"], "screening")
    ok.status, ok.done_at = "done", ok.due_at - timedelta(hours=2)
    late = task_of(session, trips["late"], "screening")
    late.status, late.done_at = "done", late.due_at + timedelta(hours=3)
    landing = task_of(session, trips["ok"], "landing_test")
    landing.status, landing.done_at = "done", landing.due_at - timedelta(hours=20)
    session.commit()
    return trips


def _get(client, path, headers, **params):
    with clock.frozen(NOW):
        response = client.get(f"{API}/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_overdue_lists_sum_up_the_levels(app_client, session, city, staff, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    levels = {level: _get(app_client, "overdue", staff["admin"], level=level)
              for level in ("district", "street", "community", "grid")}  # fmt: skip
    totals = {level: report["total"] for level, report in levels.items()}
    assert totals == {"district": 5, "street": 5, "community": 5, "grid": 5}
    by = {level: {r["region_code"]: r["overdue"] for r in report["rows"]}
          for level, report in levels.items()}  # fmt: skip
    assert by["district"] == {DAOLI: 4, NANGANG: 1}
    assert by["street"] == {DAOLI + "001": 3, DAOLI + "004": 1, NANGANG + "001": 1}
    assert by["grid"] == {GRID: 1, GRID2: 2, GRID3: 1, OTHER_GRID: 1}
    for parent_level, child_level in (("district", "street"), ("street", "community"),
                                      ("community", "grid")):  # fmt: skip
        for code, count in by[parent_level].items():
            children = [n for c, n in by[child_level].items() if c.startswith(code)]
            assert sum(children) == count, (parent_level, code)
    worst = levels["district"]["rows"][0]
    assert worst["worst_hours"] == pytest.approx(
        30.0
    )  # due 12:00 local on the 3rd, now 18:00 on the 4th
    street = {r["region_code"]: r for r in levels["street"]["rows"]}
    assert street[DAOLI + "004"]["name"] == "新阳路街道"
    officer = _get(app_client, "overdue", staff["officer"], level="district")
    assert officer["total"] == 4 and [r["region_code"] for r in officer["rows"]] == [DAOLI]
    under = _get(app_client, "overdue", staff["officer"], level="grid", region=DAOLI + "001")
    assert {r["region_code"] for r in under["rows"]} == {GRID, GRID2}
    with clock.frozen(NOW):
        outside = app_client.get(f"{API}/overdue", params={"region": NANGANG},
                                 headers=staff["officer"])  # fmt: skip
    assert (outside.status_code, outside.json()["code"]) == (422, "arrival.region_invalid")


def test_the_accountability_report_of_a_day(app_client, session, city, staff, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    report = _get(app_client, "accountability", staff["admin"], date=DAY)
    rows = {r["region_code"]: r for r in report["rows"]}
    daoli = rows[DAOLI]
    assert (daoli["due"], daoli["in_time"], daoli["late"], daoli["overdue"]) == (6, 1, 1, 4)
    assert daoli["level"] == "district" and daoli["worst_hours"] == pytest.approx(30.0)
    assert daoli["worst_grids"][0] in {GRID, GRID2, GRID3} and len(daoli["worst_grids"]) == 3
    street = rows[DAOLI + "001"]
    assert (street["due"], street["in_time"], street["late"], street["overdue"]) == (5, 1, 1, 3)
    assert rows[NANGANG]["overdue"] == 1
    for district in (DAOLI, NANGANG):
        streets = [r for c, r in rows.items() if len(c) == 9 and c.startswith(district)]
        for field in ("due", "in_time", "late", "overdue"):
            assert sum(r[field] for r in streets) == rows[district][field]
    empty = _get(app_client, "accountability", staff["admin"], date="2026-03-04")
    assert empty["rows"] == []
    mine = _get(app_client, "accountability", staff["officer"], date=DAY)
    assert {r["region_code"][:6] for r in mine["rows"]} == {DAOLI}
    with clock.frozen(NOW):
        future = app_client.get(f"{API}/accountability", params={"date": "2026-03-09"},
                                headers=staff["admin"])  # fmt: skip
        xlsx = app_client.get(f"{API}/accountability.xlsx", params={"date": DAY},
                              headers=staff["officer"])  # fmt: skip
    assert (future.status_code, future.json()["code"]) == (422, "arrival.bad_date")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("region_code", "name", "level", "due")
    assert values[1][0] == DAOLI and values[1][3] == 6 and len(values) == 1 + len(mine["rows"])


def test_daily_figures(app_client, session, city, staff, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    day = "2026-03-02"  # arrived 12:00 local on the 2nd (24 h before NOON)
    figures = _get(app_client, "figures", staff["admin"], date=day)
    assert figures["trips"] == 7
    assert {r["key"]: r["count"] for r in figures["trips_by_grade"]} == {"high": 1, "none": 6}
    assert {r["key"]: r["count"] for r in figures["reports_by_channel"]} == {"pushed": 1,
                                                                            "self": 6}  # fmt: skip
    assert (figures["landing_tests"], figures["landing_done"], figures["landing_in_time"]) == (
        7,
        1,
        1,
    )
    assert (figures["screenings"], figures["screened"], figures["screened_in_time"]) == (7, 2, 1)
    daoli = _get(app_client, "figures", staff["officer"], date=day)
    assert daoli["trips"] == 6 and daoli["region"] == DAOLI
    grid = _get(app_client, "figures", staff["officer"], date=day, region=GRID2)
    assert grid["trips"] == 2
    assert _get(app_client, "figures", staff["admin"], date=DAY)["trips"] == 0


def test_the_overview_per_child_region(app_client, session, settings, city, staff):
    today = make_trip(session, make_resident(session, settings, name="今天到"))
    task_of(session, today, "landing_test").status = "done"
    session.commit()
    city_view = app_client.get(f"{API}/overview", headers=staff["admin"]).json()
    rows = {r["region_code"]: r for r in city_view["rows"]}
    assert set(rows) == {DAOLI, NANGANG}
    assert rows[DAOLI]["arrivals_today"] == 1 and rows[DAOLI]["landing_rate"] == 1.0
    open_daoli = session.query(ArrivalTask).filter(ArrivalTask.status == "open",
                                                   ArrivalTask.grid_code.startswith(DAOLI)).count()  # fmt: skip
    assert rows[DAOLI]["open_tasks"] == open_daoli
    assert rows[DAOLI]["overdue"] == 4 and rows[NANGANG]["overdue"] == 1
    streets = app_client.get(f"{API}/overview", headers=staff["officer"]).json()
    assert {r["region_code"] for r in streets["rows"]} == {DAOLI + "001", DAOLI + "004"}
    assert sum(r["overdue"] for r in streets["rows"]) == 4


def test_a_late_answer_ranks_its_grid_and_cancelled_tasks_do_not_count(
    app_client, session, city, staff, monkeypatch
):
    """The worst grid of a region can be one whose screening was answered late (its hours
    late), not only one still overdue; a cancelled screening is not due at all, and a region
    left with none has no row."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    nangang = task_of(session, city["ng"], "screening")
    nangang.status, nangang.done_at = "done", nangang.due_at + timedelta(hours=5, minutes=20)
    task_of(session, city["g3"], "screening").status = "cancelled"
    session.commit()
    rows = {r["region_code"]: r for r in _get(app_client, "accountability", staff["admin"],
                                                 date=DAY)["rows"]}  # fmt: skip
    ng = rows[NANGANG]
    assert (ng["due"], ng["in_time"], ng["late"], ng["overdue"]) == (1, 0, 1, 0)
    assert ng["worst_hours"] == pytest.approx(5.3) and ng["worst_grids"] == [OTHER_GRID]
    assert rows[NANGANG + "001"]["worst_hours"] == pytest.approx(5.3)
    assert DAOLI + "004" not in rows  # its only screening was cancelled
    daoli = rows[DAOLI]
    assert (daoli["due"], daoli["in_time"], daoli["late"], daoli["overdue"]) == (5, 1, 1, 3)
    assert set(daoli["worst_grids"]) == {GRID, GRID2}


def test_the_overview_and_overdue_lists_count_open_tasks_only(
    app_client, session, city, staff, monkeypatch
):
    """Done and cancelled tasks leave the open, overdue and escalated counts (the figures
    read the open tasks by a partial index), and the levels still sum up."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    opened = task_of(session, city["open"], "screening")
    opened.escalation = "street"
    task_of(session, city["g2a"], "screening").status = "cancelled"
    answered = task_of(session, city["g2b"], "screening")
    answered.status, answered.done_at = "done", NOW - timedelta(hours=1)
    session.commit()
    streets = {r["region_code"]: r for r in _get(app_client, "overview", staff["officer"])["rows"]}
    open_tasks = session.query(ArrivalTask).filter(
        ArrivalTask.status == "open", ArrivalTask.grid_code.startswith(DAOLI + "001")
    )
    assert streets[DAOLI + "001"]["open_tasks"] == open_tasks.count()
    assert (streets[DAOLI + "001"]["overdue"], streets[DAOLI + "001"]["escalated"]) == (1, 1)
    grids = _get(app_client, "overdue", staff["officer"], level="grid")
    assert {r["region_code"]: r["overdue"] for r in grids["rows"]} == {GRID: 1, GRID3: 1}
    assert {r["region_code"]: r["at_street"] for r in grids["rows"]} == {GRID: 1, GRID3: 0}
    district = _get(app_client, "overdue", staff["officer"], level="district")
    assert district["total"] == grids["total"] == 2


def test_day_totals_are_the_daily_figures_without_the_channels(session, city, monkeypatch):
    """The command dashboard's three arrival figures of a day equal the daily figures'."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    day = datetime(2026, 3, 2).date()
    for region, expected in (("230100", (7, 1, 2)), (DAOLI, (6, 1, 2)), (NANGANG, (1, 0, 0))):
        actor = Principal(id=None, username="reader", role="city_admin", region_code=region)
        found = reports.day_totals(session, actor=actor, day=day)
        figures = reports.figures(session, actor=actor, day=day)
        assert (found.trips, found.landing_done, found.screened) == expected
        assert expected == (figures.trips, figures.landing_done, figures.screened)
    empty = reports.day_totals(session, actor=actor, day=datetime(2026, 3, 3).date())
    assert (empty.trips, empty.landing_done, empty.screened) == (0, 0, 0)


def test_a_districts_task_figures_are_the_sum_of_its_streets(session, city, monkeypatch):
    """A district's tasks of a day are read by their own copy of the trip's arrival, a
    street's by way of the street's trips: the two ways count the same tasks."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    day = datetime(2026, 3, 2).date()
    actor = Principal(id=None, username="reader", role="district_officer", region_code=DAOLI)
    district = reports.figures(session, actor=actor, day=day)
    streets = [reports.figures(session, actor=actor, day=day, region=DAOLI + street)
               for street in ("001", "004")]  # fmt: skip
    fields = ("trips", "landing_tests", "landing_done", "landing_in_time", "screenings",
              "screened", "screened_in_time")  # fmt: skip
    assert [getattr(district, f) for f in fields] == [6, 6, 1, 1, 6, 2, 1]
    for field in fields:
        assert getattr(district, field) == sum(getattr(s, field) for s in streets), field
