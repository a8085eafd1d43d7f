"""The active policy edition: read it, switch it (audited). Rule values never live in code.

The active edition is one row in ``policy_state``; with no row, the deployment's
``FANGKONG_POLICY`` setting applies. Every worker reads the row, so a switch reaches all
of them on their next request.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import PolicyState
from fangkong.policy.loader import available_editions, get_edition
from fangkong.policy.schema import Edition

STATE_ID = 1


def active_id(session: Session, *, default: str) -> str:
    state = session.get(PolicyState, STATE_ID)
    return state.edition_id if state else default


def active_edition(session: Session, *, default: str) -> Edition:
    return get_edition(active_id(session, default=default))


def editions() -> list[Edition]:
    return sorted(available_editions().values(), key=lambda e: (e.effective_on, e.id))


def activate(session: Session, *, actor: Principal, edition_id: str, default: str) -> Edition:
    """Make ``edition_id`` the active edition for the whole deployment."""
    edition = get_edition(edition_id)
    previous = active_id(session, default=default)
    state = session.get(PolicyState, STATE_ID)
    if state is None:
        state = PolicyState(id=STATE_ID, edition_id=edition.id, changed_by=actor.username)
        session.add(state)
    state.edition_id, state.changed_by, state.changed_at = edition.id, actor.username, clock.now()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="policy.activate",
        object_type="policy",
        object_id=edition.id,
        before={"edition_id": previous},
        after={"edition_id": edition.id},
    )
    return edition
