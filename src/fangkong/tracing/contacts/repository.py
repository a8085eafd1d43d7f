"""Queries of contacts. Every read a caller sees starts from ``contacts(actor)``: a contact is
visible where the person lives (``region_code``) and to the district of the case that named
them (``owner_region``), so a handed-over contact shows in both."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.tracing.contacts import exposures

# The predicate of the partial unique index ``uq_contacts_open_person``, written as the index
# states it: SQLite uses a partial index only when the query repeats its predicate, and
# ``is_open = 1`` (what ``Contact.is_open.is_(True)`` renders) is not that (a full scan).
OPEN = text("contacts.is_open")


@dataclass(frozen=True)
class ContactFilter:
    degree: str | None = None
    status: str | None = None
    reason: str | None = None
    district: str | None = None  # the person's district (region-code prefix)
    grid: str | None = None  # the person's grid (region-code prefix)
    case_id: int | None = None


def contacts(actor: Principal) -> Select[Contact]:
    scope = actor.region_code
    return select(Contact).where(
        or_(within(Contact.region_code, scope), within(Contact.owner_region, scope))
    )


def cases(actor: Principal) -> Select[Case]:
    return select(Case).where(within(Case.region_code, actor.region_code))


def get_case(session: Session, actor: Principal, case_id: int) -> Case | None:
    return session.scalars(cases(actor).where(Case.id == case_id)).one_or_none()


def case_by_no(session: Session, actor: Principal, case_no: str) -> Case | None:
    return session.scalars(cases(actor).where(Case.case_no == case_no)).one_or_none()


def get_contact(session: Session, actor: Principal, contact_id: int) -> Contact | None:
    return session.scalars(contacts(actor).where(Contact.id == contact_id)).one_or_none()


def visible_contacts(session: Session, actor: Principal, ids: Iterable[int]) -> list[Contact]:
    wanted = list(set(ids))
    statement = contacts(actor).where(Contact.id.in_(wanted)).order_by(Contact.id)
    return list(session.scalars(statement).all())


def _prefixed(column: Any, prefix: str) -> Any:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


def _linked(statement: Select[Contact], where: ContactFilter) -> Select[Contact]:
    links = select(ContactLink.contact_id)
    if where.reason:
        links = links.where(ContactLink.reason == where.reason)
    if where.case_id:
        links = links.where(ContactLink.case_id == where.case_id)
    return statement.where(Contact.id.in_(links))


def contact_page(
    session: Session, actor: Principal, where: ContactFilter, params: PageParams
) -> tuple[Sequence[Contact], str | None]:
    return fetch_page(session, filtered(actor, where), Contact.id, params, descending=True)


def filtered(actor: Principal, where: ContactFilter) -> Select[Contact]:
    """The list's statement: ``contacts(actor)`` narrowed by the filters."""
    statement = contacts(actor)
    if where.degree:
        statement = statement.where(Contact.degree == where.degree)
    if where.status:
        statement = statement.where(Contact.status == where.status)
    for prefix in (where.district, where.grid):
        if prefix:
            statement = statement.where(_prefixed(Contact.region_code, prefix))
    if where.reason or where.case_id:
        statement = _linked(statement, where)
    return statement


# Columns of the contact export: the id (the keyset) and masked numbers only.
EXPORT_COLUMNS = (
    Contact.id, Person.name, Person.id_number_masked, Person.phone_masked, Contact.degree,
    Contact.status, Contact.first_exposure_at, Contact.last_exposure_at, Contact.region_code,
    Contact.notified_at, Contact.closed_at,
)  # fmt: skip


