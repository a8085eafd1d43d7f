"""People: register, change, find, reveal; the personal-data access log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from asgi_correlation_id import correlation_id
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.errors import NotFound
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import (
    DuplicateCandidate,
    Household,
    KeyGroupMembership,
    Person,
    PersonAccess,
    PersonStatus,
)
from fangkong.people import counts, errors, idcard, repository, validation
from fangkong.people.protect import Protector
from fangkong.people.repository import PersonFilter
from fangkong.people.schemas import (
    KeyGroupIn,
    PersonCreate,
    PersonSearch,
    PersonUpdate,
    RevealField,
)

REVEAL_PERMISSION = "people.reveal"
AUDITED_FIELDS = (
    "name",
    "address",
    "grid_code",
    "household_id",
    "phone_masked",
    *repository.FLAG_COLUMNS,
)
DUPLICATE_REASON_MATCH = "name_birth_phone"


# --- access log -------------------------------------------------------------------------


def log_access(
    session: Session, actor: Principal, action: str, person: Person | None = None
) -> None:
    session.add(
        PersonAccess(
            at=clock.now(),
            user_id=actor.id,
            username=actor.username,
            action=action,
            person_id=person.id if person else None,
            region_code=person.grid_code if person else actor.region_code,
            request_id=correlation_id.get(),
        )
    )


def access_log(
    session: Session,
    *,
    actor: Principal,
    page: PageParams,
    person_id: int | None = None,
    user_id: int | None = None,
    since: datetime | None = None,
) -> tuple[Sequence[PersonAccess], str | None]:
    return repository.access_page(
        session, actor, page, person_id=person_id, user_id=user_id, since=since
    )


# --- people -----------------------------------------------------------------------------


def require_grid(session: Session, actor: Principal, code: str) -> str:
    """``code`` is a grid inside the actor's jurisdiction. Jurisdiction first, as the import
    does: a code outside it never tells whether it exists."""
    if not actor.covers(code):
        raise errors.GridOutOfScope()
    if repository.grid(session, code) is None:
        raise errors.UnknownGrid()
    return code


def get_person(session: Session, *, actor: Principal, person_id: int, log: bool = True) -> Person:
    person = repository.get_person(session, actor, person_id)
    if person is None:
        raise errors.PersonNotFound()
    if log:
        log_access(session, actor, "open", person)
    return person


def _snapshot(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in AUDITED_FIELDS}


def _household_for(
    session: Session, actor: Principal, household_id: int | None, grid_code: str
) -> Household | None:
    if household_id is None:
        return None
    household = repository.get_household(session, actor, household_id)
    if household is None:
        raise errors.HouseholdNotFound()
    if household.grid_code != grid_code:
        raise errors.HouseholdGridMismatch()
    return household


def create_person(
    session: Session, *, actor: Principal, protector: Protector, data: PersonCreate
) -> tuple[Person, list[int]]:
    """Register a person; returns it and the ids of likely duplicates it was flagged against."""
    today = clock.local_today()
    document = validation.check_document(
        data.id_type, data.id_number, sex=data.sex, birth_date=data.birth_date, today=today
    )
    phone = validation.normalize_phone(data.phone)
    require_grid(session, actor, data.grid_code)
    household = _household_for(session, actor, data.household_id, data.grid_code)
    id_sealed = protector.seal_id(document.id_type, document.number)
    if repository.find_by_hash(session, "id_number_hash", id_sealed.lookup_hash):
        raise errors.DuplicateIdNumber()
    person = Person(
        name=data.name,
        id_type=document.id_type,
        id_number_enc=id_sealed.ciphertext,
        id_number_hash=id_sealed.lookup_hash,
        id_number_masked=id_sealed.masked,
        sex=document.sex,
        birth_date=document.birth_date,
        registration_code=document.registration_code,
        address=data.address,
        grid_code=data.grid_code,
        household_id=household.id if household else None,
        under_three=validation.is_under_three(document.birth_date, today),
        match_key=protector.match_key(data.name, document.birth_date, phone),
        **data.model_dump(include=set(repository.FLAG_COLUMNS)),
    )
    _set_phone(person, protector, phone)
    session.add(person)
    session.flush()
    for group in data.key_groups:
        _add_key_group(session, person, group, today)
    duplicates = _flag_duplicates(session, person)
    audit.record(
        session,
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.id,
        region_code=person.grid_code,
        after=_snapshot(person),
    )
    counts.recount_grids(session, [person.grid_code])
    return person, duplicates


def _set_phone(person: Person, protector: Protector, phone: str | None) -> None:
    if phone is None:
        person.phone_enc = person.phone_hash = person.phone_masked = None
        return
    sealed = protector.seal_phone(phone)
    person.phone_enc, person.phone_hash, person.phone_masked = sealed


def _flag_duplicates(session: Session, person: Person) -> list[int]:
    if person.match_key is None:
        return []
    others = [
        other
        for other in repository.find_by_hash(session, "match_key", person.match_key)
        if other.id != person.id and other.status == PersonStatus.ACTIVE
    ]
    for other in others:
        session.add(
            DuplicateCandidate(
                person_id=person.id,
                other_id=other.id,
                reason=DUPLICATE_REASON_MATCH,
                region_code=person.grid_code,
            )
        )
    session.flush()
    return [other.id for other in others]


def _add_key_group(
    session: Session, person: Person, data: KeyGroupIn, today: date
) -> KeyGroupMembership:
    start = data.start_date or today
    if data.end_date is not None and data.end_date < start:
        raise errors.KeyGroupDates()
    membership = KeyGroupMembership(
        person_id=person.id,
        group=data.group,
        employer=data.employer,
        start_date=start,
        end_date=data.end_date,
    )
    session.add(membership)
    session.flush()
    return membership


def update_person(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    person_id: int,
    data: PersonUpdate,
) -> Person:
    person = get_person(session, actor=actor, person_id=person_id, log=False)
    if person.status != PersonStatus.ACTIVE:
        raise errors.PersonMergedAway()
    before = _snapshot(person)
    old_grid = person.grid_code
    changes = data.model_dump(exclude_unset=True)
    grid_code = changes.get("grid_code", person.grid_code)
    if grid_code != person.grid_code:
        require_grid(session, actor, grid_code)
        if "household_id" not in changes:
            changes["household_id"] = None  # moving out of the grid leaves the household
    household_id = changes.get("household_id", person.household_id)
    _household_for(session, actor, household_id, grid_code)
    if "phone" in changes:
        phone = validation.normalize_phone(changes.pop("phone"))
        _set_phone(person, protector, phone)
        person.match_key = protector.match_key(
            changes.get("name", person.name), person.birth_date, phone
        )
    for name, value in changes.items():
        setattr(person, name, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="person.update",
        object_type="person",
        object_id=person.id,
        region_code=person.grid_code,
        before=before,
        after=_snapshot(person),
    )
    counts.recount_grids(session, {old_grid, person.grid_code})
    return person


def add_key_group(
    session: Session, *, actor: Principal, person_id: int, data: KeyGroupIn
) -> KeyGroupMembership:
    person = get_person(session, actor=actor, person_id=person_id, log=False)
    membership = _add_key_group(session, person, data, clock.local_today())
    audit.record(
        session,
        actor=actor,
        action="person.key_group_add",
        object_type="person",
        object_id=person.id,
        region_code=person.grid_code,
        after={"group": str(data.group), "employer": data.employer},
    )
    counts.recount_grids(session, [person.grid_code])
    return membership


def end_key_group(
    session: Session, *, actor: Principal, person_id: int, membership_id: int, end: date
) -> KeyGroupMembership:
    person = get_person(session, actor=actor, person_id=person_id, log=False)
    found = [m for m in repository.key_groups_of(session, person.id) if m.id == membership_id]
    if not found:
        raise NotFound()
    membership = found[0]
    if end < membership.start_date:
        raise errors.KeyGroupDates()
    membership.end_date = end
    audit.record(
        session,
        actor=actor,
        action="person.key_group_end",
        object_type="person",
        object_id=person.id,
        region_code=person.grid_code,
        after={"group": str(membership.group), "end_date": end.isoformat()},
    )
    counts.recount_grids(session, [person.grid_code])
    return membership


def key_groups(session: Session, person: Person) -> Sequence[KeyGroupMembership]:
    return repository.key_groups_of(session, person.id)


def list_people(
    session: Session, *, actor: Principal, page: PageParams, where: PersonFilter
) -> tuple[Sequence[Person], str | None]:
    return repository.people_page(session, actor, page, where)


def count_people(session: Session, *, actor: Principal, where: PersonFilter) -> int:
    """How many people the list shows with these filters (an export's estimate)."""
    return repository.count_people(session, actor, where)


def people_rows(
    session: Session,
    *,
    actor: Principal,
    where: PersonFilter,
    after: Sequence[Any] | None,
    limit: int,
) -> tuple[Sequence[Sequence[Any]], list[Any] | None]:
    """One chunk of the list for an export: masked columns, keyset after ``after``."""
    return repository.people_rows(session, actor, where, after, limit)


def search_exact(
    session: Session, *, actor: Principal, protector: Protector, data: PersonSearch
) -> list[Person]:
    """Exact search by ID number or phone: keyed-hash lookup, scoped, and logged."""
    if (data.id_number is None) == (data.phone is None):
        raise errors.SearchCriterion()
    if data.id_number is not None:
        number = _normalized_document(data)
        found = repository.find_by_hash(
            session, "id_number_hash", protector.id_hash(data.id_type, number)
        )
        action = "search_id_number"
    else:
        phone = validation.normalize_phone(data.phone) or ""
        found = repository.find_by_hash(session, "phone_hash", protector.phone_hash(phone))
        action = "search_phone"
    visible = [person for person in found if actor.covers(person.grid_code)]
    log_access(session, actor, action)
    for person in visible:
        log_access(session, actor, action, person)
    return visible


def _normalized_document(data: PersonSearch) -> str:
    """The stored form of a searched number, without requiring it to be valid."""
    number = data.id_number or ""
    try:
        return validation.check_document(
            data.id_type, number, sex=None, birth_date=None, today=clock.local_today()
        ).number
    except errors.InvalidIdNumber:
        raise
    except (errors.SexRequired, errors.BirthDateRequired):
        return idcard.normalize(number).upper()


def reveal(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    person: Person,
    fields: Iterable[RevealField],
) -> dict[str, str | None]:
    """Full numbers for roles that may see them; every reveal is logged."""
    wanted = list(dict.fromkeys(fields))
    if wanted and not actor.can(REVEAL_PERMISSION):
        raise errors.RevealNotAllowed()
    shown: dict[str, str | None] = {}
    for field in wanted:
        if field == "id_number":
            shown[field] = protector.open_id(person.id_number_enc)
        else:
            shown[field] = protector.open_phone(person.phone_enc) if person.phone_enc else None
        log_access(session, actor, f"reveal_{field}", person)
    return shown


def reveal_id_numbers(
    session: Session, *, actor: Principal, protector: Protector, person_ids: Sequence[int]
) -> dict[int, str | None]:
    """``reveal`` of the ID numbers of several people, by id (those outside the actor's
    jurisdiction left out), read in one query; each reveal is logged. For a list that must
    carry the numbers, as a pushed arrivals list does."""
    if not actor.can(REVEAL_PERMISSION):
        raise errors.RevealNotAllowed()
    people = repository.people_by_id(session, actor, person_ids)
    return {
        person_id: reveal(session, actor=actor, protector=protector, person=person,
                          fields=["id_number"])["id_number"]
        for person_id, person in people.items()
    }  # fmt: skip
