"""Contacts' part of a person's timeline: became a contact (of which case), and decided."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.models.contacts import Contact
from fangkong.people.timeline import Entry, Msg, source
from fangkong.tracing.contacts import service
from fangkong.tracing.contacts.labels import DEGREES, STATUSES

TONES = {"confirmed": "alert", "candidate": "warn", "rejected": "ok", "released": "ok"}


@source
def contacts(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.TRACING_READ):
        return []
    entries: list[Entry] = []
    for contact, case_nos in service.contacts_of_person(session, person_id):
        entries.append(_named(contact, case_nos))
        if contact.decided_at is not None or contact.closed_at is not None:
            entries.append(_decided(contact))
    return entries


def _named(contact: Contact, case_nos: list[str]) -> Entry:
    return Entry(
        at=contact.created_at, domain="tracing",
        text=N_("%(degree)s of case %(cases)s"),
        params={"degree": Msg(DEGREES[contact.degree]), "cases": "、".join(case_nos)},
        link=f"/tracing/contacts/{contact.id}", tone="warn",
    )  # fmt: skip


def _decided(contact: Contact) -> Entry:
    at = contact.closed_at or contact.decided_at or contact.created_at
    return Entry(
        at=at, domain="tracing", text=N_("%(degree)s: %(status)s"),
        params={"degree": Msg(DEGREES[contact.degree]),
                "status": Msg(STATUSES[contact.status])},
        link=f"/tracing/contacts/{contact.id}", tone=TONES.get(contact.status, ""),
    )  # fmt: skip
