"""Small factory functions for tests: users, regions, tokens, logins."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, time, timedelta
from functools import cache
from urllib.parse import parse_qs, urlparse

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fangkong.auth import tokens
from fangkong.config import Settings
from fangkong.core import clock, security
from fangkong.models import Region, RegionLevel, User
from fangkong.people import idcard

PASSWORD = "test-password-1"
_counter = itertools.count(1)


@cache
def password_hash() -> str:
    """Hash once per run; argon2 is deliberately slow."""
    return security.hash_password(PASSWORD)


def make_user(
    session: Session,
    *,
    role: str = "district_officer",
    region_code: str = "230102",
    username: str | None = None,
    totp_secret: str | None = None,
    settings: Settings | None = None,
    **overrides: object,
) -> User:
    user = User(
        username=username or f"user{next(_counter)}",
        display_name="测试用户",
        password_hash=password_hash(),
        role=role,
        region_code=region_code,
        **overrides,
    )
    if totp_secret and settings:
        user.totp_secret = security.encrypt(
            settings.data_key_bytes, totp_secret.encode(), context=b"totp"
        )
    session.add(user)
    session.flush()
    return user


def make_region(session: Session, code: str, *, name: str | None = None) -> Region:
    levels = {9: RegionLevel.STREET, 12: RegionLevel.COMMUNITY, 15: RegionLevel.GRID}
    region = Region(
        code=code, name=name or f"区划{code[-3:]}", level=levels[len(code)], parent_code=code[:-3]
    )
    session.add(region)
    session.flush()
    return region


def make_tree(session: Session, district: str = "230102") -> list[Region]:
    """A street, a community and a grid under ``district``."""
    return [
        make_region(session, district + "001"),
        make_region(session, district + "001002"),
        make_region(session, district + "001002003"),
    ]


def auth_headers(settings: Settings, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue(settings, user)}"}


def totp_secret_of(uri: str) -> str:
    return parse_qs(urlparse(uri).query)["secret"][0]


def otp_now(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def web_login(
    client: TestClient, username: str, password: str = PASSWORD, otp: str | None = None
) -> None:
    """Log in through the form, CSRF token and all; the client keeps the session cookie."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"username": username, "password": password, "csrf_token": token}
    if otp:
        data["otp"] = otp
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


def resident_id(
    seed: int = 0, *, born: date | None = None, sex: str = "1", region: str = "230102"
) -> str:
    """A valid synthetic resident ID number; different seeds give different birth dates."""
    birth = born or date(1960, 1, 1) + timedelta(days=seed)
    return idcard.synthesize(random.Random(seed), region_code=region, birth_date=birth, sex=sex)  # type: ignore[arg-type]


def person_payload(grid: str, seed: int = 0, **overrides: object) -> dict[str, object]:
    """A valid body for ``POST /api/v1/people``; ``seed`` varies the ID number and phone."""
    body: dict[str, object] = {
        "name": f"测试{seed}",
        "id_number": resident_id(seed),
        "phone": f"139{seed:08d}",
        "address": "道里区测试街1号",
        "grid_code": grid,
    }
    body.update(overrides)
    return body


def earlier_today(hours: float) -> datetime:
    """``hours`` ago, or, when that would fall on yesterday in Asia/Shanghai (the suite runs
    at any hour), halfway between local midnight and now: for records a test counts as
    "today's" whatever the time of day."""
    now = clock.now()
    midnight = datetime.combine(clock.local_today(), time(0), tzinfo=clock.LOCAL_TZ)
    return max(now - timedelta(hours=hours), midnight + (now - midnight) / 2)
