"""Sealing identity numbers and phones: ciphertext, lookup hash and masked form in one step.

The AEAD key is ``FANGKONG_DATA_KEY`` (AES-256-GCM, a fresh nonce per value); the field name is
bound as associated data, so an ID ciphertext cannot be passed off as a phone. Exact lookups use
an HMAC-SHA256 under a subkey derived from the same key, so rotating the key (``fangkong people
rotate-key``) re-derives the hashes too and no hash outlives the key it came from.
"""

from __future__ import annotations

import hashlib
import hmac
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


@dataclass(frozen=True)
class Protector:
    key: bytes
    lookup_key: bytes = field(init=False, repr=False)
    # The HMAC keyed with ``lookup_key``, copied for each value: the same digests as
    # ``security.keyed_hash``, without setting the key up again for every value (a bulk import
    # computes three hashes a row, and the key set-up was a third of each).
    _keyed: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        derived = hmac.new(self.key, b"fangkong lookup hash v1", hashlib.sha256).digest()
        object.__setattr__(self, "lookup_key", derived)
        object.__setattr__(self, "_keyed", hmac.new(derived, digestmod=hashlib.sha256))

    def __repr__(self) -> str:
        return "Protector(key=[redacted])"

    def _hash(self, purpose: str, value: str) -> str:
        """``security.keyed_hash(self.lookup_key, value, purpose=purpose)``."""
        keyed = self._keyed.copy()
        keyed.update(f"{purpose}:{value}".encode())
        digest: str = keyed.hexdigest()
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

    def seal_id(self, id_type: str, number: str) -> Sealed:
        ciphertext = security.encrypt(self.key, number.encode(), context=ID_CONTEXT)
        return Sealed(ciphertext, self.id_hash(id_type, number), mask_id_number(number))

    def seal_phone(self, phone: str) -> Sealed:
        ciphertext = security.encrypt(self.key, phone.encode(), context=PHONE_CONTEXT)
        return Sealed(ciphertext, self.phone_hash(phone), mask_phone(phone))

    def open_id(self, ciphertext: bytes) -> str:
        return security.decrypt(self.key, ciphertext, context=ID_CONTEXT).decode()

    def open_phone(self, ciphertext: bytes) -> str:
        return security.decrypt(self.key, ciphertext, context=PHONE_CONTEXT).decode()
