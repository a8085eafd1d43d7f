"""The personal QR payload: it opens only as issued, expires, and is accepted once."""

from __future__ import annotations

import base64
import secrets
import struct
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import select

from fangkong.citizens import nonces, personal_code
from fangkong.citizens.errors import (
    PersonalCodeExpired,
    PersonalCodeInvalid,
    PersonalCodeReplayed,
)
from fangkong.config import Settings
from fangkong.core import security
from fangkong.models.citizen import CodeNonce

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
PERSON = 4_294_967_311  # beyond 32 bits


def test_a_code_opens_to_its_person_and_expiry(settings):
    issued = personal_code.issue(settings, PERSON, NOW, 5)
    assert issued.expires_at == NOW + timedelta(minutes=5)
    assert issued.payload.startswith("HC1.") and len(issued.payload) == personal_code.PAYLOAD_LENGTH
    assert set(issued.payload[4:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    opened = personal_code.open_payload(settings, issued.payload, NOW + timedelta(minutes=4))
    assert opened.person_id == PERSON and opened.expires_at == issued.expires_at
    assert len(opened.nonce) == 24


def test_the_person_id_is_not_in_the_payload(settings):
    issued = personal_code.issue(settings, PERSON, NOW, 5)
    raw = base64.urlsafe_b64decode(issued.payload[4:] + "==")
    assert str(PERSON) not in issued.payload
    assert struct.pack(">Q", PERSON) not in raw and struct.pack("<Q", PERSON) not in raw


def test_every_code_is_new(settings):
    payloads = {personal_code.issue(settings, PERSON, NOW, 5).payload for _ in range(50)}
    assert len(payloads) == 50


def test_every_changed_character_is_refused(settings):
    payload = personal_code.issue(settings, PERSON, NOW, 5).payload
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for index in range(len(payload)):
        swapped = "B" if payload[index] == "A" else "A"
        tampered = payload[:index] + swapped + payload[index + 1 :]
        if tampered == payload or (tampered[index] not in alphabet and index >= 4):
            continue
        with pytest.raises(PersonalCodeInvalid):
            personal_code.open_payload(settings, tampered, NOW)


@pytest.mark.parametrize(
    "payload",
    ["", "HC1.", "HC1.abc", "HC2." + "A" * 54, "hello world", "HC1." + "=" * 54, "HC1." + "é" * 54],
)
def test_garbage_is_refused(settings, payload):
    with pytest.raises(PersonalCodeInvalid):
        personal_code.open_payload(settings, payload, NOW)


def test_a_code_made_with_another_key_is_refused(settings):
    other = Settings(env="test", secret_key=security.new_key(), data_key=security.new_key())  # type: ignore[arg-type]
    payload = personal_code.issue(other, PERSON, NOW, 5).payload
    with pytest.raises(PersonalCodeInvalid):
        personal_code.open_payload(settings, payload, NOW)


def test_a_code_expires_at_its_expiry(settings):
    payload = personal_code.issue(settings, PERSON, NOW, 5).payload
    personal_code.open_payload(settings, payload, NOW + timedelta(minutes=5, seconds=-1))
    with pytest.raises(PersonalCodeExpired):
        personal_code.open_payload(settings, payload, NOW + timedelta(minutes=5))


# --- replay guard ------------------------------------------------------------------------------


def _nonce() -> str:
    return secrets.token_hex(12)


def test_the_table_accepts_a_nonce_once(session):
    nonce, until = _nonce(), NOW + timedelta(minutes=5)
    nonces.claim(session, None, nonce, until)
    with pytest.raises(PersonalCodeReplayed):
        nonces.claim(session, None, nonce, until)
    nonces.claim(session, None, _nonce(), until)
    assert session.scalars(select(CodeNonce.nonce).where(CodeNonce.nonce == nonce)).all() == [nonce]


@pytest.fixture
def real_redis():
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    client.ping()
    yield client
    client.close()


def test_redis_accepts_a_nonce_once_until_it_expires(session, real_redis):
    from fangkong.core import clock

    nonce = _nonce()
    until = clock.now() + timedelta(minutes=5)
    try:
        nonces.claim(session, real_redis, nonce, until)
        with pytest.raises(PersonalCodeReplayed):
            nonces.claim(session, real_redis, nonce, until)
        ttl = real_redis.ttl(nonces.KEY_PREFIX + nonce)
        assert 0 < ttl <= 300
        assert session.scalars(select(CodeNonce).where(CodeNonce.nonce == nonce)).first() is None
    finally:
        real_redis.delete(nonces.KEY_PREFIX + nonce)


def test_without_redis_reachable_the_table_guards(session, settings):
    # the client production builds (nonces.redis_for), pointed at a port nobody listens on
    down = nonces.redis_for(settings.model_copy(update={"redis_url": "redis://127.0.0.1:9/0"}))
    assert down is not None
    nonce, until = _nonce(), NOW + timedelta(minutes=5)
    nonces.claim(session, down, nonce, until)
    with pytest.raises(PersonalCodeReplayed):
        nonces.claim(session, down, nonce, until)


def test_redis_is_used_when_configured(settings):
    assert nonces.redis_for(settings) is None
    configured = settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    assert isinstance(nonces.redis_for(configured), redis.Redis)
