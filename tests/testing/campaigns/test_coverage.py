"""Live coverage per region level and the not-yet-tested list (不落一人), masked, with its
XLSX export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from factories import make_region
from fangkong.core.pagination import PageParams
from fangkong.testing.campaigns import errors, service
from testing.campaigns.helpers import NANGANG_OFFICER, OFFICER, WORKER, new_round, officer
from testing.world import DAOLI, GRID, NANGANG, OTHER_GRID, make_resident, make_tube

pytestmark = pytest.mark.usefixtures("world")
SECOND_GRID = GRID[:12] + "004"


@pytest.fixture
def city(session, settings):
    """Daoli: 4 residents in GRID, 2 in a second grid; Nangang: 2. A city round in which 3 of
    GRID are sampled (one pooled tube resulted positive), 1 of the second grid (not yet
    resulted), 1 of Nangang (resulted negative)."""
    make_region(session, SECOND_GRID)
    grid = [make_resident(session, settings, name=f"王{i}明") for i in range(4)]
    second = [make_resident(session, settings, grid=SECOND_GRID) for _ in range(2)]
    nangang = [make_resident(session, settings, grid=OTHER_GRID) for _ in range(2)]
    campaign = new_round(session, (DAOLI, NANGANG), actor=officer("230100"))
    positive = make_tube(session, grid[:3], campaign=campaign, status="resulted")
    positive.result = "positive"
    make_tube(session, second[:1], campaign=campaign)
    negative = make_tube(session, nangang[:1], campaign=campaign, status="resulted")
    negative.result = "negative"
    session.flush()
    return {"campaign": campaign, "grid": grid, "second": second, "nangang": nangang}


def figures(row):
    return (row.code, row.target, row.sampled, row.tested, row.positive, row.coverage)


def test_city_by_district(session, city):
    admin = officer("230100")
    found = service.coverage(
        session, actor=admin, campaign_id=city["campaign"].id, level="district"
    )
    assert [figures(r) for r in found.rows] == [
        (DAOLI, 6, 4, 3, 3, 66.67),
        (NANGANG, 2, 1, 1, 0, 50.0),
    ]
    assert figures(found.totals)[1:] == (8, 5, 4, 3, 62.5)
    assert found.rows[0].name == "道里区"
    english = service.coverage(
        session, actor=admin, campaign_id=city["campaign"].id, level="district", english=True
    )
    assert english.rows[0].name == "Daoli District"


def test_a_district_sees_its_own_part_by_grid(session, city):
    found = service.coverage(session, actor=OFFICER, campaign_id=city["campaign"].id, level="grid")
    assert [figures(r) for r in found.rows] == [
        (GRID, 4, 3, 3, 3, 75.0),
        (SECOND_GRID, 2, 1, 0, 0, 50.0),
    ]
    street = service.coverage(
        session, actor=OFFICER, campaign_id=city["campaign"].id, level="community",
        region=SECOND_GRID,
    )  # fmt: skip
    assert [figures(r) for r in street.rows] == [(GRID[:12], 2, 1, 0, 0, 50.0)]
    with pytest.raises(errors.RegionOutOfScope):
        service.coverage(
            session, actor=OFFICER, campaign_id=city["campaign"].id, level="grid", region=NANGANG
        )


def test_the_untested_of_a_grid_worker(session, city):
    campaign_id = city["campaign"].id
    rows, cursor = service.untested(
        session, actor=WORKER, campaign_id=campaign_id, grid=None, page=PageParams()
    )
    assert cursor is None
    [person] = rows
    assert person.person_id == city["grid"][3].id
    assert (person.name, person.grid_code) == ("王*明", GRID)
    assert "*" in person.id_number
    with pytest.raises(errors.GridOutOfScope):
        service.untested(
            session, actor=WORKER, campaign_id=campaign_id, grid=SECOND_GRID, page=PageParams()
        )


def test_the_untested_of_a_district_page_by_page(session, city):
    campaign_id = city["campaign"].id
    first, cursor = service.untested(
        session, actor=OFFICER, campaign_id=campaign_id, grid=None, page=PageParams(limit=1)
    )
    second, end = service.untested(
        session, actor=OFFICER, campaign_id=campaign_id, grid=None,
        page=PageParams(limit=1, cursor=cursor),
    )  # fmt: skip
    assert end is None
    assert [p.person_id for p in first + second] == [city["grid"][3].id, city["second"][1].id]
    nangang, _ = service.untested(
        session, actor=NANGANG_OFFICER, campaign_id=campaign_id, grid=None, page=PageParams()
    )
    assert [p.person_id for p in nangang] == [city["nangang"][1].id]


def test_the_untested_export_is_masked(session, city):
    body = service.untested_xlsx(
        session, actor=OFFICER, campaign_id=city["campaign"].id, grid=None, gettext=str
    )
    sheet = load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Grid", "Name", "ID number", "Phone", "Address")
    assert [r[0] for r in rows[1:]] == [GRID, SECOND_GRID]
    assert all("*" in r[1] and "**********" in r[2] for r in rows[1:])


def test_a_round_of_scattered_grids_counts_only_them(session, settings, city):
    """Two grids in two districts: one range scan over both, and the grid between them (a
    member of this round sampled as a walk-in) is not counted."""
    campaign = new_round(session, (GRID, OTHER_GRID), actor=officer("230100"))
    make_tube(
        session, city["grid"][:1] + city["second"][:1] + city["nangang"][:1], campaign=campaign
    )
    found = service.coverage(
        session, actor=officer("230100"), campaign_id=campaign.id, level="grid"
    )
    assert [figures(r) for r in found.rows] == [
        (GRID, 4, 1, 0, 0, 25.0),
        (OTHER_GRID, 2, 1, 0, 0, 50.0),
    ]


def test_sampled_totals_equal_the_coverage_totals(session, settings, city):
    """The dashboard's three figures (target, sampled, coverage %) counted without the tubes
    are the totals of ``coverage`` for the city, a district, a grid and a round of scattered
    grids; a region outside the caller's jurisdiction is refused as ``coverage`` refuses it."""
    scattered = new_round(session, (GRID, OTHER_GRID), actor=officer("230100"))
    make_tube(
        session, city["grid"][:1] + city["second"][:1] + city["nangang"][:1], campaign=scattered
    )
    cases = [
        (officer("230100"), city["campaign"].id, None, (8, 5, 62.5)),
        (officer("230100"), city["campaign"].id, NANGANG, (2, 1, 50.0)),
        (OFFICER, city["campaign"].id, None, (6, 4, 66.67)),
        (OFFICER, city["campaign"].id, SECOND_GRID, (2, 1, 50.0)),
        (officer("230100"), scattered.id, None, (6, 2, 33.33)),
    ]
    for actor, campaign_id, region, expected in cases:
        found = service.sampled_totals(session, actor=actor, campaign_id=campaign_id, region=region)
        totals = service.coverage(
            session, actor=actor, campaign_id=campaign_id, level="district", region=region
        ).totals
        assert (found.target, found.sampled, found.coverage) == expected
        assert expected == (totals.target, totals.sampled, totals.coverage)
    with pytest.raises(errors.RegionOutOfScope):
        service.sampled_totals(
            session, actor=OFFICER, campaign_id=city["campaign"].id, region=NANGANG
        )
