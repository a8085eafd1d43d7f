"""Sealing identity numbers and phones: ciphertext, lookup hash and masked form in one step.

The AEAD key is ``FANGKONG_DATA_KEY`` (AES-256-GCM, a fresh nonce per value); the field name is
bound as associated data, so an ID ciphertext cannot be passed off as a phone. Exact lookups use
an HMAC-SHA256 under a subkey derived from the same key, so rotating the key (``fangkong people
rotate-key``) re-derives the hashes too and no hash outlives the key it came from.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from fangkong.core import security
from fangkong.core.masking import mask_id_number, mask_phone

ID_CONTEXT = b"person.id_number"
PHONE_CONTEXT = b"person.phone"


class Sealed(NamedTuple):
    ciphertext: bytes
    lookup_hash: str
    masked: str


_BLOCK = 64  # SHA-256's block size: an HMAC key pads to it (RFC 2104)


@dataclass(frozen=True)
class Protector:
    key: bytes
    lookup_key: bytes = field(init=False, repr=False)
    # SHA-256 states that have absorbed ``lookup_key`` XOR ipad and XOR opad (RFC 2104), copied
    # for each value: the same digests as ``security.keyed_hash``, without setting the key up
    # again for every value (a bulk import computes three hashes a row; the key set-up was a
    # third of each, and ``hmac.HMAC.copy`` is a Python-level wrapper around two such copies).
    _inner: Any = field(init=False, repr=False, compare=False)
    _outer: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        derived = hmac.new(self.key, b"fangkong lookup hash v1", hashlib.sha256).digest()
        padded = derived.ljust(_BLOCK, b"\0")  # 32 bytes: shorter than a block, never hashed
        object.__setattr__(self, "lookup_key", derived)
        object.__setattr__(self, "_inner", hashlib.sha256(bytes(b ^ 0x36 for b in padded)))
        object.__setattr__(self, "_outer", hashlib.sha256(bytes(b ^ 0x5C for b in padded)))

    def __repr__(self) -> str:
        return "Protector(key=[redacted])"

    def _hash(self, purpose: str, value: str) -> str:
        """``security.keyed_hash(self.lookup_key, value, purpose=purpose)``."""
        inner = self._inner.copy()
        inner.update(f"{purpose}:{value}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        digest: str = outer.hexdigest()
        return digest

    def id_hash(self, id_type: str, number: str) -> str:
        return self._hash("id", f"{id_type}:{number}")

    def phone_hash(self, phone: str) -> str:
        return self._hash("phone", phone)

    def match_key(self, name: str, birth_date: date, phone: str | None) -> str | None:
        """Likely-duplicate key: the same name, birth date and phone (None without a phone)."""
        if not phone:
            return None
        return self._hash("match", f"{name}|{birth_date.isoformat()}|{phone}")

    def id_hashes(self, documents: Iterable[tuple[str, str]]) -> list[str]:
        """``id_hash`` of each (type, number), in one loop (for bulk callers)."""
        return self._hashes(f"id:{id_type}:{number}" for id_type, number in documents)

    def phone_hashes(self, phones: Iterable[str]) -> list[str]:
        """``phone_hash`` of each phone, in one loop."""
        return self._hashes(f"phone:{phone}" for phone in phones)

    def match_keys(self, people: Iterable[tuple[str, date, str]]) -> list[str]:
        """``match_key`` of each (name, birth date, phone), every one with a phone."""
        return self._hashes(f"match:{n}|{born.isoformat()}|{p}" for n, born, p in people)

    def _hashes(self, texts: Iterable[str]) -> list[str]:
        """``_hash`` of each ``purpose:value`` text: an import hashes three values a row, and
        the two Python calls per value around the C work were a fifth of it."""
        inner_state, outer_state = self._inner, self._outer
        digests = []
        for text in texts:
            inner = inner_state.copy()
            inner.update(text.encode())
            outer = outer_state.copy()
            outer.update(inner.digest())
            digests.append(outer.hexdigest())
        return digests

    def seal_id(self, id_type: str, number: str) -> Sealed:
        ciphertext = security.encrypt(self.key, number.encode(), context=ID_CONTEXT)
        return Sealed(ciphertext, self.id_hash(id_type, number), mask_id_number(number))

    def seal_phone(self, phone: str) -> Sealed:
        ciphertext = security.encrypt(self.key, phone.encode(), context=PHONE_CONTEXT)
        return Sealed(ciphertext, self.phone_hash(phone), mask_phone(phone))

    def encrypt_ids(self, numbers: Sequence[str]) -> list[bytes]:
        """The ciphertexts ``seal_id`` would store for these numbers, in one call."""
        return security.encrypt_many(self.key, [n.encode() for n in numbers], context=ID_CONTEXT)

    def encrypt_phones(self, phones: Sequence[str]) -> list[bytes]:
        """The ciphertexts ``seal_phone`` would store for these phones, in one call."""
        plaintexts = [phone.encode() for phone in phones]
        return security.encrypt_many(self.key, plaintexts, context=PHONE_CONTEXT)

    def open_id(self, ciphertext: bytes) -> str:
        return security.decrypt(self.key, ciphertext, context=ID_CONTEXT).decode()

    def open_phone(self, ciphertext: bytes) -> str:
        return security.decrypt(self.key, ciphertext, context=PHONE_CONTEXT).decode()
