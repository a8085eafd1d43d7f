"""Who may use which scan route: 401 anonymous, 403 without the permission, 404 outside."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import auth_headers, make_user
from fangkong.config import Settings
from fangkong.core import clock
from scans.world import World

ENTRY = "/api/v1/entry-check"
SCANS = "/api/v1/scans"


def test_anonymous_is_401(app_client: TestClient, world: World) -> None:
    body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
    assert app_client.post(ENTRY, json=body).status_code == 401
    assert app_client.get(SCANS).status_code == 401
    assert app_client.get(f"{SCANS}/companions").status_code == 401
    files = {"file": ("s.csv", b"venue_id,person_id,scanned_at\n", "text/csv")}
    assert app_client.post(f"{SCANS}/bulk", files=files).status_code == 401
    assert app_client.post(SCANS, json={"place_code": world.tokens["红旗超市"]}).status_code == 401


def test_roles_without_the_permission_are_403(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    grid = make_user(session, role="grid_worker", region_code="230102001002003")
    lab = make_user(session, role="lab", region_code="230102")
    session.commit()
    body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
    assert app_client.post(ENTRY, json=body, headers=auth_headers(settings, lab)).status_code == 403
    grid_headers = auth_headers(settings, grid)
    assert app_client.get(SCANS, headers=grid_headers).status_code == 403
    operator = world.operator_headers
    assert app_client.get(SCANS, headers=operator).status_code == 403
    params = {"person_id": str(world.green.id), "from": clock.now().isoformat(),
              "to": (clock.now() + timedelta(hours=1)).isoformat()}  # fmt: skip
    assert app_client.get(f"{SCANS}/companions", params=params, headers=operator).status_code == 403
    files = {"file": ("s.csv", b"venue_id,person_id,scanned_at\n", "text/csv")}
    assert app_client.post(f"{SCANS}/bulk", files=files, headers=operator).status_code == 403


def test_another_districts_officer_gets_404(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    nangang = auth_headers(settings, make_user(session, role="district_officer",
                                               region_code="230103"))  # fmt: skip
    session.commit()
    body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
    assert app_client.post(ENTRY, json=body, headers=nangang).status_code == 404
    params = {"person_id": str(world.green.id), "from": clock.now().isoformat(),
              "to": (clock.now() + timedelta(hours=1)).isoformat()}  # fmt: skip
    assert app_client.get(f"{SCANS}/companions", params=params, headers=nangang).status_code == 404
    assert app_client.get(f"{SCANS}/companions", params=params,
                          headers=world.officer).status_code == 200  # fmt: skip
