"""Helpers of the supervision page tests: log in as a role of a district, post a page's form
with its CSRF token."""

from __future__ import annotations

import re
from typing import Any

from factories import make_user, web_login


def login(client, session, role: str = "district_officer", region_code: str = "230102") -> None:
    user = make_user(session, role=role, region_code=region_code)
    session.commit()
    web_login(client, user.username)


def post_form(client, page: str, action: str, data: dict[str, Any], **extra: Any):
    """GET ``page`` for its CSRF token, then POST ``data`` to ``action`` (no redirects)."""
    shown = client.get(page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token, shown.text[:500]
    body = {"csrf_token": token.group(1)} | data
    return client.post(action, data=body, follow_redirects=False, **extra)
