"""``/api/v1/venues``: bodies, problem+json codes, the place code in every answer, QR images."""

from __future__ import annotations

from sqlalchemy import select

from factories import auth_headers, make_user
from fangkong.models import AuditLog
from fangkong.venues import placecode
from venues.conftest import API, DAOLI_GRID, NANGANG_GRID
from venues.test_placecode import decode_png


def create(client, headers, **body):
    payload = {"name": "中央大街超市", "type": "supermarket", "region_code": DAOLI_GRID} | body
    return client.post(API, json=payload, headers=headers)


def test_create_answers_the_place_code_and_its_url(app_client, settings, officers):
    response = create(app_client, officers["daoli"], address="中央大街1号")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["place_code"] == placecode.token_for(settings, body["id"], 1)
    assert body["place_code_url"] == f"{settings.public_url}/checkin/{body['place_code']}"
    assert (body["type"], body["active"], body["address"]) == ("supermarket", True, "中央大街1号")
    got = app_client.get(f"{API}/{body['id']}", headers=officers["daoli"]).json()
    assert got == body


def test_bad_bodies_answer_problem_json_codes(app_client, officers):
    headers = officers["daoli"]
    cases = [
        ({"name": ""}, 422, "request.invalid"),
        ({"name": "x" * 101}, 422, "request.invalid"),
        ({"type": "spaceport"}, 422, "request.invalid"),
        ({"region_code": "abc"}, 422, "request.invalid"),
        ({"region_code": NANGANG_GRID}, 422, "venue.region_out_of_jurisdiction"),
        ({"region_code": "230102009009009"}, 422, "venue.unknown_region"),
    ]
    for body, status, code in cases:
        response = create(app_client, headers, **body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code, body
    assert create(app_client, headers).status_code == 201
    again = create(app_client, headers)
    assert (again.status_code, again.json()["code"]) == (409, "venue.duplicate_name")


def test_patch_rotate_deactivate(app_client, settings, officers):
    headers = officers["daoli"]
    venue = create(app_client, headers).json()
    url = f"{API}/{venue['id']}"
    patched = app_client.patch(url, json={"name": "新名字", "type": "market"}, headers=headers)
    assert patched.status_code == 200 and patched.json()["name"] == "新名字"
    refused = app_client.patch(url, json={"name": None}, headers=headers)
    assert refused.status_code == 422
    rotated = app_client.post(f"{url}/place-code/rotate", headers=headers).json()
    assert rotated["place_code_version"] == 2
    assert rotated["place_code"] != venue["place_code"]
    assert placecode.parse(settings, rotated["place_code"]) == (venue["id"], 2)
    closed = app_client.post(f"{url}/deactivate", headers=headers).json()
    assert closed["active"] is False
    again = app_client.post(f"{url}/place-code/rotate", headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "venue.inactive")


def test_list_filters_and_cursor(app_client, officers):
    headers = officers["daoli"]
    for index in range(3):
        create(app_client, headers, name=f"店{index}", type="shop")
    create(app_client, headers, name="机场", type="station_airport", region_code="230102001")
    page = app_client.get(API, params={"limit": 2}, headers=headers).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = app_client.get(
        API, params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers
    ).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    only = app_client.get(API, params={"type": "station_airport"}, headers=headers).json()
    assert [v["name"] for v in only["items"]] == ["机场"]
    found = app_client.get(API, params={"q": "店1"}, headers=headers).json()
    assert [v["name"] for v in found["items"]] == ["店1"]
    bad = app_client.get(API, params={"cursor": "!!"}, headers=headers)
    assert bad.json()["code"] == "pagination.invalid_cursor"


def test_png_and_svg_carry_the_current_place_code(app_client, settings, officers):
    headers = officers["daoli"]
    venue = create(app_client, headers).json()
    png = app_client.get(f"{API}/{venue['id']}/place-code.png", headers=headers)
    assert png.headers["content-type"] == "image/png"
    assert decode_png(png.content) == venue["place_code_url"]
    svg = app_client.get(f"{API}/{venue['id']}/place-code.svg", headers=headers)
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    app_client.post(f"{API}/{venue['id']}/place-code/rotate", headers=headers)
    after = app_client.get(f"{API}/{venue['id']}/place-code.png", headers=headers)
    token = decode_png(after.content).rsplit("/", 1)[1]
    assert placecode.parse(settings, token) == (venue["id"], 2)


def test_operators_api(app_client, session, officers):
    headers = officers["daoli"]
    venue = create(app_client, headers).json()
    operator = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    worker = make_user(session, role="grid_worker", region_code=DAOLI_GRID)
    session.commit()
    url = f"{API}/{venue['id']}/operators"
    added = app_client.post(url, json={"user_id": operator.id}, headers=headers)
    assert added.status_code == 201 and added.json()["username"] == operator.username
    listed = app_client.get(url, headers=headers).json()
    assert [o["user_id"] for o in listed] == [operator.id]
    wrong = app_client.post(url, json={"user_id": worker.id}, headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "venue.not_an_operator")
    missing = app_client.post(url, json={"user_id": 2**31 - 1}, headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "venue.operator_not_found")
    assert app_client.delete(f"{url}/{operator.id}", headers=headers).status_code == 204
    assert app_client.get(url, headers=headers).json() == []
    gone = app_client.delete(f"{url}/{operator.id}", headers=headers)
    assert gone.status_code == 404


def test_every_change_writes_an_audit_row(app_client, session, officers):
    headers = officers["daoli"]
    venue = create(app_client, headers).json()
    url = f"{API}/{venue['id']}"
    app_client.patch(url, json={"address": "新地址"}, headers=headers)
    app_client.post(f"{url}/place-code/rotate", headers=headers)
    app_client.post(f"{url}/deactivate", headers=headers)
    statement = select(AuditLog.action).where(AuditLog.object_id == str(venue["id"]))
    assert list(session.scalars(statement.order_by(AuditLog.id))) == [
        "venue.create",
        "venue.update",
        "venue.place_code_rotate",
        "venue.deactivate",
    ]


def test_operator_reads_its_venue_and_prints_its_code(app_client, session, settings, officers):
    venue = create(app_client, officers["daoli"]).json()
    operator = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    session.commit()
    app_client.post(
        f"{API}/{venue['id']}/operators", json={"user_id": operator.id}, headers=officers["daoli"]
    )
    headers = auth_headers(settings, operator)
    assert app_client.get(f"{API}/{venue['id']}", headers=headers).status_code == 200
    png = app_client.get(f"{API}/{venue['id']}/place-code.png", headers=headers)
    assert png.status_code == 200
    assert app_client.post(f"{API}/{venue['id']}/deactivate", headers=headers).status_code == 403
