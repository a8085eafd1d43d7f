"""The bulletin counts: the official day 06:00–06:00, a converted case counted once (a new
asymptomatic on its report day, a conversion on its day, cumulatively confirmed from then),
imported apart, found under control vs in the community, outcomes, in treatment, per district."""

from __future__ import annotations

from datetime import date

from fangkong.cases.registry import bulletin
from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from outbreak_world import OTHER_GRID, at, make_case, make_resident

API = "/api/v1/cases/counts"


def _day(session, day):
    return bulletin.day_counts(session, actor=SYSTEM, day=date(2022, 11, day))


def test_window_boundaries_at_six(session, settings, world):
    people = [make_resident(session, settings) for _ in range(3)]
    make_case(session, people[0], kind="confirmed", confirmed_at=at(4, 5, 59))  # the 3rd's day
    make_case(session, people[1], kind="confirmed", confirmed_at=at(4, 6, 0))  # the 4th's
    make_case(session, people[2], kind="confirmed", confirmed_at=at(5, 5, 59))  # the 4th's
    assert _day(session, 3).new_confirmed == 1
    assert _day(session, 4).new_confirmed == 2
    assert _day(session, 5).new_confirmed == 0


def test_a_converted_case_is_counted_once(session, settings, world):
    person = make_resident(session, settings)
    make_case(session, person, kind="confirmed", confirmed_at=at(3, 10), converted_at=at(5, 10))
    third, fifth = _day(session, 3), _day(session, 5)
    assert (third.new_asymptomatic, third.new_confirmed, third.conversions) == (1, 0, 0)
    assert (third.cumulative_asymptomatic, third.cumulative_confirmed) == (1, 0)
    assert (fifth.new_asymptomatic, fifth.new_confirmed, fifth.conversions) == (0, 0, 1)
    assert (fifth.cumulative_asymptomatic, fifth.cumulative_confirmed) == (0, 1)


def test_channels_imported_outcomes_and_districts(session, settings, world):
    people = [make_resident(session, settings) for _ in range(4)]
    far = make_resident(session, settings, grid=OTHER_GRID)
    make_case(session, people[0], confirmed_at=at(3, 10), channel="under_control")
    make_case(session, people[1], confirmed_at=at(3, 10))
    make_case(session, people[2], confirmed_at=at(3, 10), local=False, kind="confirmed")
    make_case(session, people[3], confirmed_at=at(1, 10), status="released",
              outcome_at=at(3, 9))  # fmt: skip
    make_case(session, far, kind="confirmed", confirmed_at=at(3, 10), status="died",
              outcome_at=at(3, 20))  # fmt: skip
    make_case(session, make_resident(session, settings), kind=None, status="pending",
              confirmed_at=at(3, 10))  # fmt: skip
    day = _day(session, 3)
    assert (day.new_asymptomatic, day.new_confirmed, day.new_imported) == (2, 1, 1)
    assert (day.under_control, day.community) == (1, 2)
    assert (day.released, day.died, day.discharged) == (1, 1, 0)
    assert day.in_treatment == 3  # the two local new ones and the imported one
    assert {d.district: d.new_confirmed for d in day.districts} == {"230102": 0, "230103": 1}


def test_api_counts_and_bad_dates(app_client, session, settings, staff):
    person = make_resident(session, settings)
    make_case(session, person, confirmed_at=at(3, 10))
    session.commit()
    with clock.frozen(at(10)):
        got = app_client.get(API, params={"date": "2022-11-03"}, headers=staff["epi"]).json()
        assert got["new_asymptomatic"] == 1 and got["start"].startswith("2022-11-02T22:00")
        span = {"start": "2022-11-01T00:00:00+08:00", "end": "2022-11-05T00:00:00+08:00"}
        assert (
            app_client.get(API, params=span, headers=staff["epi"]).json()["new_asymptomatic"] == 1
        )
        other = app_client.get(API, params={"date": "2022-11-03"}, headers=staff["nangang"])
        assert other.json()["new_asymptomatic"] == 0
        for params in ({"date": "2022-13-01"}, {"date": "1900-01-01"},
                       {"start": span["end"], "end": span["start"]}, {"start": span["start"]}):  # fmt: skip
            assert app_client.get(API, params=params, headers=staff["epi"]).status_code == 422
