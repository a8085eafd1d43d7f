"""Secrets of the citizens' sign-in: one-time codes and session tokens, and their hashes."""

from __future__ import annotations

import hmac
import secrets

from fangkong.auth.tokens import signing_key
from fangkong.config import Settings
from fangkong.core import security

SESSION_PREFIX = "fkc_"  # a citizen token never looks like a staff JWT, and vice versa


def new_code(length: int) -> str:
    """``length`` decimal digits from the system's CSPRNG."""
    return "".join(secrets.choice("0123456789") for _ in range(length))


def code_hash(settings: Settings, phone_hash: str, code: str) -> str:
    """A keyed hash of a one-time code, bound to the phone it was sent to."""
    key = signing_key(settings, "citizen_otp")
    return security.keyed_hash(key, f"{phone_hash}:{code}", purpose="otp")


def same(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode(), right.encode())


def new_session_token() -> str:
    return SESSION_PREFIX + security.new_token(32)


def session_hash(token: str) -> str:
    return security.sha256_hex(token)


def looks_like_session(token: str) -> bool:
    return token.startswith(SESSION_PREFIX) and len(token) < 100
