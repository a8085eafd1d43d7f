"""A merge of two person records (``PersonMerged``) as contacts see it.

The merged record's contacts move to the kept person. Where both records hold an open contact
of the same degree (one open row per person and degree), the two fold into one: the stronger
stays open (confirmed over candidate; on a tie, the kept person's), it takes the other's links,
placements and the union of both exposure windows, and the other closes as ``merged``. When
both were confirmed, the folded one's health-code fact ends, published for both ids because the
health-code engine may move the merged record's facts before or after this handler runs."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import Principal
from fangkong.core.repoint import repoint
from fangkong.healthcode.events import FactEnded
from fangkong.models.contacts import Contact, ContactLink
from fangkong.models.quarantine import Placement
from fangkong.tracing.contacts import repository, store
from fangkong.tracing.contacts.decisions import FACTS, ref

DEGREES = ("close", "secondary")


def person_merged(session: Session, *, actor: Principal, merged_id: int, kept_id: int) -> None:
    for degree in DEGREES:
        merged = repository.open_contact(session, merged_id, degree)
        kept = repository.open_contact(session, kept_id, degree)
        if merged is not None and kept is not None:
            _fold(session, actor, (merged_id, kept_id), *_ranked(merged, kept))
    repoint(session, (Contact.person_id,), merged_id, kept_id)


def _ranked(merged: Contact, kept: Contact) -> tuple[Contact, Contact]:
    """(the one that stays open, the one folded into it)."""
    if merged.status == "confirmed" and kept.status != "confirmed":
        return merged, kept
    return kept, merged


def _fold(
    session: Session, actor: Principal, people: tuple[int, int], stays: Contact, folded: Contact
) -> None:
    before = store.snapshot(stays)
    stays.first_exposure_at = min(stays.first_exposure_at, folded.first_exposure_at)
    stays.last_exposure_at = max(stays.last_exposure_at, folded.last_exposure_at)
    both_confirmed = stays.status == folded.status == "confirmed"
    folded_before = store.snapshot(folded)
    folded.status, folded.is_open, folded.closed_at = "merged", False, clock.now()
    session.flush()
    columns = (ContactLink.contact_id, ContactLink.via_contact_id, Placement.contact_id)
    repoint(session, columns, folded.id, stays.id)
    store.audit_contact(session, actor, "contact.merge", stays, before)
    store.audit_contact(session, actor, "contact.merged", folded, folded_before)
    if both_confirmed:
        for person_id in people:
            publish(session, FactEnded(person_id, FACTS[folded.degree], ref(folded)))
