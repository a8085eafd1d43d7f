"""Pages: login, logout, and the users page (list and create, inside the jurisdiction)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth import service
from fangkong.auth.dependencies import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfChecked,
    WebPrincipal,
    web_require,
)
from fangkong.auth.errors import InvalidCredentials, InvalidOtp
from fangkong.auth.permissions import ASSIGNABLE_ROLES, Perm, Role, may_manage
from fangkong.auth.schemas import UserCreate, UserFilters, UserUpdate
from fangkong.core import security
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import login_attempt
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep, UserIdPath, local_path

router = APIRouter(include_in_schema=False)
UsersPage = Annotated[Principal, Depends(web_require(Perm.USERS_READ))]
UsersForm = Annotated[Principal, Depends(web_require(Perm.USERS_MANAGE))]


@router.get("/login")
def login_page(
    request: Request,
    settings: SettingsDep,
    next_url: Annotated[str, Query(alias="next", max_length=200)] = "/",
) -> Response:
    seed = request.cookies.get(CSRF_COOKIE) or security.new_token(16)
    request.state.csrf_seed = seed
    response = render(request, "login.html", {"next": local_path(next_url), "error": None})
    response.set_cookie(
        CSRF_COOKIE,
        seed,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookies_secure,
    )
    return response


@router.post("/login", dependencies=[CsrfChecked, Depends(login_attempt)])
def login_submit(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=128)],
    otp: Annotated[str | None, Form(max_length=10)] = None,
    next_url: Annotated[str, Form(alias="next", max_length=200)] = "/",
) -> Response:
    try:
        user = service.authenticate(
            session, settings=settings, username=username, password=password, otp=otp
        )
    except DomainError as exc:
        if isinstance(exc, InvalidCredentials | InvalidOtp):
            session.commit()
        context = {"next": local_path(next_url), "error": exc, "username": username}
        return render(request, "login.html", context, status_code=exc.status)
    token = service.start_web_session(session, user=user)
    response = RedirectResponse(local_path(next_url), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
        max_age=settings.session_idle_minutes * 60 * 16,
    )
    response.delete_cookie(CSRF_COOKIE)  # forms now carry a token bound to the session
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession, principal: WebPrincipal) -> Response:
    service.end_web_session(session, actor=principal, token=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _users_context(
    request: Request, session: DbSession, actor: Principal, cursor: str | None, q: str | None
) -> dict[str, Any]:
    filters = UserFilters(q=q or None)
    page = PageParams(limit=50, cursor=cursor)
    rows, next_cursor = service.list_users(session, actor=actor, filters=filters, page=page)
    roles = sorted(ASSIGNABLE_ROLES.get(Role(actor.role), frozenset()))
    return {
        "users": rows,
        "next_cursor": next_cursor,
        "q": q or "",
        "roles": roles,
        "manageable": {r.value for r in Role if may_manage(actor.role, r)}
        if actor.can(Perm.USERS_MANAGE)
        else set(),
        "errors": {},
        "form": {},
    }


@router.get("/users")
def users_page(
    request: Request,
    session: DbSession,
    actor: UsersPage,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    template = "partials/users_rows.html" if request.headers.get("hx-request") else "users.html"
    return render(request, template, _users_context(request, session, actor, cursor, q))


@router.post("/users", dependencies=[CsrfChecked])
def users_create(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: UsersForm,
    username: Annotated[str, Form(max_length=200)],
    display_name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=32)],
    region_code: Annotated[str, Form(max_length=32)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    form = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "region_code": region_code,
    }
    try:
        data = UserCreate(**form, password=password)
        user, uri = service.create_user(session, actor=actor, settings=settings, data=data)
    except ValidationError as exc:
        return _users_form_error(
            request, session, actor, form, {str(e["loc"][0]): e["msg"] for e in exc.errors()}
        )
    except DomainError as exc:
        session.rollback()
        return _users_form_error(request, session, actor, form, {"_": exc}, exc.status)
    context = _users_context(request, session, actor, None, None) | {
        "created": user,
        "otpauth_uri": uri,
    }
    return render(request, "users.html", context, status_code=201)


def _users_form_error(
    request: Request,
    session: DbSession,
    actor: Principal,
    form: dict[str, str],
    errors: dict[str, Any],
    status_code: int = 422,
) -> Response:
    context = _users_context(request, session, actor, None, None) | {"form": form, "errors": errors}
    return render(request, "users.html", context, status_code=status_code)


@router.post("/users/{user_id}/active", dependencies=[CsrfChecked])
def users_set_active(
    request: Request,
    session: DbSession,
    actor: UsersForm,
    user_id: UserIdPath,
    active: Annotated[bool, Form()],
) -> Response:
    """Deactivate or reactivate a user (their sessions and tokens end at once)."""
    service.update_user(session, actor=actor, user_id=user_id, changes=UserUpdate(is_active=active))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/totp", dependencies=[CsrfChecked])
def users_reset_totp(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: UsersForm,
    user_id: UserIdPath,
) -> Response:
    """Enrol a new second factor (a lost phone); the URI is shown once."""
    uri = service.enrol_totp(session, actor=actor, settings=settings, user_id=user_id)
    user = service.get_user(session, actor=actor, user_id=user_id)
    context = _users_context(request, session, actor, None, None)
    return render(request, "users.html", context | {"enrolled": user, "otpauth_uri": uri})
