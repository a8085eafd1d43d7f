"""Storing candidates: one open ``contacts`` row per person and degree (the partial unique
index), one ``contact_links`` row per case, reason and person. A link that moves a confirmed
contact's last exposure later publishes ``ContactConfirmed`` again (quarantine moves day 0).
Every new contact and link writes an audit row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import Principal
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.policy.schema import Edition
from fangkong.tracing.contacts import exposures, repository
from fangkong.tracing.contacts.candidates import Candidate
from fangkong.tracing.events import ContactConfirmed, ContactsConfirmed

SNAPSHOT = ("person_id", "degree", "status", "first_exposure_at", "last_exposure_at",
            "region_code", "owner_region", "decided_at", "reject_reason", "notified_at",
            "closed_at")  # fmt: skip
SPAN = ("first_exposure_at", "last_exposure_at")
LINK_AUDITED = ("case_id", "reason", "via_contact_id", "exposure_start_at", "exposure_end_at")


@dataclass(frozen=True)
class Target:
    """Where candidates go: the case, the degree and (secondary) the close contact via."""

    case: Case
    degree: str = "close"
    via_contact_id: int | None = None


def snapshot(contact: Contact) -> dict[str, Any]:
    return {name: getattr(contact, name) for name in SNAPSHOT}


def audit_contact(
    session: Session, actor: Principal, action: str, contact: Contact, before: dict[str, Any] | None
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="contact", object_id=contact.id,
        region_code=contact.region_code, before=before, after=snapshot(contact),
    )  # fmt: skip


def audit_entry(action: str, contact: Contact, before: dict[str, Any] | None) -> audit.Entry:
    """``audit_contact``'s row, for ``audit.record_many``."""
    return audit.Entry(
        action, "contact", contact.id, contact.region_code, before, snapshot(contact)
    )


def store_all(
    session: Session, actor: Principal, target: Target, found: list[Candidate], edition: Edition
) -> int:
    """Stores the candidates the case does not name yet; the number of new links."""
    return store_many(session, actor, [(target, found)], edition)


def store_many(
    session: Session, actor: Principal, work: Sequence[tuple[Target, list[Candidate]]],
    edition: Edition,
) -> int:  # fmt: skip
    """``store_all`` for many targets at once (a batch's secondary contacts): what the cases
    name, the open contacts and the grids of all the people are read once; the new contacts
    are inserted in one flush, the links in another, the audit rows in one insert. Never the
    case's person, never a person who is already an active case."""
    people = {item.person_id for _, found in work for item in found}
    known = {
        case_id: repository.link_keys(session, case_id) for case_id in {t.case.id for t, _ in work}
    }
    active = exposures.active_case_people(session, people)
    grids = exposures.grids_of(session, people)
    opened = {degree: repository.open_contacts_for(session, people, degree)
              for degree in {t.degree for t, _ in work}}  # fmt: skip
    created: list[Contact] = []
    pending: list[tuple[Target, Contact, Candidate]] = []
    for target, found in work:
        open_now, names = opened[target.degree], known[target.case.id]
        for item in found:
            key = (item.person_id, target.degree, item.reason, target.via_contact_id)
            if key in names or item.person_id in active or item.person_id not in grids:
                continue
            if item.person_id == target.case.person_id:
                continue
            names.add(key)
            if item.person_id not in open_now:
                open_now[item.person_id] = _new_contact(
                    target, item, grids[item.person_id], edition
                )
                created.append(open_now[item.person_id])
            pending.append((target, open_now[item.person_id], item))
    _store_links(session, actor, created, pending)
    return len(pending)


def _store_links(
    session: Session, actor: Principal, created: list[Contact],
    pending: list[tuple[Target, Contact, Candidate]],
) -> None:  # fmt: skip
    """The new contacts (one batched flush: they get their ids), the links (one Core insert:
    nobody reads their ids), the widened spans and every audit row in one insert; a batch of
    the confirmed contacts whose last exposure moved later."""
    session.add_all(created)
    session.flush()
    entries = [audit_entry("contact.create", contact, None) for contact in created]
    rows, moved = [], dict[int, Contact]()
    for target, contact, item in pending:
        row = _link_row(actor, target, contact, item)
        rows.append(row)
        before = {name: getattr(contact, name) for name in SPAN}
        contact.first_exposure_at = min(contact.first_exposure_at, item.start)
        if item.end > contact.last_exposure_at:
            contact.last_exposure_at = item.end
            if contact.status == "confirmed":
                moved[contact.id] = contact
        entries.append(_link_entry(contact, row, before))
    if rows:
        session.connection().execute(insert(ContactLink.metadata.tables["contact_links"]), rows)
    session.flush()
    audit.record_many(session, actor=actor, entries=entries)
    if moved:
        publish(session, ContactsConfirmed(tuple(confirmed_event(c) for c in moved.values())))


def _link_entry(contact: Contact, row: dict[str, Any], before: dict[str, Any]) -> audit.Entry:
    """A link's audit row: the link itself and the contact's exposure span it widened (the
    rest of the contact is unchanged, and in its ``contact.create`` row when new)."""
    after = {name: getattr(contact, name) for name in SPAN}
    link = {name: row[name] for name in LINK_AUDITED}
    return audit.Entry("contact.link", "contact", contact.id, contact.region_code, before,
                       after | link)  # fmt: skip


def _link_row(
    actor: Principal, target: Target, contact: Contact, item: Candidate
) -> dict[str, Any]:
    return {
        "contact_id": contact.id, "case_id": target.case.id, "reason": item.reason,
        "via_contact_id": target.via_contact_id, "exposure_start_at": item.start,
        "exposure_end_at": item.end, "evidence": item.evidence, "created_by": actor.id,
    }  # fmt: skip


def add(
    session: Session, actor: Principal, target: Target, item: Candidate, *, grid: str,
    edition: Edition,
) -> Contact:  # fmt: skip
    """Links the candidate to the person's open contact of the degree, made when none."""
    contact = repository.open_contact(session, item.person_id, target.degree)
    created = [] if contact is not None else [_new_contact(target, item, grid, edition)]
    contact = contact or created[0]
    _store_links(session, actor, created, [(target, contact, item)])
    return contact


def _new_contact(target: Target, item: Candidate, grid: str, edition: Edition) -> Contact:
    return Contact(
        person_id=item.person_id, degree=target.degree, status="candidate", is_open=True,
        first_exposure_at=item.start, last_exposure_at=item.end, region_code=grid,
        owner_region=target.case.region_code[:6], edition_id=edition.id,
        created_at=clock.now(),
    )  # fmt: skip


def confirmed_event(contact: Contact) -> ContactConfirmed:
    return ContactConfirmed(
        contact_id=contact.id, person_id=contact.person_id, degree=contact.degree,
        last_exposure_at=contact.last_exposure_at, region_code=contact.region_code,
    )  # fmt: skip
