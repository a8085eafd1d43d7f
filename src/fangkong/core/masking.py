"""Masking of personal data for lists, logs, exports and audit rows."""

from __future__ import annotations

import re
from typing import Any

MASKED_FIELDS = frozenset({"id_number", "phone", "mobile"})
SECRET_FIELDS = frozenset({"password", "password_hash", "totp_secret", "token", "otp"})
REDACTED = "[redacted]"

_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{3})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_id_number(value: str) -> str:
    """``230102199001011234`` → ``2301**********1234``."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_person_name(value: str) -> str:
    """A name as door staff and cards show it: ``王小明`` → ``王*明``, ``李雷`` → ``李*``."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_field(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in SECRET_FIELDS:
        return REDACTED
    if name == "id_number":
        return mask_id_number(str(value))
    if name in MASKED_FIELDS:
        return mask_phone(str(value))
    return value


def mask_mapping(data: dict[str, Any]) -> dict[str, Any]:
    return {key: mask_field(key, value) for key, value in data.items()}


def scrub_text(text: str) -> str:
    """Mask anything that looks like a resident ID or a mainland mobile number in free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
