"""Where one-time codes go: the server console (demo, tests) or an SMS gateway over HTTP.

The console sender logs the code with the phone masked (``****5678``); no sender ever logs a
full phone number. ``sender_for(settings)`` picks one by ``settings.otp_sender``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from fangkong.citizens.errors import SmsFailed
from fangkong.config import Settings
from fangkong.core import i18n
from fangkong.core.errors import N_

log = logging.getLogger(__name__)
MESSAGE = N_("Your fangkong sign-in code is %(code)s, valid for %(minutes)s minutes.")
TIMEOUT_SECONDS = 5.0


def masked_tail(phone: str) -> str:
    """``13812345678`` → ``****5678``: the most of a phone any log line shows."""
    return "****" + phone[-4:]


class Sender(Protocol):
    def send(self, phone: str, code: str, minutes: int) -> None: ...


class ConsoleSender:
    def send(self, phone: str, code: str, minutes: int) -> None:
        log.warning("one-time code for citizen %s is %s", masked_tail(phone), code)


class HttpSender:
    """Posts ``{phone, text}`` as JSON to the gateway with the bearer token; 2xx means sent."""

    def __init__(self, url: str, token: str | None) -> None:
        if not url.startswith(("https://", "http://")):
            raise RuntimeError("FANGKONG_SMS_GATEWAY_URL must be an http(s) URL")
        self.url, self.token = url, token

    def send(self, phone: str, code: str, minutes: int) -> None:
        text = i18n.gettext(i18n.DEFAULT_LOCALE, MESSAGE) % {"code": code, "minutes": minutes}
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310 - checked
                pass
        except urllib.error.HTTPError as exc:
            log.error("sms gateway answered %s for %s", exc.code, masked_tail(phone))
            raise SmsFailed() from None
        except (urllib.error.URLError, OSError) as exc:
            log.error("sms gateway unreachable (%s) for %s", type(exc).__name__, masked_tail(phone))
            raise SmsFailed() from None


def sender_for(settings: Settings) -> Sender:
    if settings.otp_sender == "http":
        if not settings.sms_gateway_url:
            raise RuntimeError("FANGKONG_OTP_SENDER=http needs FANGKONG_SMS_GATEWAY_URL")
        token = settings.sms_gateway_token
        return HttpSender(settings.sms_gateway_url, token.get_secret_value() if token else None)
    return ConsoleSender()
