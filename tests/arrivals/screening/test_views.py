"""The screening pages: the grid worker's to-do list with one-tap screening, overdue lists
with drill-down, the accountability report, figures and the overview; zh by default, en on
request."""

from __future__ import annotations

import re
from datetime import timedelta

from arrivals.screening.helpers import task_of
from arrivals.world import DAOLI, GRID, STREET, make_resident, make_trip
from factories import make_user, web_login
from fangkong.core import clock, i18n
from fangkong.models.arrivals import ArrivalTask, Trip


def zh(message: str) -> str:
    """The Chinese of ``message`` in the catalogs (the msgid until they are merged)."""
    return i18n.gettext("zh_CN", message)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _login(client, session, role, region):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)


def test_the_todo_page_records_a_screening_in_one_tap(app_client, session, settings, world):
    trip = make_trip(session, make_resident(session, settings, name="王小明"),
                     arrived_at=clock.now() - timedelta(hours=30))  # fmt: skip
    task = task_of(session, trip, "screening")
    _login(app_client, session, "grid_worker", GRID)
    page = app_client.get("/arrivals/todo")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text and zh("Arrivals to screen") in page.text
    assert "王*明" in page.text and "王小明" not in page.text
    assert 'data-testid="overdue"' in page.text
    assert zh("Reached and informed of the measure") in page.text
    assert 'name="viewport"' in page.text
    done = app_client.post(f"/arrivals/todo/{task.id}/screen",
                           data={"csrf_token": csrf_of(page.text), "outcome": "informed"})  # fmt: skip
    assert done.status_code == 200 and 'data-testid="saved"' in done.text
    session.expire_all()
    assert session.get(ArrivalTask, task.id).status == "done"
    assert session.get(Trip, trip.id).status == "screened"
    again = app_client.post(f"/arrivals/todo/{task.id}/screen",
                            data={"csrf_token": csrf_of(page.text), "outcome": "informed"})  # fmt: skip
    assert again.status_code == 409 and 'data-testid="error"' in again.text
    no_csrf = app_client.post(f"/arrivals/todo/{task.id}/screen", data={"outcome": "informed"})
    assert no_csrf.status_code == 403
    english = app_client.get("/arrivals/todo?lang=en")
    assert "Arrivals to screen" in english.text and "Landing test" in english.text


def test_the_officers_pages_read_well_in_zh_and_en(app_client, session, settings, world):
    make_trip(session, make_resident(session, settings),
              arrived_at=clock.now() - timedelta(hours=30))  # fmt: skip
    _login(app_client, session, "district_officer", DAOLI)
    overdue = app_client.get("/arrivals/overdue?level=street")
    assert overdue.status_code == 200 and zh("Overdue screenings") in overdue.text
    assert f"/arrivals/overdue?level=community&region={STREET}" in overdue.text
    drill = app_client.get(f"/arrivals/overdue?level=grid&region={GRID}")
    assert 'data-testid="tasks"' in drill.text and "王*明" in drill.text
    due_day = (clock.now() - timedelta(hours=6)).astimezone(clock.LOCAL_TZ).date()
    report = app_client.get(f"/arrivals/accountability?date={due_day.isoformat()}")
    assert report.status_code == 200 and zh("Accountability report") in report.text
    assert 'data-testid="accountability"' in report.text and STREET in report.text
    bad = app_client.get("/arrivals/accountability?date=2026-13-01")
    assert bad.status_code == 422 and 'data-testid="error"' in bad.text
    figures = app_client.get("/arrivals/figures")
    assert figures.status_code == 200 and zh("Arrival figures") in figures.text
    overview = app_client.get("/arrivals/overview")
    assert overview.status_code == 200 and STREET in overview.text
    for path, title in (("/arrivals/overdue", "Overdue screenings"),
                        ("/arrivals/accountability", "Accountability report"),
                        ("/arrivals/figures", "Arrival figures"),
                        ("/arrivals/overview", "Arrivals overview")):  # fmt: skip
        english = app_client.get(f"{path}?lang=en")
        assert english.status_code == 200 and title in english.text, path
