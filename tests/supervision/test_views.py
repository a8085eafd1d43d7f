"""The supervision pages: the overview with the report and the lists, the problems page with
its overdue filter and verification form, and the video-point ledger; scoped to the district."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.supervision import Finding
from fangkong.supervision.labels import Aspect
from fangkong.supervision.video import service as video
from fangkong.supervision.video.schemas import VideoPointCreate
from supervision.conftest import (
    NANGANG_COMMUNITY,
    inspect,
    make_community,
    make_company,
    officer_of,
)

pytestmark = pytest.mark.usefixtures("districts")


def login(client, session, role="district_officer"):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    web_login(client, user.username)


def test_overview_shows_the_report_and_the_lists(app_client, session, settings):
    company = make_company(session, settings, "优秀物业")
    inspect(session, make_community(session, "甲小区", company_id=company.id))
    inspect(session, make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY))
    login(app_client, session)
    page = app_client.get("/supervision")
    assert page.status_code == 200
    assert "对1个街道办事处辖区内1个物管小区" in page.text
    red = page.text.split('data-testid="red-list"')[1].split("</table>")[0]
    assert "优秀物业" in red
    english = app_client.get("/supervision", params={"lang": "en"})
    assert "Red list" in english.text and "Black list" in english.text


def test_problems_page_filters_and_verifies(app_client, session, settings):
    inspection = inspect(session, make_community(session), {Aspect.MASKS: 0, Aspect.GATE: 3})
    finding = session.query(Finding).filter_by(inspection_id=inspection.id, aspect="masks").one()
    finding.deadline_on = clock.local_today() - timedelta(days=1)  # as if inspected earlier
    session.commit()
    login(app_client, session, role="inspector")
    overdue = app_client.get("/supervision/problems", params={"overdue": "true"})
    rows = overdue.text.split('data-testid="problems"')[1]
    assert rows.count("/verify") == 1
    page = app_client.get("/supervision/problems")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = app_client.post(
        f"/supervision/problems/{finding.id}/verify",
        data={"csrf_token": token, "rectified": "yes", "note": "已整改"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    session.refresh(finding)
    assert finding.status == "rectified" and finding.verification_note == "已整改"


def test_video_points_page(app_client, session, settings):
    community = make_community(session)
    data = VideoPointCreate(name="东门摄像头", community_id=community.id, status="broken")
    video.create_point(session, actor=officer_of("230102"), data=data)
    login(app_client, session)
    page = app_client.get("/supervision/video-points", params={"status": "broken"})
    assert page.status_code == 200 and "东门摄像头" in page.text
    online = app_client.get("/supervision/video-points", params={"status": "online"})
    assert "东门摄像头" not in online.text


def test_pages_need_the_permission(app_client, session):
    login(app_client, session, role="lab")
    assert app_client.get("/supervision").status_code == 403
