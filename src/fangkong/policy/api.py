"""``/api/v1/policy``: the active edition, the shipped editions, switching (city admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from fangkong.auth.dependencies import PolicyManage, PolicyRead
from fangkong.core.web import DbSession, SettingsDep
from fangkong.policy import service
from fangkong.policy.loader import get_edition

router = APIRouter(prefix="/api/v1/policy", tags=["policy"])


class EditionSummary(BaseModel):
    id: str
    title: str
    title_en: str
    effective_on: str
    base: str | None
    active: bool


class ActivateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edition_id: str


def _summary(edition: Any, active: str) -> EditionSummary:
    return EditionSummary(
        id=edition.id,
        title=edition.title,
        title_en=edition.title_en,
        effective_on=edition.effective_on.isoformat(),
        base=edition.base,
        active=edition.id == active,
    )


@router.get("/active")
def active(session: DbSession, settings: SettingsDep, _actor: PolicyRead) -> dict[str, Any]:
    edition = service.active_edition(session, default=settings.policy)
    return edition.model_dump(mode="json")


@router.get("/editions", response_model=list[EditionSummary])
def editions(session: DbSession, settings: SettingsDep, _actor: PolicyRead) -> list[EditionSummary]:
    current = service.active_id(session, default=settings.policy)
    return [_summary(e, current) for e in service.editions()]


@router.get("/editions/{edition_id}")
def edition(edition_id: str, _actor: PolicyRead) -> dict[str, Any]:
    return get_edition(edition_id).model_dump(mode="json")


@router.put("/active", response_model=EditionSummary)
def activate(
    session: DbSession, settings: SettingsDep, actor: PolicyManage, data: ActivateIn
) -> EditionSummary:
    chosen = service.activate(
        session, actor=actor, edition_id=data.edition_id, default=settings.policy
    )
    return _summary(chosen, chosen.id)
