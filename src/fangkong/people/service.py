"""Verbs of the people domain: register, change, find, reveal, households, counts, ledger, merge.

Every verb takes the acting ``Principal`` and works inside its jurisdiction (the grid code's
prefix); services flush and never commit, and every change writes an audit row. Opening a
record, revealing a number and searching by ID number or phone write an access-log row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asgi_correlation_id import correlation_id
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.audit.schemas import AuditFilters
from fangkong.core import clock, events
from fangkong.core.errors import NotFound
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import (
    AuditLog,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    KeyGroupMembership,
    Person,
    PersonAccess,
    PersonStatus,
)
from fangkong.people import counts, errors, idcard, repository, validation
from fangkong.people.events import PersonMerged
from fangkong.people.protect import Protector
from fangkong.people.repository import PersonFilter
from fangkong.people.schemas import (
    HouseholdCreate,
    HouseholdUpdate,
    KeyGroupIn,
    PersonCreate,
    PersonSearch,
    PersonUpdate,
    RevealField,
)
from fangkong.regions import service as regions

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

__all__ = ["PersonFilter"]


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
    if repository.grid(session, code) is None:
        raise errors.UnknownGrid()
    if not actor.covers(code):
        raise errors.GridOutOfScope()
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


# --- households -------------------------------------------------------------------------


def create_household(session: Session, *, actor: Principal, data: HouseholdCreate) -> Household:
    require_grid(session, actor, data.grid_code)
    if data.ref and repository.household_by_ref(session, data.grid_code, data.ref):
        raise errors.HouseholdRefTaken()
    household = Household(grid_code=data.grid_code, address=data.address, ref=data.ref)
    session.add(household)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="household.create",
        object_type="household",
        object_id=household.id,
        region_code=household.grid_code,
        after={"address": household.address, "ref": household.ref},
    )
    counts.recount_grids(session, [household.grid_code])
    return household


def get_household(session: Session, *, actor: Principal, household_id: int) -> Household:
    household = repository.get_household(session, actor, household_id)
    if household is None:
        raise errors.HouseholdNotFound()
    return household


def list_households(
    session: Session, *, actor: Principal, page: PageParams, region: str | None
) -> tuple[Sequence[Household], str | None]:
    return repository.households_page(session, actor, page, region)


def members(session: Session, household: Household) -> list[Person]:
    return repository.members_of(session, [household.id])[household.id]


def add_member(
    session: Session, *, actor: Principal, household_id: int, person_id: int, head: bool
) -> Household:
    household = get_household(session, actor=actor, household_id=household_id)
    person = get_person(session, actor=actor, person_id=person_id, log=False)
    if person.grid_code != household.grid_code:
        raise errors.HouseholdGridMismatch()
    previous = person.household_id
    person.household_id = household.id
    if head:
        household.head_id = person.id
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="household.add_member",
        object_type="household",
        object_id=household.id,
        region_code=household.grid_code,
        before={"person_id": person.id, "household_id": previous},
        after={"person_id": person.id, "head": head},
    )
    return household


def remove_member(
    session: Session, *, actor: Principal, household_id: int, person_id: int
) -> Household:
    household = get_household(session, actor=actor, household_id=household_id)
    person = get_person(session, actor=actor, person_id=person_id, log=False)
    if person.household_id != household.id:
        raise errors.PersonNotFound()
    person.household_id = None
    if household.head_id == person.id:
        household.head_id = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="household.remove_member",
        object_type="household",
        object_id=household.id,
        region_code=household.grid_code,
        before={"person_id": person.id},
    )
    return household


def update_household(
    session: Session, *, actor: Principal, household_id: int, data: HouseholdUpdate
) -> Household:
    household = get_household(session, actor=actor, household_id=household_id)
    before = {"address": household.address, "head_id": household.head_id}
    changes = data.model_dump(exclude_unset=True)
    if changes.get("head_id") is not None and changes["head_id"] not in {
        member.id for member in members(session, household)
    }:
        raise errors.HeadNotMember()
    for name, value in changes.items():
        setattr(household, name, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="household.update",
        object_type="household",
        object_id=household.id,
        region_code=household.grid_code,
        before=before,
        after={"address": household.address, "head_id": household.head_id},
    )
    return household


# --- counts, load and ledger ------------------------------------------------------------


def grid_workers(session: Session, *, actor: Principal, grid_code: str) -> list[str]:
    return [user.username for user in regions.workers(session, actor=actor, grid_code=grid_code)]


def log_export(session: Session, actor: Principal, region_code: str) -> None:
    """An export of a ledger is an access to every record in it: one row says who and where."""
    session.add(
        PersonAccess(
            at=clock.now(),
            user_id=actor.id,
            username=actor.username,
            action="export_ledger",
            region_code=region_code,
            request_id=correlation_id.get(),
        )
    )


def recount_grids(session: Session, grid_codes: Iterable[str]) -> int:
    return counts.recount_grids(session, grid_codes)


def recount_all(session: Session, *, today: date | None = None) -> int:
    return counts.recount_grids(session, counts.populated_grids(session), today=today)


def nightly_recount(session: Session, *, today: date) -> dict[str, int]:
    """Children who turned three lose the flag; then every grid is recounted for ``today``."""
    aged_out = repository.clear_under_three(
        session, born_before=validation.third_birthday_cutoff(today)
    )
    grids = recount_all(session, today=today)
    return {"aged_out": aged_out, "grids": grids}


def region_counts(session: Session, *, actor: Principal, region_code: str) -> dict[str, int]:
    if not actor.covers(region_code):
        raise NotFound()
    return counts.region_totals(session, region_code)


@dataclass(frozen=True)
class Load:
    grid_code: str
    grid_name: str
    workers: int
    households: int
    residents: int
    households_per_worker: float | None
    people_per_worker: float | None
    overloaded: bool
    unstaffed: bool


def worker_load(
    session: Session, *, actor: Principal, region_code: str, max_households: int
) -> list[Load]:
    """Households and people per grid worker in every grid; over ``max_households`` is flagged."""
    if not actor.covers(region_code):
        raise NotFound()
    loads = []
    for code, name, workers, households, residents in repository.grid_load(
        session, actor, region_code
    ):
        per_household = households / workers if workers else None
        loads.append(
            Load(
                grid_code=code,
                grid_name=name,
                workers=workers,
                households=households,
                residents=residents,
                households_per_worker=per_household,
                people_per_worker=residents / workers if workers else None,
                overloaded=per_household is not None and per_household > max_households,
                unstaffed=workers == 0 and households > 0,
            )
        )
    return loads


@dataclass
class LedgerEntry:
    person: Person
    key_groups: list[str]
    is_head: bool


@dataclass
class GridLedger:
    grid_code: str
    grid_name: str
    households: list[tuple[Household, list[LedgerEntry]]]
    without_household: list[LedgerEntry]


def ledger(session: Session, *, actor: Principal, grid_code: str) -> GridLedger:
    """台账: the grid's households with their members, then people in no household."""
    region = repository.grid(session, grid_code)
    if region is None or not actor.covers(grid_code):
        raise NotFound()
    households = list(repository.grid_households(session, grid_code))
    by_household = repository.members_of(session, [h.id for h in households])
    loose = list(repository.grid_people_without_household(session, grid_code))
    everyone = [p.id for ms in by_household.values() for p in ms] + [p.id for p in loose]
    groups = repository.key_group_people(session, everyone, clock.local_today())

    def entry(person: Person, head_id: int | None) -> LedgerEntry:
        return LedgerEntry(person, groups.get(person.id, []), person.id == head_id)

    return GridLedger(
        grid_code=grid_code,
        grid_name=region.name,
        households=[(h, [entry(p, h.head_id) for p in by_household[h.id]]) for h in households],
        without_household=[entry(p, None) for p in loose],
    )


