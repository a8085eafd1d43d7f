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

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import Principal
from fangkong.healthcode.events import FactEnded, FactsRaisedEach
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason
from fangkong.tracing.contacts import candidates, exposures, repository, store
from fangkong.tracing.contacts.candidates import Candidate
from fangkong.tracing.events import ContactClosed, ContactsConfirmed

FACTS = {"close": Reason.CONTACT_CLOSE, "secondary": Reason.CONTACT_SECONDARY}
SOURCE = "tracing"


def ref(contact: Contact) -> str:
    return f"contact:{contact.id}"


Facts = dict[Reason, list[Contact]]


def confirm(session: Session, actor: Principal, contact: Contact, edition: Edition) -> None:
    """One contact confirmed (a secondary contact upgraded to a close one): ``confirm_many``
    of one."""
    confirm_many(session, actor, [contact], edition)


def confirm_many(
    session: Session, actor: Principal, contacts: Sequence[Contact], edition: Edition
) -> None:
    """A decision batch confirmed together: one flush, the audit rows in one insert, one
    ``ContactsConfirmed`` (quarantine places them together, so their placements exist before
    the secondary windows are read); a close contact closes the person's open secondary
    contact (``upgraded``), then the health-code facts of those still confirmed, one event per
    reason; then the secondary contacts of the close ones, generated in one pass. A secondary
    contact of the batch whose person is also a close contact of it is not confirmed: it is
    closed ``upgraded`` with the person's other open secondary contact.

    Bulk work (``store.bulk``)."""
    close_people = {contact.person_id for contact in contacts if contact.degree == "close"}
    contacts = [c for c in contacts if c.degree == "close" or c.person_id not in close_people]
    if not contacts:
        return
    with store.bulk(session):
        _confirm(session, actor, contacts, close_people, edition)


def _confirm(
    session: Session, actor: Principal, contacts: Sequence[Contact], close_people: set[int],
    edition: Edition,
) -> None:  # fmt: skip
    before = {contact.id: store.snapshot(contact) for contact in contacts}
    now = clock.now()
    for contact in contacts:
        contact.status, contact.decided_by, contact.decided_at = "confirmed", actor.id, now
    session.flush()
    audit.record_many(session, actor=actor, entries=[
        store.audit_entry("contact.confirm", c, before[c.id]) for c in contacts
    ])  # fmt: skip
    publish(session, ContactsConfirmed(tuple(store.confirmed_event(c) for c in contacts)))
    close = [contact for contact in contacts if contact.degree == "close"]
    _close_secondaries_of(session, actor, sorted(close_people))
    _raise_facts(session, contacts)
    if close and edition.contacts.secondary.identified:
        generate_secondaries(session, actor, close, edition)


def _raise_facts(session: Session, contacts: Sequence[Contact]) -> None:
    """One bulk event per reason, for the contacts still confirmed (a close contact of the
    batch may have closed the person's secondary contact, confirmed in the same batch)."""
    for degree, reason in FACTS.items():
        items = tuple((c.person_id, ref(c), None) for c in contacts
                      if c.degree == degree and c.status == "confirmed")  # fmt: skip
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


def _close_secondaries_of(session: Session, actor: Principal, person_ids: list[int]) -> None:
    """A person who is a close contact is not also a secondary one."""
    for secondary in repository.open_contacts_for(session, person_ids, "secondary").values():
        _close(session, actor, secondary, "upgraded")


# --- secondary contacts (次密接) -------------------------------------------------------------


def generate_secondary(
    session: Session, actor: Principal, contact: Contact, edition: Edition
) -> int:
    return generate_secondaries(session, actor, [contact], edition)


