"""Storing candidates: one open ``contacts`` row per person and degree (the partial unique
index), one ``contact_links`` row per case, reason and person. A link that moves a confirmed
contact's last exposure later publishes ``ContactConfirmed`` again (quarantine moves day 0).
Every new contact and link writes an audit row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.heap import fewer_collections
from fangkong.core.principal import Principal
from fangkong.db import bulk_insert, insert_with_ids, sqlite_bulk_cache
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.policy.schema import Edition
from fangkong.tracing.contacts import exposures, repository
from fangkong.tracing.contacts.candidates import Candidate, InstantTexts
from fangkong.tracing.events import ContactConfirmed, ContactsConfirmed

SNAPSHOT = ("person_id", "degree", "status", "first_exposure_at", "last_exposure_at",
            "region_code", "owner_region", "decided_at", "reject_reason", "notified_at",
            "closed_at")  # fmt: skip


@dataclass(frozen=True)
class Target:
    """Where candidates go: the case, the degree and (secondary) the close contact via."""

    case: Case
    degree: str = "close"
    via_contact_id: int | None = None


def snapshot(contact: Contact | NewContact) -> dict[str, Any]:
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


@contextmanager
def bulk(session: Session) -> Iterator[None]:
    """A batch of contacts generated or decided: hundreds of thousands of rows and index
    entries written (a day's secondary contacts, their links and audit rows, the placements
    and their test days) while as many objects stay alive. On SQLite a large page cache
    (``sqlite_bulk_cache``: with the default 2 MB the pages are spilled and read back every
    few rows), and rarer garbage collections (``fewer_collections``: each full collection
    walked every live object again, 5.6 s of a day of 300 cases in 15 collections)."""
    with sqlite_bulk_cache(session.connection()), fewer_collections():
        yield


def store_all(
    session: Session, actor: Principal, target: Target, found: list[Candidate], edition: Edition
) -> int:
    """Stores the candidates the case does not name yet; the number of new links."""
    return store_many(session, actor, [(target, found)], edition)


class NewContact:
    """A contact a batch makes: widened by each of its links in the batch, then inserted with
    the others in one statement (no ORM object: a batch's secondary contacts are tens of
    thousands); ``id`` is set once the row exists."""

    __slots__ = ("created_at", "degree", "edition_id", "first_exposure_at", "id",
                 "last_exposure_at", "owner_region", "person_id", "region_code")  # fmt: skip
    status, is_open, reject_reason = "candidate", True, ""
    decided_by = decided_at = notified_at = closed_at = None

    def __init__(
        self, target: Target, item: Candidate, grid: str, edition: Edition, now: datetime
    ) -> None:
        self.id: int | None = None
        self.person_id, self.degree, self.region_code = item.person_id, target.degree, grid
        self.first_exposure_at, self.last_exposure_at = item.start, item.end
        self.owner_region, self.edition_id = target.case.region_code[:6], edition.id
        self.created_at = now

    def row(self) -> dict[str, Any]:
        """The row to insert: ``SNAPSHOT``'s columns, then the rest (written out: a batch
        makes tens of thousands)."""
        return {
            "person_id": self.person_id, "degree": self.degree, "status": self.status,
            "first_exposure_at": self.first_exposure_at, "last_exposure_at": self.last_exposure_at,
            "region_code": self.region_code, "owner_region": self.owner_region,
            "decided_at": None, "reject_reason": "", "notified_at": None, "closed_at": None,
            "is_open": True, "edition_id": self.edition_id, "decided_by": None,
            "created_at": self.created_at,
        }  # fmt: skip


AnyContact = Contact | NewContact


def store_many(
    session: Session, actor: Principal, work: Sequence[tuple[Target, list[Candidate]]],
    edition: Edition,
) -> int:  # fmt: skip
    """``store_all`` for many targets at once (a batch's secondary contacts): what the cases
    name, the open contacts and the grids of all the people are read once; the new contacts
    are inserted in one statement, the links in another, the audit rows in a third. Never
    the case's person, never a person who is already an active case."""
    people = {item.person_id for _, found in work for item in found}
    known = repository.link_keys_of(session, {target.case.id for target, _ in work})
    active = exposures.active_case_people(session, people)
    grids = exposures.grids_of(session, people)
    opened: dict[str, dict[int, AnyContact]] = {
        degree: dict(repository.open_contacts_for(session, people, degree))
        for degree in {t.degree for t, _ in work}
    }  # fmt: skip
    created: list[NewContact] = []
    pending: list[tuple[Target, AnyContact, Candidate]] = []
    now = clock.now()
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
                new = NewContact(target, item, grids[item.person_id], edition, now)
                open_now[item.person_id] = new
                created.append(new)
            pending.append((target, open_now[item.person_id], item))
    _store_links(session, actor, created, pending)
    return len(pending)


def _store_links(
    session: Session, actor: Principal, created: list[NewContact],
    pending: list[tuple[Target, AnyContact, Candidate]],
) -> None:  # fmt: skip
    """Each link widens its contact's exposure span (in order); then the new contacts are
    inserted with their final spans, the links (Core: nobody reads their ids) and the audit
    rows: a new contact's ``contact.create`` holds its first link, each further link writes a
    ``contact.link`` with the span it widened. A confirmed contact whose last exposure moved
    later is published again (quarantine moves day 0).

    A day's secondary contacts pass here by the hundred thousand: each link's row and audit
    document are built once, as literals, their instants as text already (``InstantTexts``)."""
    texts, steps, links = InstantTexts(), list[Step](), list[tuple[AnyContact, dict[str, Any]]]()
    moved, first_link = dict[int, Contact](), {id(new) for new in created}
    for target, contact, item in pending:
        case_id, via = target.case.id, target.via_contact_id
        links.append((contact, {
            "case_id": case_id, "reason": item.reason, "via_contact_id": via,
            "exposure_start_at": item.start, "exposure_end_at": item.end,
            "evidence": item.evidence, "created_by": actor.id}))  # fmt: skip
        if id(contact) in first_link:
            first_link.discard(id(contact))
            steps.append(("contact.create", contact, None, _created(contact, item, target, texts)))
        else:
            steps.append(_widened(contact, item, target, texts, moved))
    _insert_contacts(session, created)
    for contact, link in links:
        link["contact_id"] = _inserted_id(contact)
    if links:
        rows = [link for _, link in links]
        bulk_insert(session.connection(), ContactLink.metadata.tables["contact_links"], rows)
    session.flush()
    audit.record_many(session, actor=actor, entries=[
        audit.Entry(action, "contact", _inserted_id(contact), contact.region_code, before, after)
        for action, contact, before, after in steps
    ])  # fmt: skip
    if moved:
        publish(session, ContactsConfirmed(tuple(confirmed_event(c) for c in moved.values())))


Step = tuple[str, AnyContact, dict[str, Any] | None, dict[str, Any]]


def _created(
    contact: AnyContact, item: Candidate, target: Target, texts: InstantTexts
) -> dict[str, Any]:
    """A new contact's audit document: what is set (a candidate's decision fields are empty)
    and its first link (the contact's span is that link's window)."""
    return {
        "person_id": contact.person_id, "degree": contact.degree, "status": contact.status,
        "first_exposure_at": texts(contact.first_exposure_at),
        "last_exposure_at": texts(contact.last_exposure_at),
        "region_code": contact.region_code, "owner_region": contact.owner_region,
        "case_id": target.case.id, "reason": item.reason, "via_contact_id": target.via_contact_id,
    }  # fmt: skip


def _widened(
    contact: AnyContact, item: Candidate, target: Target, texts: InstantTexts,
    moved: dict[int, Contact],
) -> Step:  # fmt: skip
    """A further link of a contact: its span widened by the link's window, the audit step
    (the span before, after, and the link); a confirmed contact whose last exposure moved
    later goes into ``moved``."""
    first, last = contact.first_exposure_at, contact.last_exposure_at
    before = {"first_exposure_at": texts(first), "last_exposure_at": texts(last)}
    if item.start < first:
        contact.first_exposure_at = first = item.start
    if item.end > last:
        contact.last_exposure_at = last = item.end
        if isinstance(contact, Contact) and contact.status == "confirmed":
            moved[contact.id] = contact
    after = {
        "first_exposure_at": texts(first), "last_exposure_at": texts(last),
        "case_id": target.case.id, "reason": item.reason, "via_contact_id": target.via_contact_id,
        "exposure_start_at": texts(item.start), "exposure_end_at": texts(item.end),
    }  # fmt: skip
    return "contact.link", contact, before, after


def _insert_contacts(session: Session, created: list[NewContact]) -> None:
    """One bulk insert for the new contacts, each given its id."""
    if not created:
        return
    session.flush()
    table = Contact.metadata.tables["contacts"]
    ids = insert_with_ids(session.connection(), table, [new.row() for new in created])
    for new, contact_id in zip(created, ids, strict=True):
        new.id = contact_id


def _inserted_id(contact: AnyContact) -> int:
    assert contact.id is not None  # NewContact's, once _insert_contacts ran
    return contact.id


def add(
    session: Session, actor: Principal, target: Target, item: Candidate, *, grid: str,
    edition: Edition,
) -> Contact:  # fmt: skip
    """Links the candidate to the person's open contact of the degree, made when none."""
    contact = repository.open_contact(session, item.person_id, target.degree)
    if contact is not None:
        _store_links(session, actor, [], [(target, contact, item)])
        return contact
    new = NewContact(target, item, grid, edition, clock.now())
    _store_links(session, actor, [new], [(target, new, item)])
    made = session.get(Contact, new.id)
    assert made is not None
    return made


def confirmed_event(contact: Contact) -> ContactConfirmed:
    return ContactConfirmed(
        contact_id=contact.id, person_id=contact.person_id, degree=contact.degree,
        last_exposure_at=contact.last_exposure_at, region_code=contact.region_code,
    )  # fmt: skip
