"""Verbs of contacts (密接、次密接): generate a case's candidates by the edition's rules, add a
person named in the interview, list and show (jurisdiction-scoped), and decide in bulk.

Services flush and never commit; every change writes an audit row (``store``/``decisions``).
Jurisdiction: a contact is visible where the person lives and to the district of the case
that named them; only users of that owner district decide (others who see a handed-over
contact get 403 ``contact.not_owner``; a contact nobody showed them is 404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.scoping import covers
from fangkong.healthcode.service import current_edition
from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch
from fangkong.policy.schema import Edition
from fangkong.tracing.contacts import candidates, decisions, errors, exposures, repository, store
from fangkong.tracing.contacts.candidates import Candidate
from fangkong.tracing.contacts.merging import person_merged
from fangkong.tracing.contacts.repository import ContactFilter
from fangkong.tracing.contacts.schemas import (
    Action,
    ContactDetail,
    ContactOut,
    DecisionIn,
    DecisionOut,
    GenerateOut,
    LinkOut,
    NamedContactIn,
)
from fangkong.tracing.window import trace_window

__all__ = ["ContactFilter", "person_merged"]


# --- generation -----------------------------------------------------------------------------


def get_case(session: Session, *, actor: Principal, case_id: int) -> Case:
    case = repository.get_case(session, actor, case_id)
    if case is None:
        raise errors.CaseNotFound()
    return case


def case_by_no(session: Session, *, actor: Principal, case_no: str) -> Case:
    case = repository.case_by_no(session, actor, case_no)
    if case is None:
        raise errors.CaseNotFound()
    return case


def generate_for(
    session: Session, *, actor: Principal, case: Case, edition: Edition
) -> tuple[int, int]:
    """Candidates of the case by the rules (idempotent), then the secondary contacts of its
    confirmed close contacts when the edition identifies them: (people named, new links)."""
    return generate_for_many(session, actor=actor, cases=[case], edition=edition)


def generate_for_many(
    session: Session, *, actor: Principal, cases: Sequence[Case], edition: Edition
) -> tuple[int, int]:
    """``generate_for`` of many cases in one pass (a lab upload's positives): every case's
    household, stays and neighbours read together, the candidates stored together (one
    contact per person however many of the cases name them). Bulk work (``store.bulk``)."""
    with store.bulk(session):
        return _generate(session, actor, cases, edition)


def _generate(
    session: Session, actor: Principal, cases: Sequence[Case], edition: Edition
) -> tuple[int, int]:
    windows = {case.person_id: trace_window(case, edition) for case in cases}
    found = candidates.of_people(session, windows, edition)
    work = [(store.Target(case), candidates.merged(found.get(case.person_id, [])))
            for case in cases]  # fmt: skip
    added = store.store_many(session, actor, work, edition)
    if edition.contacts.secondary.identified:
        close = repository.confirmed_close_of_cases(session, [case.id for case in cases])
        added += decisions.generate_secondaries(session, actor, close, edition) if close else 0
    return len({item.person_id for _, items in work for item in items}), added


def generate(session: Session, *, actor: Principal, case_id: int) -> GenerateOut:
    case = get_case(session, actor=actor, case_id=case_id)
    named, added = generate_for(session, actor=actor, case=case, edition=current_edition(session))
    return GenerateOut(case_id=case.id, candidates=named, new_links=added)


def on_cases_reported(session: Session, *, actor: Principal, case_ids: Sequence[int]) -> None:
    """New cases: upgrade the secondary contacts of each person who was a confirmed close
    contact (edition permitting), then generate the cases' candidates together."""
    cases = repository.cases_by_ids(session, case_ids)
    if not cases:
        return
    edition = current_edition(session)
    with store.bulk(session):
        decisions.upgrade_many(session, actor, cases, edition)
        generate_for_many(session, actor=actor, cases=cases, edition=edition)


# --- named in the interview ----------------------------------------------------------------


def _named_person(
    session: Session, actor: Principal, protector: Protector, data: NamedContactIn
) -> int:
    given = [v for v in (data.person_id, data.id_number, data.phone) if v is not None]
    if len(given) != 1:
        raise errors.OneIdentifier()
    if data.person_id is not None:
        if data.person_id not in exposures.grids_of(session, [data.person_id]):
            raise errors.PersonUnknown()
        return data.person_id
    search = PersonSearch(id_type=data.id_type, id_number=data.id_number, phone=data.phone)
    found = people.search_exact(session, actor=actor, protector=protector, data=search)
    if len(found) != 1:
        raise errors.PersonUnknown()
    return found[0].id


def check_named(session: Session, case: Case, person_id: int, at: datetime) -> None:
    if at > clock.now():
        raise errors.ContactInFuture()
    if person_id == case.person_id:
        raise errors.IsCasePerson()
    if exposures.active_case_people(session, [person_id]):
        raise errors.IsActiveCase()


def add_named_person(
    session: Session, *, actor: Principal, case: Case, person_id: int, at: datetime,
    evidence: dict[str, str], reason: str = "interview",
) -> Contact:  # fmt: skip
    """A close contact named by hand (interview or line list), deduplicated."""
    check_named(session, case, person_id, at)
    grid = exposures.grids_of(session, [person_id])[person_id]
    edition = current_edition(session)
    known = repository.link_keys(session, case.id)
    item = Candidate(person_id, reason, at, at, evidence)
    if (person_id, "close", reason, None) in known:
        contact = repository.open_contact(session, person_id, "close")
        if contact is not None:
            return contact
    return store.add(session, actor, store.Target(case), item, grid=grid, edition=edition)


def add_named(
    session: Session, *, actor: Principal, protector: Protector, case_id: int,
    data: NamedContactIn,
) -> Contact:  # fmt: skip
    case = get_case(session, actor=actor, case_id=case_id)
    person_id = _named_person(session, actor, protector, data)
    evidence = {"note": data.note} if data.note else {}
    return add_named_person(session, actor=actor, case=case, person_id=person_id,
                            at=data.contact_at, evidence=evidence)  # fmt: skip


# --- reading -------------------------------------------------------------------------------


def list_contacts(
    session: Session, *, actor: Principal, page: PageParams, where: ContactFilter
) -> tuple[list[ContactOut], str | None]:
    rows, cursor = repository.contact_page(session, actor, where, page)
    return outs(session, rows, masked=True), cursor


def case_contacts(
    session: Session, *, actor: Principal, case_id: int, page: PageParams
) -> tuple[list[ContactOut], str | None]:
    get_case(session, actor=actor, case_id=case_id)
    return list_contacts(session, actor=actor, page=page, where=ContactFilter(case_id=case_id))


def get_contact(session: Session, *, actor: Principal, contact_id: int) -> Contact:
    contact = repository.get_contact(session, actor, contact_id)
    if contact is None:
        raise errors.ContactNotFound()
    return contact


def detail(session: Session, *, actor: Principal, contact_id: int) -> ContactDetail:
    contact = get_contact(session, actor=actor, contact_id=contact_id)
    [out] = outs(session, [contact])
    links = [
        _link_out(link, case_no) for link, case_no in repository.links_of(session, [contact.id])
    ]
    return ContactDetail(**out.model_dump(), links=links)


def _link_out(link: object, case_no: str) -> LinkOut:
    return LinkOut.model_validate(
        {name: getattr(link, name) for name in LinkOut.model_fields if name != "case_no"}
        | {"case_no": case_no}
    )


def outs(
    session: Session, contacts: Sequence[Contact], *, masked: bool = False
) -> list[ContactOut]:
    """Contacts as shown; ``masked``: names masked as in every list (a contact's own page and
    the control notice addressed to the person name them in full)."""
    ids = [c.id for c in contacts]
    reasons: defaultdict[int, dict[str, None]] = defaultdict(dict)
    case_nos: defaultdict[int, dict[str, None]] = defaultdict(dict)
    for link, case_no in repository.links_of(session, ids):
        reasons[link.contact_id][link.reason] = None
        case_nos[link.contact_id][case_no] = None
    persons = repository.people_of(session, (c.person_id for c in contacts))
    name = mask_person_name if masked else str
    return [
        _out(c, persons[c.person_id], list(reasons[c.id]), list(case_nos[c.id]), name)
        for c in contacts
    ]


def _out(
    contact: Contact,
    person: Person,
    reasons: list[str],
    case_nos: list[str],
    name: Callable[[str], str],
) -> ContactOut:
    return ContactOut(
        id=contact.id, person_id=contact.person_id, name=name(person.name),
        id_number_masked=person.id_number_masked, phone_masked=person.phone_masked,
        degree=contact.degree, status=contact.status, reasons=reasons, case_nos=case_nos,
        first_exposure_at=contact.first_exposure_at, last_exposure_at=contact.last_exposure_at,
        region_code=contact.region_code, owner_region=contact.owner_region,
        handed_over=not covers(contact.owner_region, contact.region_code),
        decided_at=contact.decided_at, notified_at=contact.notified_at,
        reject_reason=contact.reject_reason,
    )  # fmt: skip


def contacts_of_person(session: Session, person_id: int) -> list[tuple[Contact, list[str]]]:
    """Every contact row of a person with its case numbers (the person's timeline)."""
    rows = repository.contacts_of_person(session, person_id)
    numbers: defaultdict[int, dict[str, None]] = defaultdict(dict)
    for link, case_no in repository.links_of(session, (c.id for c in rows)):
        numbers[link.contact_id][case_no] = None
    return [(c, list(numbers[c.id])) for c in rows]


# --- decisions -----------------------------------------------------------------------------


def may_decide(actor: Principal, contact: Contact) -> bool:
    """Users of the owner district (or above it) decide; a handed-over district only sees."""
    return actor.covers(contact.owner_region) or covers(contact.owner_region, actor.region_code)


def decidable(session: Session, actor: Principal, ids: Sequence[int]) -> list[Contact]:
    """Every id visible (else 404, nothing done) and owned by the actor's district (else 403)."""
    found = repository.visible_contacts(session, actor, ids)
    missing = sorted(set(ids) - {c.id for c in found})
    if missing:
        raise errors.ContactNotFound(f"contact ids: {', '.join(map(str, missing))}")
    refused = [c.id for c in found if not may_decide(actor, c)]
    if refused:
        raise errors.NotOwner(f"contact ids: {', '.join(map(str, refused))}")
    return found


def _check(action: Action, contacts: Sequence[Contact], reason: str) -> None:
    if action is Action.REJECT and not reason:
        raise errors.ReasonRequired()
    allowed = {Action.CONFIRM: ("candidate",), Action.REJECT: ("candidate", "confirmed"),
               Action.NOTIFY: ("confirmed",)}[action]  # fmt: skip
    error = {Action.CONFIRM: errors.NotCandidate, Action.REJECT: errors.NotOpen,
             Action.NOTIFY: errors.NotConfirmed}[action]  # fmt: skip
    wrong = [c.id for c in contacts if c.status not in allowed]
    if wrong:
        raise error(f"contact ids: {', '.join(map(str, wrong))}")


def decide(session: Session, *, actor: Principal, data: DecisionIn) -> DecisionOut:
    """Confirm, reject or notify many contacts at once: all or nothing."""
    contacts = decidable(session, actor, data.ids)
    _check(data.action, contacts, data.reason)
    if data.action is Action.CONFIRM:
        decisions.confirm_many(session, actor, contacts, current_edition(session))
    for contact in contacts:
        if data.action is Action.REJECT:
            decisions.reject(session, actor, contact, data.reason)
        elif data.action is Action.NOTIFY:
            decisions.notify(session, actor, contact)
    return DecisionOut(action=data.action.value, count=len(contacts), ids=[c.id for c in contacts])


def release_for_placement(
    session: Session, *, actor: Principal, contact_id: int, transferred: bool
) -> None:
    """The contact's isolation ended. Transferred means positive: its secondary contacts are
    upgraded first (whichever of this and ``CaseReported`` runs first does it)."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return
    case = exposures.open_case_of(session, contact.person_id) if transferred else None
    if case is not None:
        decisions.upgrade_secondaries(session, actor, case, current_edition(session))
    decisions.release(session, actor, contact)


def person_name(session: Session, person_id: int) -> str:
    person = repository.people_of(session, [person_id]).get(person_id)
    return person.name if person else ""


def count_for_export(session: Session, *, actor: Principal, where: ContactFilter) -> int:
    return repository.count_contacts(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: ContactFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One keyset chunk of the contact list for an export (``repository.EXPORT_COLUMNS``),
    names masked as in the list; and the key of the next chunk (None at the end)."""
    rows = repository.contact_rows(session, actor, where, after[0] if after else None, limit)
    key = [rows[-1][0]] if len(rows) == limit else None
    return [(r[0], mask_person_name(r[1]), *r[2:]) for r in rows], key


def close_contacts_of_cases(
    session: Session, *, actor: Principal, case_ids: Sequence[int]
) -> set[tuple[int, int]]:
    """(case id, contact person id) of the close contacts the platform linked to the cases,
    in the actor's jurisdiction, rejected ones left out: what the outbreak evaluation scores."""
    return repository.close_contacts_of_cases(session, actor, case_ids)
