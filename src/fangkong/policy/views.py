"""Page: the editions, the active one, and the switch for city administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.policy import service

router = APIRouter(include_in_schema=False)
PolicyPage = Annotated[Principal, Depends(web_require(Perm.POLICY_READ))]
PolicyForm = Annotated[Principal, Depends(web_require(Perm.POLICY_MANAGE))]


@router.get("/policy")
def policy_page(
    request: Request, session: DbSession, settings: SettingsDep, actor: PolicyPage
) -> Response:
    current = service.active_edition(session, default=settings.policy)
    context = {
        "editions": service.editions(),
        "active": current,
        "can_manage": actor.can(Perm.POLICY_MANAGE),
    }
    return render(request, "policy.html", context)


@router.post("/policy/activate", dependencies=[CsrfChecked])
def policy_activate(
    session: DbSession,
    settings: SettingsDep,
    actor: PolicyForm,
    edition_id: Annotated[str, Form(max_length=64)],
) -> Response:
    service.activate(session, actor=actor, edition_id=edition_id, default=settings.policy)
    return RedirectResponse("/policy", status_code=303)