# --- duplicates and merge ---------------------------------------------------------------


def list_duplicates(
    session: Session, *, actor: Principal, page: PageParams, status: str
) -> tuple[Sequence[DuplicateCandidate], str | None]:
    return repository.duplicates_page(session, actor, page, status)


def get_duplicate(
    session: Session, *, actor: Principal, pair_id: int
) -> tuple[DuplicateCandidate, Person, Person]:
    pair = repository.get_duplicate(session, actor, pair_id)
    if pair is None:
        raise errors.DuplicateNotFound()
    first = repository.get_person(session, actor, pair.person_id)
    second = repository.get_person(session, actor, pair.other_id)
    if first is None or second is None:
        raise errors.DuplicateNotFound()
    return pair, first, second


def dismiss_duplicate(session: Session, *, actor: Principal, pair_id: int) -> DuplicateCandidate:
    pair, _, _ = get_duplicate(session, actor=actor, pair_id=pair_id)
    _decide(pair, actor, DuplicateStatus.DISMISSED)
    audit.record(
        session,
        actor=actor,
        action="person.duplicate_dismiss",
        object_type="duplicate_candidate",
        object_id=pair.id,
        region_code=pair.region_code,
        after={"person_id": pair.person_id, "other_id": pair.other_id},
    )
    return pair


