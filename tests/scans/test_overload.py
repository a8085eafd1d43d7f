"""Overload behaviour: the database failing (stale answer, no scan written), rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.db import Database
from fangkong.main import create_app
from fangkong.models.scan import Scan
from scans.world import World, personal_qr

ENTRY = "/api/v1/entry-check"


@contextmanager
def database_down(db: Database) -> Iterator[None]:
    """Every statement on the test connection fails as a dead server's would."""

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    event.listen(db.bind, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(db.bind, "before_cursor_execute", fail)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scan)) or 0


def test_database_down_answers_the_last_colour_marked_stale(
    app_client: TestClient, session: Session, settings: Settings, db: Database, world: World
) -> None:
    place = world.tokens["红旗超市"]
    first = app_client.post(ENTRY, headers=world.officer, json={
        "place_code": place, "personal_code": personal_qr(settings, world.red.id)})  # fmt: skip
    assert first.json()["decision"] == "deny"
    with database_down(db):
        answer = app_client.post(ENTRY, headers=world.officer, json={
            "place_code": place, "personal_code": personal_qr(settings, world.red.id)})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["decision"] == "manual"
    assert [r["code"] for r in body["reasons"]] == ["entry.stale_code"]
    assert (body["colour"], body["stale"], body["recorded"]) == ("red", True, False)
    assert count(session) == 1  # only the first scan: nothing written while down
    after = app_client.post(ENTRY, headers=world.officer, json={
        "place_code": place, "personal_code": personal_qr(settings, world.red.id)})  # fmt: skip
    assert (after.json()["stale"], after.json()["recorded"]) == (False, True)  # recovered


def test_database_down_and_person_never_seen_is_a_manual_check(
    app_client: TestClient, settings: Settings, db: Database, world: World
) -> None:
    place = world.tokens["红旗超市"]
    warm = app_client.post(ENTRY, headers=world.officer, json={
        "place_code": place, "personal_code": personal_qr(settings, world.red.id)})  # fmt: skip
    assert warm.status_code == 200
    with database_down(db):
        answer = app_client.post(ENTRY, headers=world.officer, json={
            "place_code": place, "personal_code": personal_qr(settings, world.green.id)})  # fmt: skip
    body = answer.json()
    assert (body["decision"], body["colour"], body["recorded"]) == ("manual", None, False)
    assert [r["code"] for r in body["reasons"]] == ["entry.code_unknown"]


def test_id_number_needs_the_database_503_with_retry_after(
    app_client: TestClient, settings: Settings, db: Database, world: World
) -> None:
    place = world.tokens["红旗超市"]
    app_client.post(ENTRY, headers=world.officer, json={"place_code": place,
                                                        "id_number": world.green_id})  # fmt: skip
    with database_down(db):
        answer = app_client.post(ENTRY, headers=world.officer, json={
            "place_code": place, "id_number": world.green_id})  # fmt: skip
    assert answer.status_code == 503
    assert answer.headers["Retry-After"]


def test_device_limit_answers_429_with_retry_after(
    settings: Settings, db: Database, session: Session, world: World
) -> None:
    limited = settings.model_copy(update={"rate_limit_scan_device": "2/minute"})
    app = create_app(limited, database=db)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
        headers = world.officer | {"X-Device-Id": "door-1"}
        codes = [client.post(ENTRY, json=body, headers=headers).status_code for _ in range(3)]
        other_device = client.post(ENTRY, json=body, headers=world.officer | {"X-Device-Id": "d2"})
    assert codes[:2] == [200, 200]
    assert codes[2] == 429
    assert other_device.status_code == 200


def test_venue_limit_answers_429_with_retry_after(
    settings: Settings, db: Database, world: World
) -> None:
    limited = settings.model_copy(update={"rate_limit_scan_venue": "1/minute"})
    app = create_app(limited, database=db)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = {"place_code": world.tokens["红旗超市"], "id_number": world.green_id}
        first = client.post(ENTRY, json=body, headers=world.officer | {"X-Device-Id": "a"})
        second = client.post(ENTRY, json=body, headers=world.officer | {"X-Device-Id": "b"})
    assert first.status_code == 200
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) >= 1
