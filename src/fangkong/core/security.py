"""Primitives for secrets: password hashes, AEAD encryption, keyed hashes, random tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from functools import cache, lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_hasher = PasswordHasher()
NONCE_BYTES = 12


@cache
def dummy_password_hash() -> str:
    """A hash verified when the username is unknown, so timing does not reveal which exist.

    Computed on first use, not at import: argon2 is deliberately slow and every CLI start
    would pay for it."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=8)
def _aead(key: bytes) -> AESGCM:
    """One cipher object per key: building it (key schedule) costs more than a short encryption.

    The object holds no per-message state, so sharing it is safe; a few keys at most are live
    at a time (the data key, and the old and new one while rotating)."""
    return AESGCM(key)


def encrypt(key: bytes, plaintext: bytes, *, context: bytes = b"") -> bytes:
    """AES-256-GCM; the nonce is stored in front of the ciphertext. ``context`` is bound as AAD."""
    nonce = os.urandom(NONCE_BYTES)  # what secrets.token_bytes does, without the extra call
    return nonce + _aead(key).encrypt(nonce, plaintext, context)


def encrypt_many(key: bytes, plaintexts: Sequence[bytes], *, context: bytes = b"") -> list[bytes]:
    """``encrypt`` of each plaintext, in order; the nonces are drawn in one call.

    For bulk work (an import seals two values a row): one ``os.urandom`` for the whole list
    instead of one system call per value. Each value still gets its own fresh random nonce."""
    nonces = os.urandom(NONCE_BYTES * len(plaintexts))
    seal = _aead(key).encrypt
    sealed = []
    for start, plaintext in zip(range(0, len(nonces), NONCE_BYTES), plaintexts, strict=True):
        nonce = nonces[start : start + NONCE_BYTES]
        sealed.append(nonce + seal(nonce, plaintext, context))
    return sealed


def decrypt(key: bytes, blob: bytes, *, context: bytes = b"") -> bytes:
    return _aead(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context)


def keyed_hash(key: bytes, value: str, *, purpose: str) -> str:
    """Deterministic HMAC-SHA256 for exact lookups of encrypted values.

    ``hmac.digest`` is the one-shot C path of ``hmac.new(...).hexdigest()``: the same bytes."""
    return hmac.digest(key, f"{purpose}:{value}".encode(), "sha256").hex()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_key() -> str:
    """A fresh 32-byte key in URL-safe base64, as Settings expects."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"fangkong-key-fingerprint:" + key).hexdigest()
