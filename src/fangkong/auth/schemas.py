"""Pydantic models of the auth API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from fangkong.auth.permissions import Role
from fangkong.core.fields import Omissible
from fangkong.core.scoping import REGION_CODE_PATTERN

Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{2,63}$", max_length=64)]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
DisplayName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
Password = Annotated[SecretStr, Field(min_length=10, max_length=128)]
LocaleName = Literal["zh_CN", "en"]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    display_name: DisplayName
    role: Role
    region_code: RegionCode
    password: Password
    locale: LocaleName | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Omissible[DisplayName] = None
    role: Omissible[Role] = None
    region_code: Omissible[RegionCode] = None
    is_active: Omissible[bool] = None
    locale: LocaleName | None = None  # null clears the preference
    password: Omissible[Password] = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    region_code: str
    locale: str | None
    is_active: bool
    totp_enabled: bool
    created_at: datetime
    last_login_at: datetime | None


class UserCreated(UserOut):
    otpauth_uri: str | None = Field(
        default=None, description="Shown once: enrol it in an authenticator app."
    )


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class MeOut(BaseModel):
    id: int
    username: str
    role: str
    region_code: str
    permissions: list[str]
    locale: str | None


@dataclass(frozen=True)
class UserFilters:
    q: str | None = None
    role: str | None = None
    region: str | None = None
    active: bool | None = None
