"""Appeals (申诉): citizens file them; officers with ``health_code.appeals`` decide."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.errors import PermissionDenied
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import errors, repository
from fangkong.healthcode.schemas import AppealDecisionIn, AppealView, ChangeIn
from fangkong.healthcode.service import changes
from fangkong.healthcode.service.codes import current_edition, end_fact, readable_person
from fangkong.models.healthcode import CodeAppeal
from fangkong.people.errors import PersonNotFound

OPEN, UPHELD, REJECTED = "open", "upheld", "rejected"
MAX_TEXT = 1000
CHANGE_PERMISSION = "health_code.change"


def view(appeal: CodeAppeal) -> AppealView:
    return AppealView(
        id=appeal.id,
        person_id=appeal.person_id,
        text=appeal.text,
        status=appeal.status,
        filed_at=appeal.filed_at,
        decided_at=appeal.decided_at,
        decision_text=appeal.decision_text,
    )


def file_appeal(session: Session, person_id: int, text: str) -> AppealView:
    """A citizen's appeal against their own code (the caller has authenticated the citizen)."""
    text = text.strip()
    if not 1 <= len(text) <= MAX_TEXT or any(ord(c) < 0x20 and c not in "\n\t" for c in text):
        raise errors.AppealText()
    person = repository.person_exists(session, person_id)
    if person is None:
        raise PersonNotFound()
    appeal = CodeAppeal(person_id=person_id, text=text, status=OPEN, filed_at=clock.now())
    session.add(appeal)
    session.flush()
    citizen = Principal(
        id=None, username=f"citizen:{person_id}", role="citizen", region_code=person.grid_code
    )
    audit.record(
        session,
        actor=citizen,
        action="health_code.appeal_file",
        object_type="code_appeal",
        object_id=appeal.id,
        region_code=person.grid_code,
        after={"person_id": person_id},
    )
    return view(appeal)


def appeals_of(session: Session, person_id: int) -> list[AppealView]:
    return [view(appeal) for appeal in repository.appeals_of(session, person_id)]


def list_appeals(
    session: Session, *, actor: Principal, page: PageParams, status: str | None = OPEN
) -> tuple[Sequence[CodeAppeal], str | None]:
    return repository.appeals_page(session, actor, page, status)


def _remedy(
    session: Session, actor: Principal, settings: Settings, appeal: CodeAppeal,
    data: AppealDecisionIn,
) -> None:  # fmt: skip
    if data.fact_id is not None:
        fact = repository.scoped_fact(session, actor, data.fact_id)
        if fact is None or fact.person_id != appeal.person_id:
            raise errors.FactNotFound()
        if fact.ended_at is not None:
            raise errors.FactEndedAlready()
        edition = current_edition(session, settings.policy)
        end_fact(session, fact, by=actor.username, edition=edition)
        appeal.ended_fact_id = fact.id
    elif data.colour is not None:
        if not actor.can(CHANGE_PERMISSION):
            raise PermissionDenied()
        proposal = ChangeIn(person_id=appeal.person_id, colour=data.colour, reason=data.text[:500])
        change = changes.propose(session, actor=actor, data=proposal, appeal_id=appeal.id)
        appeal.change_request_id = change.id


def decide(
    session: Session,
    *,
    actor: Principal,
    settings: Settings,
    appeal_id: int,
    data: AppealDecisionIn,
) -> CodeAppeal:
    """Upheld: end the disputed fact, or propose a colour change (a second officer approves
    it). Rejected: nothing changes but the appeal's status."""
    appeal = repository.scoped_appeal(session, actor, appeal_id)
    if appeal is None:
        raise errors.AppealNotFound()
    if appeal.status != OPEN:
        raise errors.AppealDecided()
    remedies = (data.fact_id is not None) + (data.colour is not None)
    if (data.decision == UPHELD and remedies != 1) or (data.decision == REJECTED and remedies):
        raise errors.AppealRemedy()
    if data.decision == UPHELD:
        _remedy(session, actor, settings, appeal, data)
    appeal.status, appeal.decision_text = data.decision, data.text
    appeal.decided_by, appeal.decided_by_name, appeal.decided_at = (
        actor.id,
        actor.username,
        clock.now(),
    )
    session.flush()
    person = readable_person(session, actor, appeal.person_id)
    audit.record(
        session,
        actor=actor,
        action="health_code.appeal_decide",
        object_type="code_appeal",
        object_id=appeal.id,
        region_code=person.grid_code,
        after={
            "status": appeal.status,
            "ended_fact_id": appeal.ended_fact_id,
            "change_request_id": appeal.change_request_id,
        },
    )
    return appeal
