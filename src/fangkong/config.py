"""One Settings object, read from ``FANGKONG_*`` environment variables and an optional ``.env``."""

from __future__ import annotations

import base64
import binascii
from functools import cached_property
from pathlib import Path
from typing import Literal

from limits import parse_many
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
    # Retention windows that are operational, not epidemiological (docs/retention.md). Network
    # logs are kept at least six months (网络安全法 第二十一条), hence 180 days.
    retention_login_attempts_days: int = Field(default=1, ge=1, le=3650)
    retention_access_log_days: int = Field(default=180, ge=180, le=3650)
    retention_audit_mask_days: int = Field(default=180, ge=180, le=3650)
    # Request bodies above this are refused with 413 before they are read; upload routes
    # declare their own, larger limit.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Rate limits in the ``limits`` notation ("10/minute", several joined by ";"), counted in
    # Redis when redis_url is set, else in the worker's memory.
    rate_limit_login: str = "10/minute"  # per username
    rate_limit_login_address: str = "30/minute"  # per client address
    rate_limit_search: str = "60/minute"  # per user: name queries and exact searches
    rate_limit_export: str = "10/minute"  # per user: spreadsheet downloads
    # Overload guard (core/overload.py): requests in flight per worker process (0: no guard)
    # and how long a request beyond them may wait for a slot before it is refused with 503.
    max_inflight: int = Field(default=8, ge=0, le=10_000)
    inflight_wait_ms: int = Field(default=150, ge=0, le=10_000)

    # Where citizens reach the site: place codes encode {public_url}/checkin/{token}.
    public_url: str = "http://127.0.0.1:8000"
    # Citizen sign-in by a one-time code to the phone (docs/citizens.md).
    otp_sender: Literal["console", "http"] = "console"
    otp_length: int = Field(default=6, ge=4, le=10)
    otp_minutes: int = Field(default=5, ge=1, le=60)
    otp_max_attempts: int = Field(default=5, ge=1, le=20)
    sms_gateway_url: str | None = None  # the HTTP sender posts {phone, text} here
    sms_gateway_token: SecretStr | None = None
    citizen_session_days: int = Field(default=30, ge=1, le=365)
    rate_limit_otp: str = "3/minute;10/hour"  # per phone number
    rate_limit_otp_address: str = "30/minute"  # per client address
    # Scans (扫码): per scanning device and per venue; the entry check's database budget,
    # beyond which it answers from the last known colour, marked stale.
    rate_limit_scan_device: str = "120/minute"
    rate_limit_scan_venue: str = "6000/minute"
    entry_check_timeout_ms: int = Field(default=300, ge=10, le=10_000)
    # The entry check's scans are written behind its answer, in batches at most this far
    # apart (scans/writer.py); 0 writes each scan before answering. Beyond ``scan_write_queue``
    # rows waiting (the database down) a check answers ``recorded: false``.
    scan_write_batch_ms: int = Field(default=50, ge=0, le=5_000)
    scan_write_queue: int = Field(default=100_000, ge=100, le=10_000_000)
    retention_otp_days: int = Field(default=1, ge=1, le=3650)
    # Scans are kept this long even during the emergency: two incubation windows of look-back
    # for tracing; the trip card (行程卡) of 2022 kept 14 days.
    retention_scans_days: int = Field(default=28, ge=14, le=3650)
    # Exports (docs/exports.md): files are written here; up to ``export_inline_rows`` rows are
    # written during the request, more by the worker; personal data above
    # ``export_approval_rows`` rows waits for a superior's approval; files are kept
    # ``export_keep_hours``. ``export_worker``: a worker thread in each web process (None: yes,
    # except in tests); without it ``fangkong exports run`` does the work.
    export_dir: Path = Path("./var/exports")
    export_inline_rows: int = Field(default=5_000, ge=0, le=1_000_000)
    export_approval_rows: int = Field(default=1_000, ge=0, le=100_000_000)
    export_keep_hours: int = Field(default=72, ge=1, le=24 * 90)
    # Care (docs/care.md): hours a livelihood or one-to-one request has until it is due, by
    # kind. A city's service commitment, not an edition's epidemiological rule, hence settings.
    care_hours_medical: int = Field(default=2, ge=1, le=24 * 7)
    care_hours_medicine: int = Field(default=24, ge=1, le=24 * 7)
    care_hours_food: int = Field(default=24, ge=1, le=24 * 7)
    care_hours_other: int = Field(default=48, ge=1, le=24 * 7)
    care_hours_service: int = Field(default=48, ge=1, le=24 * 7)
    export_worker: bool | None = None
    # Supervision (docs/supervision.md): a local credit rule, not epidemic policy: a property
    # company starts with this credit score and is on the black list (黑榜) below the line.
    supervision_credit_start: int = Field(default=100, ge=1, le=1000)
    supervision_black_list_below: int = Field(default=80, ge=0, le=1000)
    # Inspection photos are files here (the database holds their names and types).
    supervision_photo_dir: Path = Path("./var/supervision-photos")

    @field_validator("secret_key", "data_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value())
        return value

    @field_validator(
        "rate_limit_login",
        "rate_limit_login_address",
        "rate_limit_search",
        "rate_limit_export",
        "rate_limit_otp",
        "rate_limit_otp_address",
        "rate_limit_scan_device",
        "rate_limit_scan_venue",
    )
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        parse_many(value)  # raises ValueError with the offending part
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
    def export_worker_enabled(self) -> bool:
        return self.env != "test" if self.export_worker is None else self.export_worker

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
