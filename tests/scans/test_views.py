"""Pages: the citizen's check-in, the door scanner, today's check-ins at a venue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import web_login
from fangkong.citizens.dependencies import CITIZEN_COOKIE
from fangkong.config import Settings
from fangkong.models.scan import Scan
from scans.world import World, citizen_headers, personal_qr


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def sign_in_citizen(client: TestClient, session: Session, person_id: int) -> None:
    token = citizen_headers(session, person_id)["Authorization"].removeprefix("Bearer ")
    session.commit()
    client.cookies.set(CITIZEN_COOKIE, token)


def test_checkin_redirects_to_the_citizens_sign_in(app_client: TestClient, world: World) -> None:
    token = world.tokens["红旗超市"]
    answer = app_client.get(f"/checkin/{token}", follow_redirects=False)
    assert answer.status_code in (302, 303, 307)
    assert answer.headers["location"] == f"/me/login?next=/checkin/{token}"


def test_checkin_confirm_shows_the_card(
    app_client: TestClient, session: Session, world: World
) -> None:
    sign_in_citizen(app_client, session, world.green.id)
    token = world.tokens["红旗超市"]
    page = app_client.get(f"/checkin/{token}")
    assert page.status_code == 200
    assert "红旗超市" in page.text
    done = app_client.post(f"/checkin/{token}",
                           data={"csrf_token": csrf_of(page.text), "temperature": "36.4",
                                 "mask": "true"})  # fmt: skip
    assert done.status_code == 200, done.text
    assert 'data-testid="checkin-card"' in done.text
    assert 'data-colour="green"' in done.text and 'data-decision="allow"' in done.text
    assert 'id="checkin-clock"' in done.text and "王*明" in done.text
    row = session.scalars(select(Scan)).one()
    assert (row.source, row.temperature, row.mask) == ("checkin", 36.4, True)


def test_checkin_temperature_out_of_range_is_shown_on_the_form(
    app_client: TestClient, session: Session, world: World
) -> None:
    sign_in_citizen(app_client, session, world.green.id)
    token = world.tokens["红旗超市"]
    page = app_client.get(f"/checkin/{token}")
    answer = app_client.post(f"/checkin/{token}",
                             data={"csrf_token": csrf_of(page.text), "temperature": "50"})  # fmt: skip
    assert answer.status_code == 422
    assert 'data-code="scan.temperature_out_of_range"' in answer.text
    assert session.scalars(select(Scan)).first() is None


def test_checkin_with_a_forged_code_is_404(
    app_client: TestClient, session: Session, world: World
) -> None:
    sign_in_citizen(app_client, session, world.green.id)
    assert app_client.get("/checkin/1.1.AAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_scanner_checks_a_personal_code(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    web_login(app_client, world.operator.username)
    page = app_client.get("/scanner")
    assert page.status_code == 200
    assert "红旗超市" in page.text and "第一医院" not in page.text  # only its own venue
    assert '<script src="/static/js/scanner.js"' in page.text
    data = {"csrf_token": csrf_of(page.text), "venue_id": str(world.shop.id),
            "code": personal_qr(settings, world.red.id), "temperature": "36.6"}  # fmt: skip
    answer = app_client.post("/scanner/check", data=data, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert 'data-decision="deny"' in answer.text
    assert 'data-code="entry.code_not_green"' in answer.text
    by_id = app_client.post("/scanner/check", data=data | {"code": world.green_id},
                            headers={"HX-Request": "true"})  # fmt: skip
    assert 'data-decision="allow"' in by_id.text


def test_scanner_refuses_another_venue_and_a_replayed_code(
    app_client: TestClient, settings: Settings, world: World
) -> None:
    web_login(app_client, world.operator.username)
    token = csrf_of(app_client.get("/scanner").text)
    code = personal_qr(settings, world.green.id)
    other = {"csrf_token": token, "venue_id": str(world.hospital.id), "code": code}
    refused = app_client.post("/scanner/check", data=other, headers={"HX-Request": "true"})
    assert 'data-testid="decision-error"' in refused.text
    own = other | {"venue_id": str(world.shop.id)}
    assert 'data-decision="allow"' in app_client.post("/scanner/check", data=own).text
    replay = app_client.post("/scanner/check", data=own)
    assert 'data-code="health_code.qr_replayed"' in replay.text


def test_scanner_needs_the_entry_check_permission(
    app_client: TestClient, session: Session, world: World
) -> None:
    from factories import make_user

    user = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    web_login(app_client, user.username)
    assert app_client.get("/scanner").status_code == 403


def test_venue_checkins_partial_masks_names(
    app_client: TestClient, session: Session, world: World
) -> None:
    app_client.post("/api/v1/entry-check", headers=world.officer,
                    json={"place_code": world.tokens["红旗超市"], "id_number": world.green_id})  # fmt: skip
    web_login(app_client, world.operator.username)
    answer = app_client.get(f"/venues/{world.shop.id}/checkins", headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "王*明" in answer.text and "王小明" not in answer.text
    assert app_client.get(f"/venues/{world.far_shop.id}/checkins").status_code == 404
