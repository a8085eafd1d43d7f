"""Households: one grid each, members and a head; the person page's own history."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.audit.schemas import AuditFilters
from fangkong.core.iterables import batched
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import (
    AuditLog,
    Household,
    Person,
)
from fangkong.people import counts, errors, repository
from fangkong.people.schemas import (
    HouseholdCreate,
    HouseholdUpdate,
)
from fangkong.people.service.registry import get_person, require_grid

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


def members_of_households(
    session: Session, *, actor: Principal, household_ids: Sequence[int]
) -> dict[int, list[Person]]:
    """Each household's active members by id, the households read a thousand at a time; the
    first one (in the order given) outside the jurisdiction or unknown is refused, named."""
    found: dict[int, list[Person]] = {}
    for chunk in batched(list(dict.fromkeys(household_ids)), 1000):
        inside = repository.households_in(session, actor, chunk)
        missing = [household_id for household_id in chunk if household_id not in inside]
        if missing:
            raise errors.HouseholdNotFound(household_id=missing[0])
        found |= repository.members_of(session, chunk)
    return found


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
