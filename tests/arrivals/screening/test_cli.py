"""``fangkong arrivals accountability | figures | overdue | escalate``: in process on the test
database, and as an operator runs them (a subprocess) for bad input: exit 2, one line."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta

import openpyxl
import pytest
from typer.testing import CliRunner

from arrivals.screening.helpers import task_of
from arrivals.world import DAOLI, STREET, make_resident, make_trip
from fangkong.arrivals.cli import app
from fangkong.core import clock, console


@pytest.fixture
def late_trip(session, settings, world, monkeypatch):
    trip = make_trip(session, make_resident(session, settings),
                     arrived_at=clock.now() - timedelta(hours=40))  # fmt: skip
    session.commit()

    @contextmanager
    def same_session():
        yield session

    monkeypatch.setattr(console, "unit_of_work", same_session)
    return trip


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_escalate_then_overdue_and_accountability(session, late_trip, tmp_path):
    assert _run("escalate").startswith("to the street 0, to the district 1, facts raised 1")
    assert task_of(session, late_trip, "screening").escalation == "district"
    overdue = json.loads(_run("overdue", "--level", "street", "--json"))
    assert overdue["total"] == 1 and overdue["rows"][0]["region_code"] == STREET
    assert overdue["rows"][0]["at_district"] == 1
    due_day = task_of(session, late_trip, "screening").due_at.astimezone(clock.LOCAL_TZ).date()
    target = tmp_path / "report.xlsx"
    text = _run("accountability", "--date", due_day.isoformat(), "--xlsx", str(target))
    assert f"{DAOLI} " in text and f"  {STREET} " in text
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][:7] == (DAOLI, rows[1][1], "district", 1, 0, 0, 1)


def test_figures_of_a_day(session, late_trip):
    day = late_trip.arrived_at.astimezone(clock.LOCAL_TZ).date().isoformat()
    text = _run("figures", "--date", day)
    assert "arrivals 1" in text and "none 1" in text and "self 1" in text
    assert "landing tests: 0/1 done" in text and "screenings: 0/1 done" in text
    as_json = json.loads(_run("figures", "--date", day, "--json"))
    assert as_json["trips"] == 1 and as_json["screenings"] == 1


def test_bad_input_exits_2_with_one_line(cli_home):
    [bad] = cli_home.run(("arrivals", "accountability", "--date", "3 March"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    [future] = cli_home.run(("arrivals", "figures", "--date", "2999-01-01"))
    assert future.returncode == 2 and future.stderr.startswith("error: arrival.bad_date")
    [region] = cli_home.run(("arrivals", "overdue", "--region", "999999"))
    assert region.returncode == 2 and region.stderr.startswith("error: arrival.region_invalid")
    [level] = cli_home.run(("arrivals", "overdue", "--level", "planet"))
    assert level.returncode == 2
