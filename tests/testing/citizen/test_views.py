"""The pages: testing home with its figures and links, the planner form (chart, table, errors),
officers' antigen list and photo, and the citizen's results page and report form."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from factories import make_user, web_login
from fangkong.core import clock
from fangkong.models.testing import AntigenReport
from fangkong.models.testing import TestTask as Task
from testing.citizen.helpers import PNG, citizen_token, report
from testing.world import OTHER_GRID, make_lab, make_resident, make_tube


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)


def as_citizen(client, session, person):
    client.cookies.set("fk_citizen", citizen_token(session, person))
    session.commit()


def test_home_counts_today_in_scope(app_client, session, settings, world):
    person = make_resident(session, settings)
    far = make_resident(session, settings, grid=OTHER_GRID)
    make_tube(session, [person], status="open", sampled_at=clock.now())
    make_tube(session, [person], status="sealed", sampled_at=clock.now())
    make_tube(session, [person], status="sealed", sampled_at=clock.now() - timedelta(days=3))
    session.add(Task(person_id=person.id, kind="pool_retest", source_ref="tube:1"))
    session.add(Task(person_id=far.id, kind="pool_retest", source_ref="tube:2"))
    login(app_client, session)
    page = app_client.get("/testing")
    assert page.status_code == 200
    html = page.text
    assert re.search(r'data-status="open">\s*<span class="count-value">1<', html)
    assert re.search(r'data-status="sealed">\s*<span class="count-value">1<', html)
    assert re.search(r'data-kind="pool_retest">\s*<span class="count-value">1<', html)
    assert 'href="/testing/pool-plan"' in html and 'href="/testing/antigen"' in html
    figures = app_client.get("/testing?lang=en").text
    assert "Tubes opened today" in figures


def test_home_links_only_to_mounted_pages(app_client, session, world):
    login(app_client, session)
    html = app_client.get("/testing").text
    block = html.split('data-testid="testing-links"')[1].split("</ul>")[0]
    links = re.findall(r'<a href="([^"]+)"', block)
    assert "/testing/pool-plan" in links and "/testing/antigen" in links
    dead = [link for link in links if app_client.get(link).status_code == 404]
    assert dead == []


def test_planner_page(app_client, session, world):
    login(app_client, session)
    empty = app_client.get("/testing/pool-plan")
    assert empty.status_code == 200 and 'data-testid="plan-table"' not in empty.text
    page = app_client.get(
        "/testing/pool-plan", params={"prevalence": "0.1%", "people": "10000", "sizes": "5,10,20"}
    )
    assert page.status_code == 200
    assert re.search(r'data-testid="best-size">20<', page.text)
    assert re.search(r'data-testid="best-size-any">32<', page.text)
    assert page.text.count("<rect ") == 3 and 'data-size="10"' in page.text
    default = app_client.get("/testing/pool-plan", params={"prevalence": "0.01", "people": "100"})
    assert default.status_code == 200 and 'data-size="10"' in default.text  # the edition's sizes
    bad = app_client.get("/testing/pool-plan", params={"prevalence": "2", "people": "100"})
    assert bad.status_code == 422
    assert 'data-code="testing.plan.prevalence_invalid"' in bad.text
    assert 'value="2"' in bad.text  # the value is kept


def test_antigen_list_page_and_photo(app_client, session, settings, world):
    person = make_resident(session, settings, name="周八")
    session.add(
        AntigenReport(
            person_id=person.id,
            result="positive",
            tested_at=clock.now(),
            photo=PNG,
            photo_type="image/png",
            region_code=person.grid_code,
        )
    )
    session.flush()
    report_id = session.scalar(select(AntigenReport.id))
    login(app_client, session, region="230103")
    assert app_client.get(f"/testing/antigen/{report_id}/photo").status_code == 404
    assert f'data-id="{report_id}"' not in app_client.get("/testing/antigen").text
    app_client.cookies.clear()
    login(app_client, session, role="sampler")
    assert app_client.get("/testing/antigen").status_code == 403
    app_client.cookies.clear()
    login(app_client, session)
    html = app_client.get("/testing/antigen", params={"result": "positive"}).text
    assert f'data-id="{report_id}"' in html and "周*" in html and "周八" not in html
    photo = app_client.get(f"/testing/antigen/{report_id}/photo")
    assert photo.status_code == 200 and photo.content == PNG
    assert f'data-id="{report_id}"' not in app_client.get("/testing/antigen?result=negative").text


def test_citizen_reports_through_the_form(app_client, session, settings, world):
    person = make_resident(session, settings, name="吴九")
    as_citizen(app_client, session, person)
    form = app_client.get("/me/testing/antigen")
    assert form.status_code == 200 and 'type="file"' in form.text
    token = csrf_of(form.text)
    local = (clock.now() - timedelta(hours=1)).astimezone(clock.LOCAL_TZ)
    data = {
        "csrf_token": token,
        "result": "positive",
        "tested_at": local.strftime("%Y-%m-%dT%H:%M"),
    }
    wrong = app_client.post(
        "/me/testing/antigen", data=data, files={"photo": ("p.jpg", b"not an image")}
    )
    assert wrong.status_code == 422 and 'data-code="testing.antigen.photo_type"' in wrong.text
    assert 'value="positive" checked' in wrong.text
    done = app_client.post(
        "/me/testing/antigen",
        data=data,
        files={"photo": ("p.png", PNG, "image/png")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/me/testing?reported=1"
    stored = session.scalars(select(AntigenReport)).one()
    assert abs(stored.tested_at - local) < timedelta(minutes=1)
    page = app_client.get("/me/testing?reported=1")
    assert 'data-colour="red"' in page.text
    assert 'data-kind="antigen_confirm"' in page.text and 'data-testid="reported"' in page.text
    without_token = app_client.post(
        "/me/testing/antigen", data={**data, "csrf_token": "x"}, files={"photo": ("p.png", PNG)}
    )
    assert without_token.status_code == 403


def test_citizen_results_page(app_client, session, settings, world):
    person = make_resident(session, settings, name="郑十")
    lab = make_lab(session)
    tube = make_tube(session, [person], kind="single", capacity=1)
    tube.status, tube.result, tube.lab_id, tube.tested_at = (
        "resulted",
        "negative",
        lab.id,
        clock.now(),
    )
    make_tube(session, [person])
    as_citizen(app_client, session, person)
    html = app_client.get("/me/testing").text
    assert html.count("<li data-tube=") == 2
    assert f'data-tube="{tube.id}" data-result="negative"' in html and lab.name in html
    assert 'data-colour="green"' in html
    english = app_client.get("/me/testing?lang=en").text
    assert "My nucleic-acid tests" in english and "Waiting for the result" in english


def test_report_via_api_shows_on_the_page(app_client, session, settings, world):
    person = make_resident(session, settings, name="冯一")
    token = citizen_token(session, person)
    session.commit()
    assert report(app_client, {"Authorization": f"Bearer {token}"}).status_code == 201
    app_client.cookies.set("fk_citizen", token)
    assert 'data-result="negative"' in app_client.get("/me/testing").text