def generate_secondaries(
    session: Session, actor: Principal, close: Sequence[Contact], edition: Edition
) -> int:
    """The secondary contacts of confirmed close contacts (household members and people at the
    same venue, each via the close contact's first case), read and stored together; the
    number of new links. A person with an open close contact is not a secondary one."""
    cases = repository.first_cases_of(session, [contact.id for contact in close])
    spans = secondary_windows(session, [c for c in close if c.id in cases])
    found = _secondary_candidates(session, spans, edition)
    people = {item.person_id for items in found.values() for item in items}
    close_now = repository.people_with_open(session, people, "close")
    work = [(store.Target(cases[c.id], "secondary", c.id),
             [i for i in found[c.person_id] if i.person_id not in close_now])
            for c in close if c.person_id in found]  # fmt: skip
    return store.store_many(session, actor, work, edition)


def _secondary_candidates(
    session: Session, spans: dict[int, tuple[datetime, datetime]], edition: Edition
) -> dict[int, list[Candidate]]:
    """Person id → its household members, then its same-venue companions, in its span: one
    candidate per person and rule, as secondary contacts (the rule kept as ``via``)."""
    margin = timedelta(minutes=edition.contacts.same_place_window_minutes)
    homes = candidates.households(session, spans, secondary=True)
    venues = candidates.venues(session, spans, margin, secondary=True)
    return {person_id: [*homes.get(person_id, []), *venues.get(person_id, [])]
            for person_id in spans}  # fmt: skip


def secondary_windows(
    session: Session, close: Sequence[Contact]
) -> dict[int, tuple[datetime, datetime]]:
    """Person id → from the close contact's first contact with the case until it was put
    under control: the start of its placement, else the confirmation."""
    controlled = exposures.controlled_at(session, [contact.id for contact in close])
    spans = {}
    for contact in close:
        end = controlled.get(contact.id) or contact.decided_at or clock.now()
        spans[contact.person_id] = (contact.first_exposure_at, max(end, contact.first_exposure_at))
    return spans


# --- a close contact turned positive ---------------------------------------------------------


def upgrade_secondaries(session: Session, actor: Principal, case: Case, edition: Edition) -> int:
    """``upgrade_many`` of one case."""
    return upgrade_many(session, actor, [case], edition)


def upgrade_many(
    session: Session, actor: Principal, cases: Sequence[Case], edition: Edition
) -> int:
    """Secondary contacts via the new cases' people (open confirmed close contacts) become
    close contacts of those cases, their last exposure kept; those that were confirmed are
    confirmed again as close contacts, together (one placement batch, one fact per reason).
    The number upgraded."""
    if not edition.contacts.secondary.upgrade_on_linked_positive:
        return 0
    upgraded = _upgradable(session, cases)
    if not upgraded:
        return 0
    confirmed = {secondary.person_id for _, secondary, _ in upgraded
                 if secondary.status == "confirmed"}  # fmt: skip
    work: list[tuple[store.Target, list[Candidate]]] = []
    for case, secondary, link in upgraded:
        _close(session, actor, secondary, "upgraded")
        reason = str(link.evidence.get("via", "household"))
        item = Candidate(secondary.person_id, reason, link.exposure_start_at,
                         secondary.last_exposure_at, dict(link.evidence))  # fmt: skip
        work.append((store.Target(case), [item]))
    store.store_many(session, actor, work, edition)
    now_close = repository.open_contacts_for(session, confirmed, "close")
    again = [c for c in now_close.values() if c.status == "candidate"]
    if again:
        confirm_many(session, actor, again, edition)
    return len(upgraded)


def _upgradable(session: Session, cases: Sequence[Case]) -> list[tuple[Case, Contact, ContactLink]]:
    """(case, open secondary contact, its link via the case's person) for each case whose
    person is an open confirmed close contact; a secondary contact once, with its first case."""
    close = repository.open_contacts_for(session, [case.person_id for case in cases], "close")
    found, seen = [], set[int]()
    for case in cases:
        contact = close.get(case.person_id)
        if contact is None or contact.status != "confirmed":
            continue
        for secondary, link in repository.secondaries_via(session, contact.id):
            if secondary.id not in seen:
                seen.add(secondary.id)
                found.append((case, secondary, link))
    return found
