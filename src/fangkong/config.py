"""One Settings object, read from ``FANGKONG_*`` environment variables and an optional ``.env``."""

from __future__ import annotations

import base64
import binascii
from functools import cached_property
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KEY_BYTES = 32


def decode_key(value: str) -> bytes:
    """Decode a URL-safe base64 key and insist on 32 bytes."""
    try:
        raw = base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("key is not URL-safe base64") from exc
    if len(raw) != KEY_BYTES:
        raise ValueError(f"key must decode to {KEY_BYTES} bytes, got {len(raw)}")
    return raw


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANGKONG_", env_file=".env", extra="ignore", frozen=True
    )

    env: Literal["production", "demo", "test"] = "production"
    database_url: str = "sqlite:///./var/fangkong.db"
    secret_key: SecretStr | None = None
    data_key: SecretStr | None = None
    policy: str = "cn-9th-2022-06"
    timezone: str = "Asia/Shanghai"
    redis_url: str | None = None
    log_level: str = "INFO"
    log_json: bool = True

    login_max_failures: int = 5
    login_failure_window_minutes: int = 15
    session_idle_minutes: int = 30
    access_token_minutes: int = 15
    auth_cache_seconds: float = 5.0
    # None: Secure cookies in production (served over TLS), plain ones in demo and test.
    secure_cookies: bool | None = None
    # Grid-worker load: more households per worker than this flags the grid as overloaded.
    grid_worker_max_households: int = Field(default=300, ge=1, le=100_000)

    @field_validator("secret_key", "data_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value())
        return value

    @cached_property
    def secret_key_bytes(self) -> bytes:
        return self._required_key(self.secret_key, "FANGKONG_SECRET_KEY")

    @cached_property
    def data_key_bytes(self) -> bytes:
        return self._required_key(self.data_key, "FANGKONG_DATA_KEY")

    @staticmethod
    def _required_key(value: SecretStr | None, name: str) -> bytes:
        if value is None:
            raise RuntimeError(f"{name} is not set; run `fangkong keys generate`")
        return decode_key(value.get_secret_value())

    @property
    def cookies_secure(self) -> bool:
        return self.env == "production" if self.secure_cookies is None else self.secure_cookies

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
