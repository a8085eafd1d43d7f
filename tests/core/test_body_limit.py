"""Request bodies above the limit answer 413 problem+json, without the body being read."""

from __future__ import annotations

import asyncio
import json

import pytest

from factories import auth_headers, make_tree, make_user
from fangkong.core.bodylimit import upload_limit
from fangkong.main import create_app
from fangkong.people import importer
from loops import awaited
from shared_routes import with_shared_routes

MIB = 1024 * 1024
CHUNK = 256 * 1024


def test_a_json_body_above_the_limit_is_a_413_problem(app_client, settings):
    assert settings.max_body_bytes == MIB  # the real default
    body = json.dumps({"id_number": "1" * (MIB + 10)})
    response = app_client.post(
        "/api/v1/people/search", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "request.too_large"
    assert problem["status"] == 413
    assert problem["title"] != problem["code"]


def test_the_title_follows_the_language(app_client):
    big = {"username": "x", "password": "y" * (MIB + 1)}
    zh = app_client.post("/api/v1/auth/token", data=big).json()
    en = app_client.post("/api/v1/auth/token?lang=en", data=big).json()
    assert en["code"] == zh["code"] == "request.too_large"
    assert en["title"] == "The request body is too large."
    assert zh["title"] != en["title"]


def test_a_form_page_gets_a_readable_error_page(app_client):
    response = app_client.post("/login", data={"username": "x", "password": "y" * (MIB + 1)})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-code="request.too_large"' in response.text


def test_a_body_just_under_the_limit_is_read(app_client):
    response = app_client.post(
        "/api/v1/auth/token", data={"username": "nobody", "password": "p" * 100}
    )
    assert response.status_code == 401  # read and checked, not refused for its size


def test_upload_routes_take_more_than_the_default(app_client, session, settings):
    make_tree(session)
    user = make_user(session, role="district_officer")
    session.commit()
    csv = "姓名,证件号码\n" + "x" * (2 * MIB)
    response = app_client.post(
        "/api/v1/people/import",
        params={"dry_run": "true"},
        files={"file": ("people.csv", csv.encode(), "text/csv")},
        headers=auth_headers(settings, user),
    )
    assert response.status_code != 413
    assert response.status_code < 500


def test_upload_limits_follow_the_file_limit_of_the_domain():
    assert upload_limit(importer.MAX_UPLOAD_BYTES) > importer.MAX_UPLOAD_BYTES
    assert upload_limit(importer.MAX_UPLOAD_BYTES) < importer.MAX_UPLOAD_BYTES + MIB


# --- the ASGI level: what the server is asked to read ----------------------------------------


class Upload:
    """An ASGI receive that hands out chunks and counts how many were taken."""

    def __init__(
        self, chunks: int, size: int = CHUNK, head: bytes = b"", tail: bytes = b""
    ) -> None:
        self.left = chunks
        self.size = size
        self.head, self.tail = head, tail
        self.taken = 0

    async def receive(self) -> dict[str, object]:
        if self.left == 0:
            await asyncio.sleep(3600)  # a client that never finishes
        self.left -= 1
        body = (self.head if self.taken == 0 else b"") + b"a" * self.size
        self.taken += 1
        if self.left == 0:
            body += self.tail
        return {"type": "http.request", "body": body, "more_body": self.left > 0}


def call(app, path: str, headers: list[tuple[bytes, bytes]], upload: Upload) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    awaited(asyncio.wait_for(app(scope, upload.receive, send), timeout=60))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")  # type: ignore[misc]
    return status, body  # type: ignore[return-value]


FORM = (b"content-type", b"application/x-www-form-urlencoded")


@pytest.fixture
def app(settings, db):
    return with_shared_routes(create_app(settings, database=db))


def test_a_declared_length_above_the_limit_is_refused_before_reading(app):
    upload = Upload(chunks=40)  # 10 MiB on offer
    length = (b"content-length", str(40 * CHUNK).encode())
    status, body = call(app, "/api/v1/auth/token", [FORM, length], upload)
    assert status == 413
    assert json.loads(body)["code"] == "request.too_large"
    assert upload.taken == 0


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(app):
    upload = Upload(chunks=400)  # 100 MiB on offer, no length declared
    status, body = call(app, "/api/v1/auth/token", [FORM], upload)
    assert status == 413
    assert json.loads(body)["code"] == "request.too_large"
    assert upload.taken == MIB // CHUNK + 1  # the chunk that passed the limit, and no more


def test_an_upload_route_refuses_above_its_own_limit_before_reading(app):
    upload = Upload(chunks=1)
    too_long = str(upload_limit(importer.MAX_UPLOAD_BYTES) + 1).encode()
    multipart = (b"content-type", b"multipart/form-data; boundary=x")
    status, body = call(
        app, "/api/v1/people/import", [multipart, (b"content-length", too_long)], upload
    )
    assert status == 413
    assert json.loads(body)["code"] == "request.too_large"
    assert upload.taken == 0


def test_a_chunked_upload_may_pass_the_default_on_an_upload_route(app):
    head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n'
    upload = Upload(chunks=8, head=head, tail=b"\r\n--x--\r\n")  # 2 MiB, no declared length
    multipart = (b"content-type", b"multipart/form-data; boundary=x")
    status, body = call(app, "/api/v1/people/import", [multipart], upload)
    assert upload.taken == 8  # read to the end
    assert json.loads(body)["code"] == "auth.required"  # the body was parsed, then the auth
    assert status == 401
