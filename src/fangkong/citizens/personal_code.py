"""The personal QR code's payload: who (encrypted), until when, and a one-time nonce.

``HC1.`` + URL-safe base64 (no padding) of::

    nonce (12 bytes) | AES-256-GCM( person id: 8 bytes | expiry: 4 bytes, Unix seconds ) + tag

under a key derived with HKDF-SHA256 from ``settings.secret_key_bytes``; the prefix is bound
as associated data. The AEAD nonce is random and doubles as the code's one-time nonce for the
replay guard (``nonces.claim``). Nobody without the server key can read the person id or the
expiry, change a bit, or make a code. Pure functions: "now" is a parameter. See
docs/health-code-qr.md.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fangkong.citizens.errors import PersonalCodeExpired, PersonalCodeInvalid
from fangkong.config import Settings

PREFIX = "HC1."
NONCE_BYTES = 12
TAG_BYTES = 16
BODY = struct.Struct(">QI")  # person id, expiry in Unix seconds
RAW_BYTES = NONCE_BYTES + BODY.size + TAG_BYTES
PAYLOAD_LENGTH = len(PREFIX) + (RAW_BYTES * 4 + 2) // 3
HKDF_INFO = b"fangkong personal code v1"


@dataclass(frozen=True, slots=True)
class IssuedCode:
    payload: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OpenedCode:
    person_id: int
    nonce: str
    expires_at: datetime


@lru_cache(maxsize=4)
def _cipher(secret: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(secret)
    return AESGCM(key)


def issue(settings: Settings, person_id: int, now: datetime, lifetime_minutes: int) -> IssuedCode:
    expires_at = (now + timedelta(minutes=lifetime_minutes)).astimezone(UTC).replace(microsecond=0)
    nonce = os.urandom(NONCE_BYTES)
    body = BODY.pack(person_id, int(expires_at.timestamp()))
    sealed = _cipher(settings.secret_key_bytes).encrypt(nonce, body, PREFIX.encode())
    encoded = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
    return IssuedCode(PREFIX + encoded, expires_at)


def open_payload(settings: Settings, payload: str, now: datetime) -> OpenedCode:
    """The code's person, nonce and expiry; ``PersonalCodeInvalid`` for anything forged,
    garbled or truncated, ``PersonalCodeExpired`` once ``now`` reached the expiry."""
    raw = _decode(payload)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    try:
        body = _cipher(settings.secret_key_bytes).decrypt(nonce, sealed, PREFIX.encode())
    except InvalidTag:
        raise PersonalCodeInvalid() from None
    person_id, expiry = BODY.unpack(body)
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        raise PersonalCodeExpired()
    return OpenedCode(person_id=person_id, nonce=nonce.hex(), expires_at=expires_at)


def _decode(payload: str) -> bytes:
    payload = payload.strip()
    if len(payload) != PAYLOAD_LENGTH or not payload.startswith(PREFIX) or not payload.isascii():
        raise PersonalCodeInvalid()
    text = payload[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PersonalCodeInvalid() from None
    if len(raw) != RAW_BYTES or base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text:
        raise PersonalCodeInvalid()  # one payload per code: no alternative spellings
    return raw
