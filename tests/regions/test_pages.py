"""The region pages: the tree, its htmx partials, the import form."""

from __future__ import annotations

import re

from sqlalchemy import select

from factories import make_region, make_tree, make_user, web_login
from fangkong.models import GridAssignment, Region


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def logged_in(client, session, role: str = "district_officer", region: str = "230102") -> None:
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)


def test_anonymous_is_sent_to_login(app_client):
    response = app_client.get("/regions", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/regions"
    partial = app_client.get("/regions/230102/children", headers={"HX-Request": "true"})
    assert partial.status_code == 204
    assert partial.headers["HX-Redirect"].startswith("/login?next=")


def test_city_admin_page_shows_the_city_and_its_districts(app_client, session):
    logged_in(app_client, session, "city_admin", "230100")
    page = app_client.get("/regions")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-testid="region-tree"' in page.text
    assert "哈尔滨市" in page.text and "230100" in page.text
    # The root opens itself and loads its children with htmx.
    assert 'hx-get="/regions/230100/children"' in page.text
    districts = app_client.get("/regions/230100/children", headers={"HX-Request": "true"})
    assert districts.status_code == 200
    for name in ("道里区", "南岗区", "依兰县", "五常市"):
        assert name in districts.text


def test_district_page_shows_its_own_tree_only(app_client, session):
    make_tree(session, "230102")
    make_region(session, "230102009", name="新发街道")
    make_tree(session, "230103")
    logged_in(app_client, session)
    page = app_client.get("/regions")
    assert "道里区" in page.text
    assert "哈尔滨市" not in page.text and "南岗区" not in page.text

    streets = app_client.get("/regions/230102/children", headers={"HX-Request": "true"})
    assert streets.status_code == 200
    assert "<html" not in streets.text  # a partial, not a page
    assert "新发街道" in streets.text and "230102009" in streets.text
    assert 'hx-get="/regions/230102001/children"' in streets.text  # has children: expandable
    assert 'hx-get="/regions/230102009/children"' not in streets.text  # a leaf

    grids = app_client.get("/regions/230102001002/children", headers={"HX-Request": "true"})
    assert 'hx-get="/regions/230102001002003/workers"' in grids.text


def test_other_district_children_are_404(app_client, session):
    make_tree(session, "230103")
    logged_in(app_client, session)
    response = app_client.get("/regions/230103/children", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "230103001" not in response.text


def test_workers_partial(app_client, session):
    make_tree(session, "230102")
    worker = make_user(session, role="grid_worker", region_code="230102001", username="wangwu")
    session.add(GridAssignment(grid_code="230102001002003", user_id=worker.id))
    logged_in(app_client, session)
    partial = app_client.get("/regions/230102001002003/workers", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "wangwu" in partial.text
    empty = app_client.get("/regions/230102001002/workers", headers={"HX-Request": "true"})
    assert "wangwu" not in empty.text


def test_import_form_shows_the_report(app_client, session):
    logged_in(app_client, session)
    page = app_client.get("/regions")
    assert 'action="/regions/import"' in page.text
    csv = (
        "code,name,level,parent_code\n230102021,群力街道,street,230102\n"
        "230103021,外区街道,street,230103\n"
    ).encode()
    response = app_client.post(
        "/regions/import",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("regions.csv", csv, "text/csv")},
    )
    assert response.status_code == 200
    report = response.text.split('data-testid="import-report"')[1].split("</article>")[0]
    assert re.search(r"1\s*·", report)  # created: 1
    assert "230103021" not in report  # rows are reported by line and reason code
    assert "region.outside_jurisdiction" in report
    assert "该区划不在您的辖区内。" in report
    assert "<td>3</td>" in report
    session.expire_all()
    assert session.get(Region, "230102021").name == "群力街道"
    assert "群力街道" in app_client.get("/regions/230102/children").text


def test_import_form_reports_an_unreadable_file(app_client, session):
    logged_in(app_client, session)
    token = csrf_of(app_client.get("/regions").text)
    response = app_client.post(
        "/regions/import",
        data={"csrf_token": token},
        files={"file": ("regions.csv", "代码,名称\n".encode("gbk"), "text/csv")},
    )
    assert response.status_code == 200
    assert "无法读取文件" in response.text
    missing = app_client.post(
        "/regions/import",
        data={"csrf_token": token},
        files={"file": ("regions.csv", b"code,name\n1,2\n", "text/csv")},
    )
    assert "文件缺少必需的列。" in missing.text


def test_import_form_needs_the_csrf_token(app_client, session):
    logged_in(app_client, session)
    csv = "code,name,level,parent_code\n230102021,群力街道,street,230102\n".encode()
    response = app_client.post(
        "/regions/import",
        data={"csrf_token": "forged"},
        files={"file": ("regions.csv", csv, "text/csv")},
    )
    assert response.status_code == 403
    assert session.scalars(select(Region).where(Region.code == "230102021")).first() is None


def test_readers_do_not_see_the_import_form(app_client, session):
    make_tree(session, "230102")
    logged_in(app_client, session, "sampler", "230102001")
    page = app_client.get("/regions")
    assert page.status_code == 200
    assert 'action="/regions/import"' not in page.text
    token = csrf_of(page.text)
    response = app_client.post(
        "/regions/import",
        data={"csrf_token": token},
        files={"file": ("regions.csv", b"code,name,level,parent_code\n", "text/csv")},
    )
    assert response.status_code == 403


def test_workers_are_assigned_and_removed_on_the_page(app_client, session):
    make_tree(session)
    worker = make_user(session, role="grid_worker", region_code="230102001", username="gw-page")
    make_user(session, role="grid_worker", region_code="230103", username="gw-elsewhere")
    session.commit()
    logged_in(app_client, session)
    grid = "230102001002003"
    token = csrf_of(app_client.get("/regions").text)
    partial = app_client.get(f"/regions/{grid}/workers")
    assert f'<option value="{worker.id}">' in partial.text and "gw-elsewhere" not in partial.text
    headers = {"X-CSRF-Token": token, "HX-Request": "true"}
    assigned = app_client.post(
        f"/regions/{grid}/workers", data={"user_id": worker.id}, headers=headers
    )
    assert assigned.status_code == 200 and "gw-page" in assigned.text
    assert session.get(GridAssignment, (grid, worker.id)) is not None
    removed = app_client.post(f"/regions/{grid}/workers/{worker.id}/remove", headers=headers)
    assert removed.status_code == 200
    session.expire_all()
    assert session.get(GridAssignment, (grid, worker.id)) is None


def test_worker_assignment_on_the_page_needs_csrf(app_client, session):
    make_tree(session)
    worker = make_user(session, role="grid_worker", region_code="230102001", username="gw-csrf")
    session.commit()
    logged_in(app_client, session)
    response = app_client.post("/regions/230102001002003/workers", data={"user_id": worker.id})
    assert response.status_code == 403
    assert session.get(GridAssignment, ("230102001002003", worker.id)) is None
