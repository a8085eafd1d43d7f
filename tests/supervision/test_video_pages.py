"""The video-point pages: the new-point form and the status form on the list, the export
form; only officers who keep the ledger may write, within their district."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fangkong.models.supervision import VideoPoint
from fangkong.supervision.video import service as video
from fangkong.supervision.video.schemas import VideoPointCreate
from supervision.conftest import NANGANG_COMMUNITY, make_community, officer_of
from supervision.pages import login, post_form

pytestmark = pytest.mark.usefixtures("districts")
LIST = "/supervision/video-points"
NEW = "/supervision/video-points/new"


def points(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(VideoPoint))


def test_new_point_form(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session)
    form = {"name": "东门摄像头", "community_id": str(community.id), "status": "offline"}
    answer = post_form(app_client, f"{NEW}?community_id={community.id}", NEW, form)
    assert answer.status_code == 303
    made = session.scalars(select(VideoPoint)).one()
    assert (made.name, made.status) == ("东门摄像头", "offline")
    listed = app_client.get(LIST)
    assert "东门摄像头" in listed.text and 'data-testid="points-export"' in listed.text


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "smoking"}, "supervision.form_invalid"),
        ({"community_id": "2147483647"}, "supervision.unknown_community"),
        ({"zone_id": "2147483647"}, "supervision.unknown_zone"),
        ({"name": ""}, "supervision.form_invalid"),
    ],
)
def test_new_point_form_refuses_bad_input(app_client, session, change, code):
    community = make_community(session)
    session.commit()
    login(app_client, session)
    form = {"name": "坏点位", "community_id": str(community.id), "status": "online"} | change
    answer = post_form(app_client, NEW, NEW, form)
    assert answer.status_code == 422 and f'data-code="{code}"' in answer.text
    assert points(session) == 0


def test_point_of_another_district_is_refused(app_client, session):
    other = make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY)
    session.commit()
    login(app_client, session)
    form = {"name": "越界点位", "community_id": str(other.id), "status": "online"}
    answer = post_form(app_client, NEW, NEW, form)
    assert answer.status_code == 422 and 'data-code="supervision.unknown_community"' in answer.text
    assert points(session) == 0


def test_status_form_on_the_list(app_client, session):
    community = make_community(session)
    point = video.create_point(session, actor=officer_of("230102"),
                               data=VideoPointCreate(name="北门", community_id=community.id))  # fmt: skip
    session.commit()
    login(app_client, session)
    path = f"{LIST}/{point.id}/status"
    assert f'action="{path}"' in app_client.get(LIST).text
    answer = post_form(app_client, LIST, path, {"status": "broken"})
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(VideoPoint, point.id).status == "broken"
    bad = post_form(app_client, LIST, path, {"status": "gone"})
    assert bad.status_code == 422 and 'data-code="supervision.form_invalid"' in bad.text
    assert session.get(VideoPoint, point.id).status == "broken"
    login(app_client, session, region_code="230103")
    assert post_form(app_client, LIST, path, {"status": "online"}).status_code == 404


def test_inspector_may_not_keep_the_ledger(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session, role="inspector")
    listed = app_client.get(LIST)
    assert listed.status_code == 200 and "/status" not in listed.text
    assert app_client.get(NEW).status_code == 403
    form = {"name": "东门", "community_id": str(community.id)}
    assert post_form(app_client, LIST, NEW, form).status_code == 403
    assert points(session) == 0
