"""Security headers on every response: pages, API, errors, static files, /docs; HSTS over TLS."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from fangkong.core.headers import inline_script_hashes
from fangkong.main import create_app

PATHS = (
    "/login",  # a page
    "/",  # a redirect to the login page
    "/healthz",  # JSON
    "/api/v1/auth/me",  # a 401 problem
    "/api/v1/no-such-route",  # a 404 problem
    "/static/css/app.css",  # a static file
    "/openapi.json",
)
CSP_DIRECTIVES = (
    "default-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def csp_of(response) -> dict[str, str]:
    [policy] = response.headers.get_list("content-security-policy")
    return {d.split(" ", 1)[0]: d for d in (part.strip() for part in policy.split(";")) if d}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(app_client, path):
    response = app_client.get(path, follow_redirects=False)
    headers = response.headers
    directives = csp_of(response)
    for directive in CSP_DIRECTIVES:
        assert directives[directive.split(" ")[0]] == directive
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in headers  # plain http: HSTS would be ignored


def test_permissions_policy_keeps_the_camera_for_the_site_only(app_client):
    policy = app_client.get("/login").headers["permissions-policy"]
    features = dict(part.strip().split("=", 1) for part in policy.split(","))
    assert features["camera"] == "(self)"
    for feature in ("microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_a_header_a_route_set_is_replaced_not_doubled(app_client):
    """The ledger and exact-search pages set Cache-Control themselves; our headers are single."""
    response = app_client.get("/login")
    for name in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert len(response.headers.get_list(name)) == 1


def test_an_unhandled_error_answers_500_with_the_headers(settings, db, caplog):
    """The 500 of an error no handler caught carries the headers and the problem body, and
    the error is still logged."""
    app = create_app(settings, database=db)

    @app.get("/api/v1/test-boom")
    def boom() -> None:
        raise RuntimeError("synthetic failure")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert response.json()["code"] == "server.error"
    assert csp_of(response)["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "unhandled error on GET /api/v1/test-boom" in caplog.text


def test_hsts_only_when_the_request_came_over_tls(settings, db):
    app = create_app(settings, database=db)
    with TestClient(app, base_url="https://fangkong.example") as client:
        response = client.get("/login")
    hsts = response.headers["strict-transport-security"]
    assert re.fullmatch(r"max-age=(\d+)(; includeSubDomains)?", hsts)
    assert int(hsts.split("=")[1].split(";")[0]) >= 180 * 24 * 3600
    assert response.headers["x-frame-options"] == "DENY"


def test_docs_allow_exactly_their_own_inline_script(app_client):
    response = app_client.get("/docs")
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert scripts, "Swagger UI is started by an inline script"
    script_src = csp_of(response)["script-src"].split()
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert "'unsafe-inline'" not in script_src
    assert len(script_src) == 2 + len(scripts)  # the name, 'self' and the hashes, nothing else
    # other pages do not inherit the hash
    assert csp_of(app_client.get("/login"))["script-src"] == "script-src 'self'"


def test_inline_script_hashes_are_csp_sha256_sources():
    html = b"<p>x</p><script>alert(1)</script><script src='/a.js'></script>"
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert inline_script_hashes(html) == [f"'sha256-{digest}'"]


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|hx-on|javascript:", re.IGNORECASE
)


def test_templates_carry_no_inline_script_or_style():
    """The CSP allows neither; anything inline would silently stop working in the browser."""
    found = []
    for template in _templates(files("fangkong") / "templates"):
        text = template.read_text(encoding="utf-8")
        found += [f"{template.name}: {m.group(0)}" for m in INLINE.finditer(text)]
    assert found == []


def _templates(folder):
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _templates(entry)
        elif entry.name.endswith(".html"):
            yield entry


def test_the_htmx_indicator_style_is_switched_off(app_client):
    """htmx would insert a <style> element that the CSP refuses (a console error per page)."""
    html = app_client.get("/login").text
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
