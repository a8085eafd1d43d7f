"""Code senders: the console never shows the phone; the SMS gateway adapter and its failures."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fangkong.citizens.errors import SmsFailed
from fangkong.citizens.senders import ConsoleSender, HttpSender, sender_for
from fangkong.main import create_app

PHONE = "13812345678"


class Gateway:
    """A local SMS gateway: records what it was sent and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                gateway.received.append({"body": body, "auth": self.headers["Authorization"]})
                self.send_response(gateway.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    found = Gateway()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _all_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.getMessage()} {r.args!r} {r.msg!r}" for r in caplog.records)


def test_the_console_logs_the_code_with_the_phone_masked(caplog):
    caplog.set_level(logging.INFO)
    ConsoleSender().send(PHONE, "123456", 5)
    assert "one-time code for citizen ****5678 is 123456" in caplog.text
    assert PHONE not in _all_text(caplog) and "1381234" not in _all_text(caplog)


def test_the_gateway_gets_the_phone_text_and_token(gateway, caplog):
    caplog.set_level(logging.INFO)
    HttpSender(gateway.url, "gateway-token").send(PHONE, "654321", 5)
    [sent] = gateway.received
    assert sent["auth"] == "Bearer gateway-token"
    assert sent["body"]["phone"] == PHONE and "654321" in sent["body"]["text"]
    assert PHONE not in _all_text(caplog) and "654321" not in _all_text(caplog)


def test_a_gateway_error_is_reported_without_the_phone(gateway, caplog):
    caplog.set_level(logging.INFO)
    gateway.status = 500
    with pytest.raises(SmsFailed):
        HttpSender(gateway.url, None).send(PHONE, "111111", 5)
    assert "500" in caplog.text and "****5678" in caplog.text
    assert PHONE not in _all_text(caplog)


def test_an_unreachable_gateway_is_reported(caplog):
    caplog.set_level(logging.INFO)
    with pytest.raises(SmsFailed):
        HttpSender("http://127.0.0.1:9/sms", None).send(PHONE, "111111", 5)
    assert "unreachable" in caplog.text and PHONE not in _all_text(caplog)


def test_the_sender_follows_the_settings(settings, gateway):
    assert isinstance(sender_for(settings), ConsoleSender)
    http = settings.model_copy(update={"otp_sender": "http", "sms_gateway_url": gateway.url})
    assert isinstance(sender_for(http), HttpSender)
    with pytest.raises(RuntimeError):
        sender_for(settings.model_copy(update={"otp_sender": "http"}))
    with pytest.raises(RuntimeError):
        HttpSender("file:///etc/passwd", None)


def test_the_api_sends_through_the_gateway_and_hides_its_failure(settings, db, resident, gateway):
    http = settings.model_copy(update={"otp_sender": "http", "sms_gateway_url": gateway.url})
    with TestClient(create_app(http, database=db)) as client:
        assert client.post("/api/v1/citizen/otp", json={"phone": resident.phone}).status_code == 202
        [sent] = gateway.received
        assert sent["body"]["phone"] == resident.phone
        gateway.status = 503
        # A failure only a resident's phone can cause is answered like a success.
        response = client.post("/api/v1/citizen/otp", json={"phone": resident.phone})
        assert response.status_code == 202
