"""Storing candidates: one open ``contacts`` row per person and degree (the partial unique
index), one ``contact_links`` row per case, reason and person. A link that moves a confirmed
contact's last exposure later publishes ``ContactConfirmed`` again (quarantine moves day 0).
Every new contact and link writes an audit row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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
from fangkong.tracing.events import ContactConfirmed

SNAPSHOT = ("person_id", "degree", "status", "first_exposure_at", "last_exposure_at",
            "region_code", "owner_region", "decided_at", "reject_reason", "notified_at",
            "closed_at")  # fmt: skip


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


def excluded(session: Session, case: Case, found: Iterable[Candidate]) -> set[int]:
    """Never the case's person, never a person who is already an active case."""
    people = {item.person_id for item in found}
    return exposures.active_case_people(session, people) | {case.person_id}


def store_all(
    session: Session, actor: Principal, target: Target, found: list[Candidate], edition: Edition
) -> int:
    """Stores the candidates the case does not name yet; the number of new links. The open
    contacts of all the people are read at once and the new ones inserted in one flush."""
    known = repository.link_keys(session, target.case.id)
    skip = excluded(session, target.case, found)
    people = [c.person_id for c in found]
    grids = exposures.grids_of(session, people)
    opened = repository.open_contacts_for(session, people, target.degree)
    created: list[Contact] = []
    pending: list[tuple[Contact, Candidate]] = []
    for item in found:
        key = (item.person_id, target.degree, item.reason, target.via_contact_id)
        if key in known or item.person_id in skip or item.person_id not in grids:
            continue
        known.add(key)
        if item.person_id not in opened:
            opened[item.person_id] = _new_contact(target, item, grids[item.person_id], edition)
            created.append(opened[item.person_id])
        pending.append((opened[item.person_id], item))
    session.add_all(created)
    session.flush()  # the new contacts get their ids, in one batched insert
    for contact in created:
        audit_contact(session, actor, "contact.create", contact, None)
    for contact, item in pending:
        _link(session, actor, target, contact, item)
    return len(pending)


def add(
    session: Session, actor: Principal, target: Target, item: Candidate, *, grid: str,
    edition: Edition,
) -> Contact:  # fmt: skip
    """Links the candidate to the person's open contact of the degree, made when none."""
    contact = repository.open_contact(session, item.person_id, target.degree)
    if contact is None:
        contact = _new_contact(target, item, grid, edition)
        session.add(contact)
        session.flush()
        audit_contact(session, actor, "contact.create", contact, None)
    _link(session, actor, target, contact, item)
    return contact


def _new_contact(target: Target, item: Candidate, grid: str, edition: Edition) -> Contact:
    return Contact(
        person_id=item.person_id, degree=target.degree, status="candidate", is_open=True,
        first_exposure_at=item.start, last_exposure_at=item.end, region_code=grid,
        owner_region=target.case.region_code[:6], edition_id=edition.id,
        created_at=clock.now(),
    )  # fmt: skip


def _link(
    session: Session, actor: Principal, target: Target, contact: Contact, item: Candidate
) -> None:
    """The link, and the contact's exposure span widened (a later last exposure of a confirmed
    contact is published: quarantine moves day 0)."""
    session.add(ContactLink(
        contact_id=contact.id, case_id=target.case.id, reason=item.reason,
        via_contact_id=target.via_contact_id, exposure_start_at=item.start,
        exposure_end_at=item.end, evidence=item.evidence, created_by=actor.id,
    ))  # fmt: skip
    before = snapshot(contact)
    contact.first_exposure_at = min(contact.first_exposure_at, item.start)
    moved = item.end > contact.last_exposure_at
    if moved:
        contact.last_exposure_at = item.end
    audit_contact(session, actor, "contact.link", contact, before)
    if moved and contact.status == "confirmed":
        publish(session, confirmed_event(contact))


def confirmed_event(contact: Contact) -> ContactConfirmed:
    return ContactConfirmed(
        contact_id=contact.id, person_id=contact.person_id, degree=contact.degree,
        last_exposure_at=contact.last_exposure_at, region_code=contact.region_code,
    )  # fmt: skip
