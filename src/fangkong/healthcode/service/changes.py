"""Manual colour changes under four eyes: one officer proposes, a different one decides."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import errors, repository
from fangkong.healthcode.schemas import ChangeIn
from fangkong.healthcode.service.codes import current_edition, readable_person, recompute
from fangkong.models.healthcode import CodeChangeRequest

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def _audit(session: Session, actor: Principal, action: str, change: CodeChangeRequest) -> None:
    person = readable_person(session, actor, change.person_id)
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="code_change_request",
        object_id=change.id,
        region_code=person.grid_code,
        after={
            "person_id": change.person_id,
            "colour": change.colour,
            "status": change.status,
            "until": change.until,
        },
    )


def propose(
    session: Session, *, actor: Principal, data: ChangeIn, appeal_id: int | None = None
) -> CodeChangeRequest:
    readable_person(session, actor, data.person_id)
    if data.until is not None and data.until <= clock.now():
        raise errors.UntilInPast()
    change = CodeChangeRequest(
        person_id=data.person_id,
        colour=data.colour.value,
        reason_text=data.reason,
        until=data.until,
        status=PENDING,
        appeal_id=appeal_id,
        proposed_by=actor.id,
        proposed_by_name=actor.username,
        proposed_at=clock.now(),
    )
    session.add(change)
    session.flush()
    _audit(session, actor, "health_code.change_propose", change)
    return change


def _pending(session: Session, actor: Principal, change_id: int) -> CodeChangeRequest:
    change = repository.scoped_change(session, actor, change_id)
    if change is None:
        raise errors.ChangeRequestNotFound()
    if change.status != PENDING:
        raise errors.ChangeRequestDecided()
    same = change.proposed_by == actor.id if actor.id is not None else False
    if same or change.proposed_by_name == actor.username:
        raise errors.OwnChangeRequest()
    return change


def _decide(change: CodeChangeRequest, actor: Principal, status: str, note: str | None) -> None:
    change.status, change.decision_note = status, note
    change.decided_by, change.decided_by_name, change.decided_at = (
        actor.id,
        actor.username,
        clock.now(),
    )


def approve(
    session: Session, *, actor: Principal, settings: Settings, change_id: int, note: str | None
) -> CodeChangeRequest:
    """Only an approval changes the code; it replaces any earlier manual change in force."""
    change = _pending(session, actor, change_id)
    repository.end_manuals(session, change.person_id, clock.now())
    _decide(change, actor, APPROVED, note)
    session.flush()
    recompute(
        session,
        change.person_id,
        edition=current_edition(session, settings.policy),
        cause="manual",
    )
    _audit(session, actor, "health_code.change_approve", change)
    return change


def reject(
    session: Session, *, actor: Principal, change_id: int, note: str | None
) -> CodeChangeRequest:
    change = _pending(session, actor, change_id)
    _decide(change, actor, REJECTED, note)
    session.flush()
    _audit(session, actor, "health_code.change_reject", change)
    return change


def list_changes(
    session: Session, *, actor: Principal, page: PageParams, status: str | None = PENDING
) -> tuple[Sequence[CodeChangeRequest], str | None]:
    return repository.changes_page(session, actor, page, status)
