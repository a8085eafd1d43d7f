"""The driver as the epidemiologist on duty: every contact candidate the platform's rules found
is confirmed at the end of the day (the platform then places each one). A real team would
interview and reject some; the run measures the rules themselves."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.pagination import MAX_LIMIT, PageParams
from fangkong.core.principal import Principal
from fangkong.tracing.contacts import service as contacts
from fangkong.tracing.contacts.schemas import Action, DecisionIn


def confirm_candidates(session: Session, *, actor: Principal) -> int:
    """Confirm every candidate in the actor's jurisdiction; returns how many."""
    where = contacts.ContactFilter(status="candidate")
    confirmed = 0
    while True:
        rows, _ = contacts.list_contacts(
            session, actor=actor, page=PageParams(limit=MAX_LIMIT), where=where
        )
        if not rows:
            return confirmed
        data = DecisionIn(action=Action.CONFIRM, ids=[row.id for row in rows])
        confirmed += contacts.decide(session, actor=actor, data=data).count
