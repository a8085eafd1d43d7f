"""JSON routes: ``/api/v1/auth/*`` and ``/api/v1/users``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Response, status

from fangkong.auth import service, tokens
from fangkong.auth.dependencies import ApiPrincipal, UsersManage, UsersRead
from fangkong.auth.errors import InvalidCredentials, InvalidOtp
from fangkong.auth.schemas import (
    MeOut,
    TokenOut,
    UserCreate,
    UserCreated,
    UserFilters,
    UserOut,
    UserUpdate,
)
from fangkong.core.pagination import Page, PageParams
from fangkong.core.ratelimit import login_attempt
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, SettingsDep, UserIdPath, json_of, page_params

router = APIRouter(prefix="/api/v1", tags=["auth"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.post("/auth/token", response_model=TokenOut, dependencies=[Depends(login_attempt)])
def issue_token(
    session: DbSession,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=128)],
    otp: Annotated[str | None, Form(max_length=10)] = None,
) -> TokenOut:
    try:
        user = service.authenticate(
            session, settings=settings, username=username, password=password, otp=otp
        )
    except (InvalidCredentials, InvalidOtp):
        session.commit()  # keep the failed attempt for lockout, though the request fails
        raise
    token = tokens.issue(settings, user)
    return TokenOut(access_token=token, expires_in=settings.access_token_minutes * 60)


@router.get("/auth/me", response_model=MeOut)
async def me(principal: ApiPrincipal) -> Response:
    me = MeOut(
        id=principal.id or 0,
        username=principal.username,
        role=principal.role,
        region_code=principal.region_code,
        permissions=sorted(principal.permissions),
        locale=principal.locale,
    )
    return json_of(me)


@router.get("/users", response_model=Page[UserOut])
def list_users(
    session: DbSession,
    actor: UsersRead,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=64)] = None,
    role: Annotated[str | None, Query(max_length=32)] = None,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
    active: bool | None = None,
) -> Page[UserOut]:
    filters = UserFilters(q=q, role=role, region=region, active=active)
    rows, cursor = service.list_users(session, actor=actor, filters=filters, page=paging)
    return Page(items=[UserOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post("/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
def create_user(
    session: DbSession, settings: SettingsDep, actor: UsersManage, data: UserCreate
) -> UserCreated:
    user, uri = service.create_user(session, actor=actor, settings=settings, data=data)
    return UserCreated.model_validate(user).model_copy(update={"otpauth_uri": uri})


@router.get("/users/{user_id}", response_model=UserOut)
def get_user(session: DbSession, actor: UsersRead, user_id: UserIdPath) -> UserOut:
    return UserOut.model_validate(service.get_user(session, actor=actor, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(
    session: DbSession, actor: UsersManage, user_id: UserIdPath, changes: UserUpdate
) -> UserOut:
    user = service.update_user(session, actor=actor, user_id=user_id, changes=changes)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/totp", response_model=UserCreated)
def enrol_totp(
    session: DbSession, settings: SettingsDep, actor: UsersManage, user_id: UserIdPath
) -> UserCreated:
    uri = service.enrol_totp(session, actor=actor, settings=settings, user_id=user_id)
    user = service.get_user(session, actor=actor, user_id=user_id)
    return UserCreated.model_validate(user).model_copy(update={"otpauth_uri": uri})