def count_contacts(session: Session, actor: Principal, where: ContactFilter) -> int:
    counted = filtered(actor, where).with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def contact_rows(
    session: Session, actor: Principal, where: ContactFilter, after: int | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` rows of ``EXPORT_COLUMNS`` after the contact id ``after`` (newest first)."""
    statement = filtered(actor, where).with_only_columns(*EXPORT_COLUMNS)
    statement = statement.join(Person, Person.id == Contact.person_id)
    if after is not None:
        statement = statement.where(Contact.id < after)
    return session.execute(statement.order_by(Contact.id.desc()).limit(limit)).all()


def links_of(session: Session, contact_ids: Iterable[int]) -> Sequence[Any]:
    """Links of the contacts with their case numbers: (ContactLink, case_no)."""
    wanted = list(set(contact_ids))
    if not wanted:
        return []
    statement = (
        select(ContactLink, Case.case_no)
        .join(Case, Case.id == ContactLink.case_id)
        .where(ContactLink.contact_id.in_(wanted))
        .order_by(ContactLink.id)
    )
    return session.execute(statement).all()


def people_of(session: Session, person_ids: Iterable[int]) -> dict[int, Person]:
    wanted = list(set(person_ids))
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}


def open_contact(session: Session, person_id: int, degree: str) -> Contact | None:
    statement = select(Contact).where(
        Contact.person_id == person_id, Contact.degree == degree, OPEN
    )
    return session.scalars(statement).one_or_none()


def open_contacts_for(
    session: Session, person_ids: Iterable[int], degree: str
) -> dict[int, Contact]:
    """The open contacts of the degree of many people, in one index range per person."""
    return {c.person_id: c for c in _open_of(session, select(Contact), person_ids, degree)}


def people_with_open(session: Session, person_ids: Iterable[int], degree: str) -> set[int]:
    """Who of the people has an open contact of the degree (their ids: no entity loaded)."""
    return set(_open_of(session, select(Contact.person_id), person_ids, degree))


def _open_of(
    session: Session, statement: Select[Any], person_ids: Iterable[int], degree: str
) -> Iterator[Any]:
    for chunk in exposures.chunks(sorted(set(person_ids)), exposures.LOOKUP_CHUNK):
        where = (Contact.person_id.in_(chunk), Contact.degree == degree, OPEN)
        yield from session.scalars(statement.where(*where)).all()


LinkKeys = set[tuple[int, str, str, int | None]]


def link_keys(session: Session, case_id: int) -> LinkKeys:
    """What the case already names: (person_id, degree, reason, via_contact_id)."""
    return link_keys_of(session, [case_id])[case_id]


def link_keys_of(session: Session, case_ids: Iterable[int]) -> dict[int, LinkKeys]:
    """``link_keys`` of many cases (a batch's), 500 cases to a statement."""
    found: dict[int, LinkKeys] = {case_id: set() for case_id in case_ids}
    for chunk in exposures.chunks(sorted(found)):
        statement = (
            select(ContactLink.case_id, Contact.person_id, Contact.degree, ContactLink.reason,
                   ContactLink.via_contact_id)
            .join(Contact, Contact.id == ContactLink.contact_id)
            .where(ContactLink.case_id.in_(chunk))
        )  # fmt: skip
        for row in session.execute(statement):
            found[row[0]].add((row[1], row[2], row[3], row[4]))
    return found


def cases_by_ids(session: Session, case_ids: Sequence[int]) -> list[Case]:
    """The cases in the order of ``case_ids`` (unknown ids left out)."""
    found = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    return [found[case_id] for case_id in case_ids if case_id in found]


def confirmed_close_of_cases(session: Session, case_ids: Sequence[int]) -> Sequence[Contact]:
    linked = select(ContactLink.contact_id).where(ContactLink.case_id.in_(case_ids))
    statement = select(Contact).where(
        Contact.id.in_(linked), Contact.degree == "close", Contact.status == "confirmed"
    )
    return session.scalars(statement).all()


def secondaries_via(session: Session, contact_id: int) -> Sequence[tuple[Contact, ContactLink]]:
    statement = (
        select(Contact, ContactLink)
        .join(ContactLink, ContactLink.contact_id == Contact.id)
        .where(ContactLink.via_contact_id == contact_id, OPEN)
        .order_by(Contact.id)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def first_cases_of(session: Session, contact_ids: Iterable[int]) -> dict[int, Case]:
    """Each contact's first case (the link with the earliest exposure), 500 contacts at a time."""
    ids, found = sorted(set(contact_ids)), dict[int, Case]()
    for start in range(0, len(ids), 500):
        statement = (
            select(ContactLink.contact_id, Case)
            .join(Case, ContactLink.case_id == Case.id)
            .where(ContactLink.contact_id.in_(ids[start : start + 500]))
            .order_by(ContactLink.contact_id, ContactLink.exposure_start_at.desc())
        )
        found.update((row[0], row[1]) for row in session.execute(statement))  # first wins last
    return found


def contacts_of_person(session: Session, person_id: int) -> Sequence[Contact]:
    statement = select(Contact).where(Contact.person_id == person_id).order_by(Contact.id)
    return session.scalars(statement).all()


def close_contacts_of_cases(
    session: Session, actor: Principal, case_ids: Sequence[int]
) -> set[tuple[int, int]]:
    """(case id, contact person id) of the visible close contacts linked to the cases, rejected
    ones left out (read 500 case ids at a time)."""
    ids, found = sorted(set(case_ids)), set[tuple[int, int]]()
    for start in range(0, len(ids), 500):
        statement = (
            contacts(actor)
            .with_only_columns(ContactLink.case_id, Contact.person_id)
            .join(ContactLink, ContactLink.contact_id == Contact.id)
            .where(ContactLink.case_id.in_(ids[start : start + 500]),
                   Contact.degree == "close", Contact.status != "rejected")
        )  # fmt: skip
        found.update((r[0], r[1]) for r in session.execute(statement))
    return found