def _decide(pair: DuplicateCandidate, actor: Principal, status: DuplicateStatus) -> None:
    if pair.status != DuplicateStatus.OPEN:
        raise errors.DuplicateDecided()
    pair.status = status
    pair.decided_by = actor.id
    pair.decided_at = clock.now()


def merge_duplicate(session: Session, *, actor: Principal, pair_id: int, keep_id: int) -> Person:
    """Merge the pair into ``keep_id``: links move, the other record stays as history."""
    pair, first, second = get_duplicate(session, actor=actor, pair_id=pair_id)
    if keep_id not in (first.id, second.id):
        raise errors.MergeKeepNotInPair()
    kept, merged = (first, second) if keep_id == first.id else (second, first)
    _decide(pair, actor, DuplicateStatus.MERGED)
    _move_links(session, merged, kept)
    merged.status = PersonStatus.MERGED
    merged.merged_into_id = kept.id
    session.flush()
    events.publish(session, PersonMerged(merged_id=merged.id, kept_id=kept.id, actor=actor))
    audit.record(
        session,
        actor=actor,
        action="person.merge",
        object_type="person",
        object_id=kept.id,
        region_code=kept.grid_code,
        before={"merged_id": merged.id, "pair_id": pair.id},
        after={"kept_id": kept.id},
    )
    counts.recount_grids(session, {kept.grid_code, merged.grid_code})
    return kept


def _move_links(session: Session, merged: Person, kept: Person) -> None:
    for membership in repository.key_groups_of(session, merged.id):
        membership.person_id = kept.id
    household_id, merged.household_id = merged.household_id, None
    if kept.household_id is None and household_id is not None:
        household = session.get(Household, household_id)
        if household is not None and household.grid_code == kept.grid_code:
            kept.household_id = household.id
    for household in repository.households_headed_by(session, merged.id):
        household.head_id = kept.id if kept.household_id == household.id else None
    _repoint_pairs(session, merged, kept)


def _repoint_pairs(session: Session, merged: Person, kept: Person) -> None:
    """Other open pairs of the merged record now concern the kept one (or are settled)."""
    pairs = repository.open_pairs_of(session, [merged.id, kept.id])
    seen = {
        frozenset((p.person_id, p.other_id))
        for p in pairs
        if merged.id not in (p.person_id, p.other_id)
    }
    for pair in pairs:
        if merged.id not in (pair.person_id, pair.other_id):
            continue
        ids = {pair.person_id, pair.other_id} - {merged.id}
        other = ids.pop() if ids else kept.id
        if other == kept.id or frozenset((kept.id, other)) in seen:
            pair.status = DuplicateStatus.MERGED
            continue
        pair.person_id, pair.other_id = kept.id, other
        seen.add(frozenset((kept.id, other)))


# --- pages ------------------------------------------------------------------------------


def history(
    session: Session, *, actor: Principal, person_id: int, limit: int = 50
) -> Sequence[AuditLog]:
    """The person's own audit rows, newest first: the timeline of the person page."""
    filters = AuditFilters(object_type="person", object_id=str(person_id))
    rows, _ = audit.list_entries(
        session, actor=actor, filters=filters, page=PageParams(limit=limit)
    )
    return rows


def household_members(session: Session, households: Sequence[Household]) -> dict[int, list[Person]]:
    """Members of several households at once (one query), for lists that show heads and sizes."""
    return repository.members_of(session, [household.id for household in households])
