"""App-level behaviour: request ids, problem+json for every failure, production guards, logs."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from factories import auth_headers, make_user
from fangkong import deployment
from fangkong.config import Settings
from fangkong.core import security
from fangkong.core.logging import PersonalDataFilter, logging_config
from fangkong.main import create_app


def test_request_id_on_every_response(app_client):
    response = app_client.get("/healthz")
    assert len(response.headers["x-request-id"]) >= 16
    echoed = app_client.get("/healthz", headers={"X-Request-ID": "a" * 32})
    assert echoed.headers["x-request-id"] == "a" * 32


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/nowhere", 404, "not_found"),
        ("delete", "/api/v1/auth/me", 405, "request.method_not_allowed"),
        ("get", "/api/v1/users", 401, "auth.required"),
    ],
)
def test_http_errors_are_problem_json(app_client, method, path, status, code):
    response = getattr(app_client, method)(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()


def test_malformed_json_is_422_with_field_errors(app_client, session, settings):
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    headers = auth_headers(settings, user) | {"content-type": "application/json"}
    response = app_client.post("/api/v1/users", content=b'{"username": ', headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"
    assert response.json()["errors"]


def test_language_negotiation(app_client):
    zh = app_client.get("/api/v1/users").json()["title"]
    en = app_client.get("/api/v1/users?lang=en").json()["title"]
    accept = app_client.get("/api/v1/users", headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    assert zh == "请先登录。" and en == "Please log in." and accept["title"] == en


def test_unhandled_error_is_logged_and_answered_500(settings, db, caplog):
    app = create_app(settings, database=db)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/boom")
    assert response.status_code == 500 and response.json()["code"] == "server.error"
    assert "kaboom" not in response.text
    assert any("unhandled error" in r.getMessage() for r in caplog.records)


def test_production_refuses_without_keys():
    with pytest.raises(deployment.UnsafeDeployment, match="FANGKONG_SECRET_KEY"):
        create_app(Settings(_env_file=None, env="production"))  # type: ignore[call-arg]


def test_settings_reject_malformed_keys():
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(_env_file=None, secret_key="c2hvcnQ")  # type: ignore[call-arg]


def test_production_refuses_demo_keys_and_demo_accounts(settings, db, session):
    production = settings.model_copy(update={"env": "production"})
    with TestClient(create_app(production, database=db)) as client:
        assert client.get("/healthz").status_code == 200
    deployment.mark_demo_keys(session, settings)
    session.commit()
    with (
        pytest.raises(deployment.UnsafeDeployment, match="demo keys"),
        TestClient(create_app(production, database=db)),
    ):
        pass
    other_keys = production.model_copy(
        update={
            "secret_key": SecretStr(security.new_key()),
            "data_key": SecretStr(security.new_key()),
        }
    )
    other_keys.__dict__.pop("secret_key_bytes", None)
    other_keys.__dict__.pop("data_key_bytes", None)
    make_user(session, username="demoadmin", is_demo=True)
    session.commit()
    with (
        pytest.raises(deployment.UnsafeDeployment, match="demo accounts"),
        TestClient(create_app(other_keys, database=db)),
    ):
        pass


def test_logs_are_json_and_never_carry_id_numbers_or_phones():
    config = logging_config("INFO", json=True)
    formatter_path = config["formatters"]["default"]["()"]
    module, _, name = formatter_path.rpartition(".")
    formatter_cls = getattr(__import__(module, fromlist=[name]), name)
    formatter = formatter_cls(
        config["formatters"]["default"]["format"], rename_fields={"levelname": "level"}
    )
    record = logging.LogRecord(
        "t",
        logging.INFO,
        __file__,
        1,
        "person %s phone %s",
        ("230102199001011234", "13812345678"),
        None,
    )
    record.correlation_id = "rid-1"
    assert PersonalDataFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["message"] == "person 2301**********1234 phone 138****5678"
    assert line["level"] == "INFO" and "230102199001011234" not in json.dumps(line)


def test_api_401_names_the_bearer_scheme(app_client):
    assert app_client.get("/api/v1/auth/me").headers["www-authenticate"] == "Bearer"


def test_cursor_of_the_wrong_type_is_422_not_500(app_client, session, settings):
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    for cursor in ("W3RydWVd", "WyJ6eiJd"):  # [true], ["zz"]
        response = app_client.get(
            f"/api/v1/users?cursor={cursor}", headers=auth_headers(settings, user)
        )
        assert response.status_code == 422, cursor
        assert response.json()["code"] == "pagination.invalid_cursor"


def test_api_docs_use_vendored_assets_only(app_client):
    page = app_client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(
        r"url: '([^']+)'", page.text
    )
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert app_client.get(asset).status_code == 200, asset
    assert app_client.get("/redoc").status_code == 404
