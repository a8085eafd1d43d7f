"""The inspection pages: the list with its filters, the new-inspection form on the six
aspects (a past deadline, an unknown community, a community of another district and a photo
that is no image refused with nothing written), the inspection's page and its photos; who
may inspect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.models.supervision import Finding, Inspection, InspectionPhoto
from fangkong.supervision.labels import Aspect
from supervision.conftest import NANGANG_COMMUNITY, inspect, make_community
from supervision.pages import login, post_form

pytestmark = pytest.mark.usefixtures("districts")
NEW = "/supervision/inspections/new"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form_of(community_id: int, problems: dict[Aspect, int] | None = None) -> dict[str, str]:
    """The form's fields: every aspect a pass, ``problems`` (aspect → days to the deadline)
    problems with a finding."""
    today = clock.local_today()
    form = {"community_id": str(community_id), "inspected_on": today.isoformat(), "note": "例行"}
    for aspect in Aspect:
        days = (problems or {}).get(aspect)
        form[f"{aspect.value}.result"] = "pass" if days is None else "problem"
        if days is not None:
            form[f"{aspect.value}.note"] = "未落实"
            form[f"{aspect.value}.deadline_on"] = (today + timedelta(days=days)).isoformat()
    return form


def inspections(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Inspection))


def test_inspector_records_an_inspection(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session, role="inspector")
    page = app_client.get(NEW, params={"community_id": community.id})
    assert page.status_code == 200 and "门岗值守" in page.text and "防疫宣传" in page.text
    form = form_of(community.id, {Aspect.MASKS: 3})
    answer = post_form(app_client, NEW, NEW, form)
    assert answer.status_code == 303, answer.text[:300]
    made = session.scalars(select(Inspection)).one()
    assert answer.headers["location"] == f"/supervision/inspections/{made.id}"
    assert (made.problems, made.note) == (1, "例行")
    problem = session.scalars(select(Finding).where(Finding.status == "open")).one()
    assert (problem.aspect, problem.note) == ("masks", "未落实")
    assert problem.deadline_on == clock.local_today() + timedelta(days=3)
    shown = app_client.get(answer.headers["location"])
    assert shown.status_code == 200 and "未落实" in shown.text and "阳光花园" in shown.text


def test_a_photo_goes_with_the_inspection(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session, role="inspector")
    files = {"photo": ("gate.png", PNG, "image/png")}
    answer = post_form(app_client, NEW, NEW, form_of(community.id), files=files)
    assert answer.status_code == 303
    photo = session.scalars(select(InspectionPhoto)).one()
    shown = app_client.get(answer.headers["location"])
    assert f'src="/supervision/photos/{photo.id}"' in shown.text
    image = app_client.get(f"/supervision/photos/{photo.id}")
    assert image.status_code == 200 and image.content == PNG


@pytest.mark.parametrize(
    ("problems", "community", "code"),
    [
        ({Aspect.GATE: -1}, "own", "supervision.deadline_in_past"),
        ({Aspect.GATE: 2}, 2**31 - 1, "supervision.unknown_community"),
        ({Aspect.GATE: 2}, "nangang", "supervision.unknown_community"),
        ({Aspect.GATE: None}, "own", "supervision.deadline_missing"),
        ({}, "abc", "supervision.form_invalid"),
    ],
)
def test_bad_inspections_are_refused(app_client, session, problems, community, code):
    own = make_community(session)
    other = make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY)
    session.commit()
    login(app_client, session, role="inspector")
    chosen = {"own": own.id, "nangang": other.id}.get(community, community)
    form = form_of(0, {a: d for a, d in problems.items() if d is not None}) | {
        "community_id": str(chosen)}  # fmt: skip
    if None in problems.values():
        form[f"{Aspect.GATE.value}.result"] = "problem"
    answer = post_form(app_client, NEW, NEW, form)
    assert answer.status_code == 422
    assert f'data-code="{code}"' in answer.text
    assert f'value="{chosen}"' in answer.text and "例行" in answer.text  # values kept
    assert inspections(session) == 0


def test_a_photo_that_is_no_image_writes_nothing(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session, role="inspector")
    files = {"photo": ("gate.jpg", b"not an image", "image/jpeg")}
    answer = post_form(app_client, NEW, NEW, form_of(community.id), files=files)
    assert answer.status_code == 422 and 'data-code="supervision.photo_type"' in answer.text
    assert inspections(session) == 0


def test_grid_worker_may_not_inspect(app_client, session):
    community = make_community(session)
    session.commit()
    login(app_client, session, role="grid_worker", region_code="230102001")
    assert app_client.get(NEW).status_code == 403
    assert app_client.get("/supervision/inspections").status_code == 403
    login(app_client, session, role="inspector")
    token_page = app_client.get(NEW)
    assert token_page.status_code == 200
    login(app_client, session, role="grid_worker", region_code="230102001")
    answer = app_client.post(NEW, data=form_of(community.id), follow_redirects=False)
    assert answer.status_code == 403
    assert inspections(session) == 0


def test_officer_of_another_district_cannot_see_the_inspection(app_client, session):
    made = inspect(session, make_community(session), {Aspect.GATE: 2})
    session.commit()
    login(app_client, session, region_code="230103")
    assert app_client.get(f"/supervision/inspections/{made.id}").status_code == 404
    listed = app_client.get("/supervision/inspections")
    assert f"/supervision/inspections/{made.id}" not in listed.text


def test_inspection_list_filters(app_client, session):
    first = make_community(session, "甲小区")
    second = make_community(session, "乙小区")
    with_problem = inspect(session, first, {Aspect.GATE: 2})
    clean = inspect(session, second)
    session.commit()
    login(app_client, session, role="inspector")
    page = app_client.get("/supervision/inspections")
    assert "甲小区" in page.text and "乙小区" in page.text
    only = app_client.get("/supervision/inspections", params={"problems": "yes"})
    assert f'/inspections/{with_problem.id}"' in only.text
    assert f'/inspections/{clean.id}"' not in only.text
    by_community = app_client.get("/supervision/inspections", params={"community_id": second.id})
    assert f'/inspections/{clean.id}"' in by_community.text
    assert f'/inspections/{with_problem.id}"' not in by_community.text
    tomorrow = (clock.local_today() + timedelta(days=1)).isoformat()
    later = app_client.get("/supervision/inspections", params={"start": tomorrow})
    assert "甲小区" not in later.text.split("<tbody>")[1]
