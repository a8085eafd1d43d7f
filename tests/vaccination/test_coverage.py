"""Coverage by district × age band × dose (the unvaccinated count in the denominator) and the
outreach lists of a grid: never vaccinated, incomplete, booster due — masked and scoped."""

from __future__ import annotations

from datetime import date

import pytest

from fangkong.core import clock
from fangkong.vaccination import repository, service
from fangkong.vaccination.repository import OutreachFilter
from vaccination.conftest import ADMIN, DAOLI_GRID, NANGANG_GRID, give, make_resident, officer_of

pytestmark = pytest.mark.usefixtures("vaccines")
ON = date(2022, 12, 1)


@pytest.fixture
def town(session, settings):
    made = {
        "child": make_resident(session, settings, born=date(2015, 6, 1)),  # 7: 3-11
        "adult": make_resident(session, settings, born=date(1990, 6, 1)),  # 32: 18-59
        "adult2": make_resident(session, settings, born=date(1985, 6, 1)),
        "elder": make_resident(session, settings, born=date(1940, 6, 1)),  # 82: 80+
        "baby": make_resident(session, settings, born=date(2021, 6, 1)),  # 1: not eligible
        "south": make_resident(session, settings, born=date(1990, 6, 1), grid=NANGANG_GRID),
    }
    give(session, made["child"], 1, date(2022, 1, 10))  # incomplete
    give(session, made["adult"], 1, date(2021, 4, 1))
    give(session, made["adult"], 2, date(2021, 5, 1))  # complete, booster due 2021-10-28
    give(session, made["adult"], 3, date(2021, 12, 1))  # boosted
    give(session, made["elder"], 1, date(2022, 6, 1))
    give(session, made["elder"], 2, date(2022, 7, 1))  # complete, due 2022-12-28
    give(session, made["south"], 1, date(2021, 4, 1), vaccine="ADV5")  # complete, due 2021-09-28
    session.flush()
    return made


def _cells(report):
    return {(c.district, c.band): c for c in report.cells}


def test_coverage_by_district_band_and_dose(session, town):
    cells = _cells(service.coverage(session, actor=ADMIN, region=None, on=ON))
    assert set(cells) == {
        ("230102", "3-11"), ("230102", "18-59"), ("230102", "80+"), ("230103", "18-59"),
    }  # fmt: skip
    adults = cells[("230102", "18-59")]
    assert (adults.population, adults.vaccinated, adults.complete, adults.boosted) == (2, 1, 1, 1)
    assert adults.by_dose == {1: 1, 2: 1, 3: 1, 4: 0}
    child = cells[("230102", "3-11")]
    assert (child.population, child.vaccinated, child.complete) == (1, 1, 0)
    elder = cells[("230102", "80+")]
    assert elder.by_dose == {1: 1, 2: 1, 3: 0, 4: 0} and elder.complete == 1
    assert cells[("230103", "18-59")].complete == 1


def test_coverage_is_scoped_and_filtered(session, town):
    daoli = service.coverage(session, actor=officer_of("230102"), region=None, on=ON)
    assert {c.district for c in daoli.cells} == {"230102"}
    assert service.coverage(session, actor=officer_of("230102"), region="230103", on=ON).cells == []
    south = service.coverage(session, actor=ADMIN, region="230103", on=ON)
    assert [(c.district, c.band, c.population) for c in south.cells] == [("230103", "18-59", 1)]


def test_age_bands_move_with_the_day(session, town):
    earlier = _cells(service.coverage(session, actor=ADMIN, region=None, on=date(2020, 1, 1)))
    assert earlier[("230102", "60-79")].population == 1  # the elder was 79


def _outreach(session, actor, grid, reason=None, on=ON):
    rows, _ = service.outreach(
        session, actor=actor, where=OutreachFilter(grid=grid, on=on, reason=reason),
        after=None, limit=50,
    )  # fmt: skip
    return rows


def test_outreach_lists_each_reason(session, town):
    rows = _outreach(session, ADMIN, DAOLI_GRID)
    reasons = {r.person_id: r.reason for r in rows}
    assert reasons == {town["child"].id: "incomplete", town["adult2"].id: "unvaccinated"}
    later = {
        r.person_id: r.reason for r in _outreach(session, ADMIN, DAOLI_GRID, on=date(2022, 12, 28))
    }
    assert later[town["elder"].id] == "booster_due"
    due = _outreach(session, ADMIN, "2301", reason="booster_due")
    assert [(r.person_id, r.booster_due_on) for r in due] == [(town["south"].id, date(2021, 9, 28))]


def test_outreach_is_masked_and_scoped(session, town):
    [row] = _outreach(session, ADMIN, DAOLI_GRID, reason="unvaccinated")
    assert row.id_number == town["adult2"].id_number_masked and "****" in row.id_number
    assert row.doses == 0 and row.series_doses is None
    assert _outreach(session, officer_of("230103"), DAOLI_GRID) == []


def test_outreach_pages_by_person(session, town):
    where = OutreachFilter(grid="2301", on=date(2022, 12, 28))
    first, after = service.outreach(session, actor=ADMIN, where=where, after=None, limit=2)
    rest, end = service.outreach(session, actor=ADMIN, where=where, after=after, limit=50)
    assert after == first[-1].person_id and end is None
    ids = [r.person_id for r in first + rest]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 4


def test_maintained_counts_agree_with_the_live_count(session, settings, town):
    today = clock.local_today()
    live = service.coverage(session, actor=ADMIN, region=None, on=today)
    service.recount(session, actor=ADMIN, on=today)
    assert repository.counted(session)[0] == today
    assert service.coverage(session, actor=ADMIN, region=None, on=today) == live
    # Doses after the recount move people between states; a person registered since joins.
    give(session, town["adult2"], 1, date(2022, 3, 1))
    give(session, town["child"], 2, date(2022, 3, 1))
    newcomer = make_resident(session, settings, born=date(1970, 1, 1))
    give(session, newcomer, 1, date(2022, 3, 1), vaccine="ADV5")
    counted = service.coverage(session, actor=ADMIN, region=None, on=today)
    fresh = _live(session, today)
    cells = {(c.district, c.band): c for c in counted.cells}
    adults = cells[("230102", "18-59")]
    assert (adults.vaccinated, adults.population) == (3, 3)
    assert counted == fresh
    scoped = service.coverage(session, actor=officer_of("230103"), region=None, on=today)
    assert {c.district for c in scoped.cells} == {"230103"}


def _live(session, on):
    from sqlalchemy import delete

    from fangkong.models.vaccination import VaccinationCount

    with session.begin_nested() as nested:
        session.execute(delete(VaccinationCount))
        report = service.coverage(session, actor=ADMIN, region=None, on=on)
        nested.rollback()
    return report
