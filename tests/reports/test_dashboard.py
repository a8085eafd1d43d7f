"""The dashboard: its shape, new positives by official day as the bulletin counts them, the
figures of the other domains (people under control by measure, zones), each with the list it
links to, and the drill-down from the city to a district."""

from __future__ import annotations

from datetime import date

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.reports import bulletin, dashboard
from outbreak_world import DAOLI, NANGANG, OTHER_GRID, at, make_case, make_placement, make_resident

DASHBOARD = "/api/v1/reports/dashboard"
ADMIN = Principal(id=None, username="admin", role="city_admin", region_code="230100",
                  permissions=frozenset({"reports.read"}))  # fmt: skip


def _world(session, settings):
    people = [make_resident(session, settings) for _ in range(3)]
    far = make_resident(session, settings, grid=OTHER_GRID)
    make_case(session, people[0], kind="confirmed", confirmed_at=at(3, 10), channel="fever_clinic")
    make_case(session, people[1], kind="asymptomatic", confirmed_at=at(2, 10))
    make_case(session, far, kind="confirmed", confirmed_at=at(1, 10), converted_at=at(3, 12))
    make_placement(session, people[2], measure="centralized")
    make_placement(session, make_resident(session, settings), measure="home_isolation")
    make_placement(session, make_resident(session, settings), measure="home_isolation",
                   status="released")  # fmt: skip
    session.commit()


def test_shape_and_links(app_client, session, settings, staff):
    _world(session, settings)
    with clock.frozen(at(4, 12)):
        got = app_client.get(DASHBOARD, headers=staff["admin"])
    assert got.status_code == 200
    body = got.json()
    assert set(body) == {"region", "region_name", "date", "days", "figures", "districts"}
    assert body["region"] == "230100" and body["date"] == "2022-11-03"
    assert len(body["days"]) == 14 and body["days"][-1]["date"] == "2022-11-03"
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["new_confirmed"]["value"] == 2  # one new, one conversion
    assert figures["new_confirmed"]["href"].startswith("/cases?kind=confirmed")
    assert figures["in_treatment"]["value"] == 3
    assert figures["fever_clinic_positives"]["value"] == 1
    assert figures["control.centralized"]["value"] == 1
    assert figures["control.home_isolation"]["value"] == 1  # the released one is not counted
    assert (
        figures["control.home_isolation"]["href"] == "/quarantine/placements?measure=home_isolation"
    )
    assert figures["zones.sealed"]["value"] == 0
    for key in ("people.residents", "testing.coverage", "arrivals.trips"):
        assert key in figures and figures[key]["href"]
    rows = {r["code"]: r for r in body["districts"]}
    assert set(rows) == {DAOLI, NANGANG}
    assert rows[NANGANG]["href"] == f"/reports/dashboard?region={NANGANG}"
    assert rows[NANGANG]["new_confirmed"] == 1 and rows[DAOLI]["cumulative_positives"] == 2


def test_days_match_the_bulletin(session, settings, world):
    _world(session, settings)
    with clock.frozen(at(4, 12)):
        found = dashboard.dashboard(session, actor=ADMIN)
    for point in found.days[-4:]:
        figures = bulletin.bulletin(session, actor=ADMIN, day=point.date).figures
        assert (point.new_confirmed, point.new_asymptomatic) == (
            figures.new_confirmed, figures.new_asymptomatic)  # fmt: skip
    assert [p.date for p in found.days[-3:]] == [date(2022, 11, d) for d in (1, 2, 3)]
    assert [(p.new_confirmed, p.new_asymptomatic) for p in found.days[-3:]] == [
        (0, 1), (0, 1), (2, 0)]  # fmt: skip


def test_drill_down_to_a_district(app_client, session, settings, staff):
    _world(session, settings)
    with clock.frozen(at(4, 12)):
        got = app_client.get(DASHBOARD, params={"region": NANGANG}, headers=staff["admin"]).json()
    assert got["region"] == NANGANG and [r["code"] for r in got["districts"]] == [NANGANG]
    figures = {f["key"]: f["value"] for f in got["figures"]}
    assert figures["new_confirmed"] == 1 and figures["control.centralized"] == 0
    assert app_client.get(DASHBOARD, params={"region": "230199"},
                          headers=staff["admin"]).status_code == 404  # fmt: skip


def test_figures_of_unreadable_domains_are_left_out(session, settings, world):
    _world(session, settings)
    narrow = Principal(id=None, username="narrow", role="epidemiologist", region_code="230100",
                       permissions=frozenset({"reports.read", "people.read"}))  # fmt: skip
    keys = {f.key for f in dashboard.dashboard(session, actor=narrow).figures}
    assert "people.residents" in keys and "new_confirmed" in keys
    assert not any(k.split(".")[0] in ("control", "zones", "testing", "arrivals") for k in keys)
