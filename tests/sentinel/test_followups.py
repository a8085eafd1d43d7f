"""The grid's follow-up of fever-clinic visitors (API): listed to the grid workers and officers
of the visitor's grid (masked, filtered, paged), marked contacted once with an audit row (a
second mark is idempotent), another district's or grid's visitor 404, access by role."""

from __future__ import annotations

from sqlalchemy import select

from factories import auth_headers, make_user
from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.sentinel import FeverVisit
from fangkong.sentinel import service
from fangkong.sentinel.schemas import VisitIn
from sentinel.conftest import API, DAOLI_GRID_2, officer

VISITS = f"{API}/follow-ups/visits"


def visit(session, settings, world, id_number, **extra):
    data = VisitIn(venue_id=world.clinic, id_number=id_number, **extra)
    made = service.report_visit(session, settings, actor=officer("230102"), data=data)
    session.commit()
    return made.id


def test_the_worker_lists_the_visitors_of_its_grid_masked(app_client, session, settings, world):
    mine = visit(session, settings, world, world.id_number, nat_taken=True)
    visit(session, settings, world, world.neighbour_id_number)
    visit(session, settings, world, world.nangang_id_number)
    listed = app_client.get(VISITS, headers=world.headers["worker"])
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [item["visit_id"] for item in items] == [mine]
    assert items[0]["name"] != "李测试" and items[0]["name"].startswith("李")
    assert items[0]["clinic"] == "道里测试医院发热门诊" and items[0]["nat_taken"] is True
    assert "id_number" not in items[0]


def test_filters_and_paging(app_client, session, settings, world):
    first = visit(session, settings, world, world.id_number)
    second = visit(session, settings, world, world.neighbour_id_number)
    daoli = world.headers["daoli"]
    page = app_client.get(VISITS, params={"limit": 1}, headers=daoli).json()
    assert [i["visit_id"] for i in page["items"]] == [second] and page["next_cursor"]
    rest = app_client.get(VISITS, params={"limit": 1, "cursor": page["next_cursor"]},
                          headers=daoli).json()  # fmt: skip
    assert [i["visit_id"] for i in rest["items"]] == [first] and rest["next_cursor"] is None
    grid = app_client.get(VISITS, params={"grid": DAOLI_GRID_2}, headers=daoli).json()
    assert [i["visit_id"] for i in grid["items"]] == [second]
    today = clock.local_today().isoformat()
    assert len(app_client.get(VISITS, params={"day": today}, headers=daoli).json()["items"]) == 2
    old = app_client.get(VISITS, params={"day": "2022-01-01"}, headers=daoli).json()
    assert old["items"] == []
    bad = app_client.get(VISITS, params={"grid": "23x"}, headers=daoli)
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"


def test_contacted_once_with_an_audit_row(app_client, session, settings, world):
    made = visit(session, settings, world, world.id_number)
    url = f"{VISITS}/{made}/contacted"
    done = app_client.post(url, headers=world.headers["worker"])
    assert done.status_code == 200, done.text
    first = done.json()["contacted_at"]
    assert first
    again = app_client.post(url, headers=world.headers["daoli"])
    assert again.status_code == 200 and again.json()["contacted_at"] == first  # idempotent
    session.expire_all()
    row = session.get(FeverVisit, made)
    worker_id = session.scalar(
        select(AuditLog.actor_id).where(AuditLog.action == "sentinel.visitor_contacted")
    )
    assert row.contacted_by == worker_id is not None
    audits = session.scalars(
        select(AuditLog).where(AuditLog.action == "sentinel.visitor_contacted")
    ).all()
    assert [(a.object_type, a.object_id) for a in audits] == [("fever_visit", str(made))]
    open_only = app_client.get(VISITS, headers=world.headers["worker"]).json()
    assert open_only["items"] == []
    everyone = app_client.get(VISITS, params={"open_only": False},
                              headers=world.headers["worker"]).json()  # fmt: skip
    assert [i["contacted_at"] is not None for i in everyone["items"]] == [True]


def test_another_district_or_grid_is_404(app_client, session, settings, world):
    made = visit(session, settings, world, world.id_number)
    url = f"{VISITS}/{made}/contacted"
    for who in ("nangang", "worker_2"):
        response = app_client.post(url, headers=world.headers[who])
        assert response.status_code == 404, who
        assert response.json()["code"] == "sentinel.visit_not_found"
    assert (
        app_client.post(f"{VISITS}/999999/contacted", headers=world.headers["worker"]).json()[
            "code"
        ]
        == "sentinel.visit_not_found"
    )
    assert app_client.get(VISITS, headers=world.headers["nangang"]).json()["items"] == []
    session.expire_all()
    assert session.get(FeverVisit, made).contacted_at is None


def test_access_by_role(app_client, session, settings, world):
    made = visit(session, settings, world, world.id_number)
    url = f"{VISITS}/{made}/contacted"
    assert app_client.get(VISITS).status_code == 401
    assert app_client.post(url).status_code == 401
    inspector = auth_headers(settings, make_user(session, role="inspector", region_code="230102"))
    session.commit()
    for headers in (inspector, world.headers["operator"]):  # the operator reports, never reads
        assert app_client.get(VISITS, headers=headers).status_code == 403
        assert app_client.post(url, headers=headers).status_code == 403
    assert app_client.get(VISITS, headers=world.headers["daoli"]).status_code == 200
