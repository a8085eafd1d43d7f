"""Likely duplicates: compare, dismiss, or merge with every domain re-pointing its links."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock, events
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    Person,
    PersonStatus,
)
from fangkong.people import counts, errors, repository
from fangkong.people.events import PersonMerged

# --- duplicates and merge ---------------------------------------------------------------


def list_duplicates(
    session: Session, *, actor: Principal, page: PageParams, status: str
) -> tuple[list[tuple[DuplicateCandidate, Person, Person]], str | None]:
    """A page of pairs with both records, the people read in one query for the whole page."""
    pairs, cursor = repository.duplicates_page(session, actor, page, status)
    ids = [i for pair in pairs for i in (pair.person_id, pair.other_id)]
    people = repository.people_by_id(session, actor, ids)
    found = [
        (pair, people[pair.person_id], people[pair.other_id])
        for pair in pairs
        if pair.person_id in people and pair.other_id in people
    ]
    return found, cursor


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
