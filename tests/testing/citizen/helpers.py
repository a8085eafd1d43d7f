"""Helpers of the citizen-side testing tests: a signed-in citizen without the SMS round trip
(a session row made as ``citizens.service`` makes one), tiny valid images, report uploads."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fangkong.citizens import tokens
from fangkong.core import clock
from fangkong.models import Person
from fangkong.models.citizen import CitizenSession

ANTIGEN = "/api/v1/me/testing/antigen"
RESULTS = "/api/v1/me/testing/results"
REPORTS = "/api/v1/testing/antigen-reports"
PLAN = "/api/v1/testing/pool-plan"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def citizen_token(session: Session, person: Person) -> str:
    token = tokens.new_session_token()
    now = clock.now()
    session.add(
        CitizenSession(
            token_hash=tokens.session_hash(token),
            person_id=person.id,
            created_at=now,
            expires_at=now + timedelta(days=1),
        )
    )
    session.flush()
    return token


def citizen_headers(session: Session, person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {citizen_token(session, person)}"}


def report(
    client: TestClient,
    headers: dict[str, str],
    *,
    result: str = "negative",
    tested_at: datetime | None = None,
    photo: bytes = PNG,
    filename: str = "cassette.png",
) -> Any:
    at = tested_at or clock.now() - timedelta(minutes=30)
    data = {"result": result, "tested_at": at.isoformat()}
    files = {"photo": (filename, photo, "application/octet-stream")}
    return client.post(ANTIGEN, data=data, files=files, headers=headers)
