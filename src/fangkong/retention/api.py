"""``/api/v1/emergency``: the end-of-emergency switch and the retention rules (city admins)."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.core.web import DbSession, SettingsDep
from fangkong.retention import service
from fangkong.retention.dependencies import EmergencyManage
from fangkong.retention.schemas import EmergencyEndIn, EmergencyOut, RuleOut

router = APIRouter(prefix="/api/v1/emergency", tags=["emergency"])


@router.get("", response_model=EmergencyOut)
def emergency(session: DbSession, settings: SettingsDep, _actor: EmergencyManage) -> EmergencyOut:
    return EmergencyOut.model_validate(service.current(session, settings=settings))


@router.post("/end", response_model=EmergencyOut)
def end_emergency(
    session: DbSession, settings: SettingsDep, actor: EmergencyManage, data: EmergencyEndIn
) -> EmergencyOut:
    """Declare the emergency ended on ``ended_on``; the retention countdown starts."""
    state = service.end(session, actor=actor, settings=settings, ended_on=data.ended_on)
    return EmergencyOut.model_validate(state)


@router.delete("/end", response_model=EmergencyOut)
def undo_end(session: DbSession, settings: SettingsDep, actor: EmergencyManage) -> EmergencyOut:
    """Withdraw the end of the emergency, before the countdown runs out."""
    return EmergencyOut.model_validate(service.undo(session, actor=actor, settings=settings))


@router.get("/retention-rules", response_model=list[RuleOut])
def retention_rules(
    session: DbSession, settings: SettingsDep, _actor: EmergencyManage
) -> list[RuleOut]:
    return [RuleOut.model_validate(row) for row in service.overview(session, settings=settings)]
