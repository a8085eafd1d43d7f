"""The intake pages, zh by default and en on request: the citizen's arrival form and list,
the trips list with the upload, the arrival detail with its timeline, unmatched reports,
checkpoints and the checkpoint desk."""

from __future__ import annotations

import re

from sqlalchemy import select

from arrivals.intake.helpers import NINTH, activate, self_report, trips_of
from arrivals.world import make_resident, make_risk_area
from factories import make_user, web_login
from fangkong.citizens import personal_code
from fangkong.core import clock
from fangkong.models.arrivals import ArrivalReport, Checkpoint, CheckpointStaff
from testing.citizen.helpers import citizen_token


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def test_citizen_reports_on_the_mobile_page(app_client, session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    app_client.cookies.set("fk_citizen", citizen_token(session, person))
    session.commit()
    page = app_client.get("/me/arrival")
    assert page.status_code == 200 and 'data-testid="arrival-form"' in page.text
    form = {"csrf_token": csrf_of(page.text), "origin_province": "北京市", "origin_city": "北京市",
            "origin_district": "朝阳区", "arrived_at": clock.now().astimezone(clock.LOCAL_TZ)
            .strftime("%Y-%m-%dT%H:%M"), "transport": "plane", "transport_no": "CA1001"}  # fmt: skip
    done = app_client.post("/me/arrival", data=form, follow_redirects=True)
    assert done.status_code == 200 and 'data-testid="reported"' in done.text
    assert "朝阳区" in done.text
    bad = app_client.post("/me/arrival", data=form | {"origin_district": "某区",
                                                      "origin_province": "火星"})  # fmt: skip
    assert bad.status_code == 422 and 'data-code="arrival.unknown_origin"' in bad.text
    english = app_client.get("/me/arrival?lang=en")
    assert "Arrival report" in english.text and "My arrival reports" in english.text
    assert len(trips_of(session, person)) == 1


def test_trips_list_and_detail_in_zh_and_en(app_client, session, settings, world):
    activate(session, NINTH)
    make_risk_area(session, grade="high")
    person = make_resident(session, settings, name="周九")
    self_report(session, person)
    [trip] = trips_of(session, person)
    _login(app_client, session)
    page = app_client.get("/arrivals")
    assert page.status_code == 200 and f'data-id="{trip.id}"' in page.text
    assert "周九" not in page.text  # masked
    assert 'data-testid="trips"' in page.text and "G1234" not in page.text
    english = app_client.get("/arrivals?lang=en&grade=high")
    assert "Centralized isolation" in english.text and "High risk" in english.text
    detail = app_client.get(f"/arrivals/trips/{trip.id}?lang=en")
    assert detail.status_code == 200
    assert 'data-testid="timeline"' in detail.text and "Landing test" in detail.text
    assert "Quarantine placement" in detail.text
    assert "Arrival from a high-risk area under isolation" in detail.text  # the reason, named
    assert app_client.get(f"/arrivals/trips/{trip.id}").status_code == 200
    assert app_client.get("/arrivals?grade=nope").status_code == 422


def test_upload_and_unmatched_pages(app_client, session, settings, world):
    _login(app_client, session)
    page = app_client.get("/arrivals")
    at = clock.now().astimezone(clock.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    csv = f"手机号,来源省,来源市,来源区县,抵达时间\n13900000005,北京,北京,朝阳,{at}\n1,北京,北京,朝阳,{at}\n"
    response = app_client.post("/arrivals/import", data={"csrf_token": csrf_of(page.text)},
                               files={"file": ("p.csv", csv.encode(), "text/csv")})  # fmt: skip
    assert response.status_code == 200 and 'data-testid="refused-rows"' in response.text
    assert "arrival.bad_phone" in response.text
    person = make_resident(session, settings)
    session.commit()
    unmatched = app_client.get("/arrivals/unmatched")
    [report] = session.scalars(select(ArrivalReport)).all()
    assert f'data-id="{report.id}"' in unmatched.text and "139****0005" in unmatched.text
    matched = app_client.post(f"/arrivals/unmatched/{report.id}/match",
                              data={"csrf_token": csrf_of(unmatched.text),
                                    "person_id": str(person.id)}, follow_redirects=False)  # fmt: skip
    assert matched.status_code == 303
    assert app_client.get("/arrivals/unmatched?lang=en").text.count('data-id="') == 0


def test_checkpoints_page_and_desk(app_client, session, settings, world):
    officer_client = app_client
    _login(officer_client, session)
    page = officer_client.get("/arrivals/checkpoints")
    created = officer_client.post("/arrivals/checkpoints", data={
        "csrf_token": csrf_of(page.text), "name": "哈尔滨站", "kind": "railway_station",
        "region_code": "230102"}, follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    checkpoint = session.scalars(select(Checkpoint)).one()
    gate = make_user(session, role="venue_operator", region_code="230102")
    session.add(CheckpointStaff(checkpoint_id=checkpoint.id, user_id=gate.id))
    person = make_resident(session, settings)
    code = personal_code.issue(settings, person.id, clock.now(), 5).payload
    session.commit()
    assert "哈尔滨站" in officer_client.get("/arrivals/checkpoints?lang=en").text
    web_login(app_client, gate.username)
    desk = app_client.get("/arrivals/checkpoint")
    assert desk.status_code == 200 and 'data-testid="scan-form"' in desk.text
    scanned = app_client.post("/arrivals/checkpoint", data={
        "csrf_token": csrf_of(desk.text), "checkpoint_id": str(checkpoint.id), "scanned": code,
        "origin_province": "北京市", "origin_district": "朝阳区", "transport": "train"})  # fmt: skip
    assert scanned.status_code == 200 and 'data-testid="scanned"' in scanned.text
    assert len(trips_of(session, person)) == 1
    english = app_client.get("/arrivals/checkpoint?lang=en")
    assert "Checkpoint desk" in english.text
    other = make_user(session, role="venue_operator", region_code="230102")
    session.commit()
    web_login(app_client, other.username)
    assert 'data-testid="no-checkpoint"' in app_client.get("/arrivals/checkpoint").text
