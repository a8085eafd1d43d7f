"""The results pages: the lab desk (upload with refused lines shown, receive), labs with
turnaround, conflicts settled from the page, tasks; zh by default, en on request."""

from __future__ import annotations

import re

from factories import make_user, web_login
from fangkong.models.testing import Tube
from testing.results.helpers import API, lab_user, line, staffed_lab
from testing.world import make_resident, make_tube


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_lab_desk_upload_shows_refused_lines(app_client, session, settings, staff):
    lab = staffed_lab(session)
    tube = make_tube(session, [make_resident(session, settings)])
    session.commit()
    web_login(app_client, lab_user(session).username)
    page = app_client.get("/testing/lab")
    assert page.status_code == 200
    assert 'data-testid="upload-form"' in page.text and lab.name in page.text
    item = line(tube, "阴性")
    csv = f"条码,检测结果,检测时间\n{tube.barcode},阴性,{item['tested_at']}\n12345678,阴性,{item['tested_at']}\n"
    response = app_client.post(
        "/testing/lab/upload",
        data={"csrf_token": csrf_of(page.text), "lab_id": str(lab.id)},
        files={"file": ("r.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert 'data-testid="rejected-lines"' in response.text
    assert "testing.bad_barcode" in response.text
    session.expire_all()
    assert session.get(Tube, tube.id).result == "negative"
    english = app_client.get("/testing/lab?lang=en")
    assert "Upload results" in english.text and "Recent uploads" in english.text


def test_receive_from_the_page(app_client, session, settings, staff):
    staffed_lab(session)
    tube = make_tube(session, [make_resident(session, settings)])
    session.commit()
    web_login(app_client, lab_user(session).username)
    page = app_client.get("/testing/lab")
    response = app_client.post("/testing/lab/receive",
                               data={"csrf_token": csrf_of(page.text), "barcodes": tube.barcode})  # fmt: skip
    assert 'data-testid="receive-report"' in response.text
    session.expire_all()
    assert session.get(Tube, tube.id).status == "received"


def test_conflicts_tasks_and_labs_pages(app_client, session, settings, staff):
    staffed_lab(session)
    tube = make_tube(session, [make_resident(session, settings, name="赵六")])
    session.commit()
    for item in (line(tube, "阴性"), line(tube, "阳性", ct_n=20)):
        app_client.post(f"{API}/results", json={"results": [item]}, headers=staff["lab"])
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, officer.username)
    page = app_client.get("/testing/conflicts")
    assert tube.barcode in page.text
    action = re.search(r'action="(/testing/conflicts/\d+/resolve)"', page.text).group(1)
    done = app_client.post(action, data={"csrf_token": csrf_of(page.text), "action": "replace"})
    assert done.status_code == 200 and tube.barcode not in done.text
    tasks = app_client.get("/testing/tasks?lang=en")
    assert "赵*" in tasks.text and "Single-tube retest of a positive pool" in tasks.text
    labs = app_client.get("/testing/labs?lang=en")
    assert "道里检测中心" in labs.text and "90th percentile" in labs.text


def test_pages_refuse_roles_without_the_permission(app_client, session, staff):
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    web_login(app_client, sampler.username)
    for url in ("/testing/lab", "/testing/conflicts", "/testing/tasks", "/testing/labs"):
        assert app_client.get(url).status_code == 403, url
