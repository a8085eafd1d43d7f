"""Decisions on contacts and what follows them.

- ``confirm``: ``ContactConfirmed`` (quarantine places the person) and the health-code fact
  (``contact.close`` / ``contact.secondary``, ref ``contact:<id>``); a confirmed close contact
  closes the person's open secondary contact (``upgraded``) and, when the edition identifies
  them, generates its own secondary contacts.
- ``reject`` (a reason is required): a confirmed contact publishes ``ContactClosed`` and its
  fact ends.
- ``release``: the isolation period ended (``PlacementEnded``).
- ``upgrade_secondaries``: the close contact turned positive (``CaseReported``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import Principal
from fangkong.healthcode.events import FactEnded, FactRaised, FactsRaisedEach
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason
from fangkong.tracing.contacts import candidates, exposures, repository, store
from fangkong.tracing.contacts.candidates import Candidate
from fangkong.tracing.events import ContactClosed

FACTS = {"close": Reason.CONTACT_CLOSE, "secondary": Reason.CONTACT_SECONDARY}
SOURCE = "tracing"


def ref(contact: Contact) -> str:
    return f"contact:{contact.id}"


Facts = dict[Reason, list[Contact]]


def confirm(
    session: Session, actor: Principal, contact: Contact, edition: Edition,
    facts: Facts | None = None,
) -> None:  # fmt: skip
    """``facts``: collect the health-code facts for one bulk event (``raise_facts``) rather
    than raising each at once."""
    before = store.snapshot(contact)
    contact.status = "confirmed"
    contact.decided_by, contact.decided_at = actor.id, clock.now()
    session.flush()
    store.audit_contact(session, actor, "contact.confirm", contact, before)
    publish(session, store.confirmed_event(contact))
    reason = FACTS[contact.degree]
    if facts is None:
        publish(session, FactRaised(contact.person_id, reason, SOURCE, ref(contact)))
    else:
        facts.setdefault(reason, []).append(contact)
    if contact.degree == "close":
        _close_secondary_of(session, actor, contact.person_id)
        if edition.contacts.secondary.identified:
            generate_secondary(session, actor, contact, edition)


def raise_facts(session: Session, facts: Facts) -> None:
    """One bulk event per reason, for the contacts still confirmed (a close contact confirmed
    later in the same batch may have closed the person's secondary contact)."""
    for reason, contacts in facts.items():
        items = tuple((c.person_id, ref(c), None) for c in contacts if c.status == "confirmed")
        if items:
            publish(session, FactsRaisedEach(reason, SOURCE, items))


def reject(session: Session, actor: Principal, contact: Contact, reason: str) -> None:
    _close(session, actor, contact, "rejected", reason)


def notify(session: Session, actor: Principal, contact: Contact) -> None:
    before = store.snapshot(contact)
    contact.notified_at = clock.now()
    session.flush()
    store.audit_contact(session, actor, "contact.notify", contact, before)


def release(session: Session, actor: Principal, contact: Contact) -> None:
    if contact.status == "confirmed":
        _close(session, actor, contact, "released")


def _close(
    session: Session, actor: Principal, contact: Contact, status: str, reason: str = ""
) -> None:
    was_confirmed = contact.status == "confirmed"
    before = store.snapshot(contact)
    contact.status, contact.is_open, contact.closed_at = status, False, clock.now()
    if status == "rejected":
        contact.decided_by, contact.decided_at = actor.id, clock.now()
        contact.reject_reason = reason
    session.flush()
    store.audit_contact(session, actor, f"contact.{status}", contact, before)
    if was_confirmed:
        event = ContactClosed(contact.id, contact.person_id, contact.degree, status)
        publish(session, event)
        publish(session, FactEnded(contact.person_id, FACTS[contact.degree], ref(contact)))


def _close_secondary_of(session: Session, actor: Principal, person_id: int) -> None:
    """A person who is a close contact is not also a secondary one."""
    secondary = repository.open_contact(session, person_id, "secondary")
    if secondary is not None:
        _close(session, actor, secondary, "upgraded")


# --- secondary contacts (次密接) -------------------------------------------------------------


def secondary_window(session: Session, contact: Contact) -> tuple[datetime, datetime]:
    """From the close contact's first contact with the case until it was put under control:
    the start of its placement, else the confirmation."""
    end = exposures.controlled_at(session, contact.id) or contact.decided_at or clock.now()
    return contact.first_exposure_at, max(end, contact.first_exposure_at)


def generate_secondary(
    session: Session, actor: Principal, contact: Contact, edition: Edition
) -> int:
    case = repository.first_case_of(session, contact.id)
    if case is None:
        return 0
    start, end = secondary_window(session, contact)
    margin = timedelta(minutes=edition.contacts.same_place_window_minutes)
    found = [
        *candidates.household(session, contact.person_id, start, end),
        *candidates.venue(session, contact.person_id, start, end, margin),
    ]
    found = [_as_secondary(item) for item in candidates.merged(found)]
    close = repository.open_contacts_for(session, (i.person_id for i in found), "close")
    found = [item for item in found if item.person_id not in close]
    target = store.Target(case, "secondary", contact.id)
    return store.store_all(session, actor, target, found, edition)


def _as_secondary(item: Candidate) -> Candidate:
    evidence = item.evidence | {"via": item.reason}
    return Candidate(item.person_id, "secondary", item.start, item.end, evidence)


# --- a close contact turned positive ---------------------------------------------------------


def upgrade_secondaries(session: Session, actor: Principal, case: Case, edition: Edition) -> int:
    """Secondary contacts via the new case's person (an open confirmed close contact) become
    close contacts of the new case, their last exposure kept."""
    close = repository.open_contact(session, case.person_id, "close")
    if close is None or close.status != "confirmed":
        return 0
    if not edition.contacts.secondary.upgrade_on_linked_positive:
        return 0
    upgraded = repository.secondaries_via(session, close.id)
    for secondary, link in upgraded:
        _upgrade(session, actor, case, secondary, link=link, edition=edition)
    return len(upgraded)


def _upgrade(
    session: Session, actor: Principal, case: Case, secondary: Contact, *, link: ContactLink,
    edition: Edition,
) -> None:  # fmt: skip
    was_confirmed = secondary.status == "confirmed"
    _close(session, actor, secondary, "upgraded")
    reason = str(link.evidence.get("via", "household"))
    item = Candidate(secondary.person_id, reason, link.exposure_start_at,
                     secondary.last_exposure_at, dict(link.evidence))  # fmt: skip
    target = store.Target(case)
    contact = store.add(session, actor, target, item, grid=secondary.region_code, edition=edition)
    if was_confirmed and contact.status == "candidate":
        confirm(session, actor, contact, edition)
