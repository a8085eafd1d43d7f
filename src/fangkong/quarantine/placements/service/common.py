"""Shared helpers of the placement verbs: lookups that answer 404, the audit row, the test
days, the events and the two control counts of the grids touched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, inspect
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.events import publish
from fangkong.core.iterables import batched
from fangkong.core.principal import SYSTEM, Principal
from fangkong.core.repoint import repoint
from fangkong.db import among, bulk_insert, insert_with_ids, likely
from fangkong.healthcode.service import current_edition
from fangkong.models.quarantine import Placement, QuarantineTest
from fangkong.people.service.ledger import set_control_counts
from fangkong.policy.loader import get_edition
from fangkong.policy.schema import Edition
from fangkong.quarantine.events import PlacementEnded, PlacementStarted
from fangkong.quarantine.placements import errors, repository, schedule

CHUNK = 500  # placements per IN list
SNAPSHOT = (
    "person_id",
    "measure",
    "basis",
    "status",
    "day0_at",
    "ends_at",
    "days",
    "test_days",
    "site_id",
    "room_id",
    "certificate_no",
    "edition_id",
)


def edition_now(session: Session) -> Edition:
    return current_edition(session)


def edition_of(placement: Placement) -> Edition:
    return get_edition(placement.edition_id)


def get_placement(session: Session, *, actor: Principal, placement_id: int) -> Placement:
    placement = repository.get(session, actor, placement_id)
    if placement is None:
        raise errors.PlacementNotFound()
    return placement


def snapshot(placement: Placement | NewPlacement) -> dict[str, Any]:
    return {name: getattr(placement, name) for name in SNAPSHOT}


def write_audit(
    session: Session,
    actor: Principal,
    action: str,
    placement: Placement,
    before: dict[str, Any] | None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="placement",
        object_id=placement.id,
        region_code=placement.region_code,
        before=before,
        after=snapshot(placement),
    )


def set_schedule(session: Session, placement: Placement, day0_at: datetime) -> None:
    """Day 0, the end and the open test days (re)computed from ``day0_at``; tests already
    sampled or done stay as they are."""
    set_schedules(session, [(placement, day0_at)])


def set_schedules(session: Session, moves: Sequence[tuple[Placement, datetime]]) -> None:
    """``set_schedule`` of many placements (a batch's contacts whose day 0 moved): their
    unsampled open tests deleted and the test days they keep read in a few statements."""
    for placement, day0_at in moves:
        placement.day0_at = day0_at
        placement.starts_at = min(placement.starts_at or day0_at, day0_at)
        placement.ends_at = schedule.ends_at(day0_at, placement.days)
    session.flush()
    ids = [placement.id for placement, _ in moves]
    for chunk in batched(ids, CHUNK):
        session.execute(
            delete(QuarantineTest).where(
                among(session, QuarantineTest.placement_id, chunk),
                likely(session, QuarantineTest.status == "open"),  # read by placement
                QuarantineTest.sampled_at.is_(None),
            )
        )
    kept = repository.test_days_of(session, ids)
    for placement, day0_at in moves:
        session.add_all(open_tests(placement, day0_at, kept.get(placement.id, set())))
    session.flush()


def open_tests(
    placement: Placement, day0_at: datetime, kept: set[int] | frozenset[int] = frozenset()
) -> list[QuarantineTest]:
    """The placement's open test days from ``day0_at``, but those ``kept``."""
    return [
        QuarantineTest(
            placement_id=placement.id,
            person_id=placement.person_id,
            day_no=n,
            due_on=schedule.due_on(day0_at, n),
            status="open",
        )
        for n in placement.test_days
        if n not in kept
    ]


def started(session: Session, placement: Placement | NewPlacement) -> None:
    publish(
        session,
        PlacementStarted(
            placement_id=placement.id,
            person_id=placement.person_id,
            measure=placement.measure,
            contact_id=placement.contact_id,
            trip_id=placement.trip_id,
            day0_at=placement.day0_at,
            ends_at=placement.ends_at,
        ),
    )


def ended(session: Session, placement: Placement, *, follow_on: bool = False) -> None:
    publish(
        session,
        PlacementEnded(
            placement_id=placement.id,
            person_id=placement.person_id,
            measure=placement.measure,
            status=placement.status,
            contact_id=placement.contact_id,
            trip_id=placement.trip_id,
            follow_on=follow_on,
        ),
    )


def recount(session: Session, grids: Iterable[str]) -> int:
    """The two control counts of these grids, from the placements and cases now in force."""
    codes = sorted(set(grids))
    if not codes:
        return 0
    return set_control_counts(session, repository.control_counts(session, codes))


def recount_all(session: Session) -> int:
    return recount(session, repository.grids_with_placements(session))


def person_merged(session: Session, *, merged_id: int, kept_id: int) -> None:
    """The merged record's placements and test days now name the kept person; their grids are
    recounted (the counts take each person once)."""
    grids = {placement.region_code for placement in repository.of_person(session, merged_id)}
    repoint(session, (Placement.person_id, QuarantineTest.person_id), merged_id, kept_id)
    recount(session, grids)


# --- bulk (a pushed list's arrivals) ---------------------------------------------------------


class NewPlacement:
    """A placement a bulk path makes (a pushed list's arrivals, a decision batch's contacts),
    stored by ``store_new`` with the others in one Core insert. A plain object, not the ORM's:
    nothing loads it again, and a mapped instance costs tens of microseconds to make and to
    read back, thousands of times a batch. It is given what ``placing._values`` makes; the
    optional columns that leaves out read ``None`` (their defaults then apply, as in a
    flush), and a name that is no column is refused; ``id`` is set once the row exists."""

    id: int  # once stored
    person_id: int
    measure: str
    basis: str
    day0_at: datetime
    starts_at: datetime
    ends_at: datetime
    days: int
    test_days: list[int]
    region_code: str
    status: str
    edition_id: str
    created_by: int | None
    note: str
    contact_id: int | None = None
    trip_id: int | None = None
    arrival_task_id: int | None = None
    follows_id: int | None = None
    household_id: int | None = None
    site_id = room_id = released_at = certificate_no = transferred_at = created_at = None

    def __init__(self, **values: Any) -> None:
        unknown = values.keys() - _PLACEMENT_COLUMNS
        if unknown:  # as a mapped Placement would refuse it
            raise TypeError(f"not a placement's column: {', '.join(sorted(unknown))}")
        self.__dict__.update(values)


_PLACEMENT_COLUMNS = frozenset(attr.key for attr in inspect(Placement).column_attrs)
AnyPlacement = Placement | NewPlacement


def _rows(model: type[Any], objects: Sequence[Any]) -> list[dict[str, Any]]:
    """The column values of transient objects; a column none of them sets and that has a
    default is left out (the insert applies the default, as a flush would)."""
    table = model.__table__
    keys = [a.key for a in inspect(model).column_attrs if a.key != "id"]
    keys = [key for key in keys if table.c[key].default is None
            or any(getattr(o, key) is not None for o in objects)]  # fmt: skip
    return [{key: getattr(o, key) for key in keys} for o in objects]


def insert_tests(session: Session, placements: Sequence[AnyPlacement]) -> None:
    """The open test days of new placements (``open_tests`` of each), in one Core insert."""
    rows = [
        {"placement_id": p.id, "person_id": p.person_id, "day_no": n,
         "due_on": schedule.due_on(p.day0_at, n), "status": "open", "tube_id": None,
         "result": None, "sampled_at": None}
        for p in placements for n in p.test_days
    ]  # fmt: skip
    if rows:
        bulk_insert(session.connection(), QuarantineTest.metadata.tables["quarantine_tests"], rows)


def insert_placements(session: Session, placements: Sequence[AnyPlacement]) -> None:
    """New placements stored with one Core insert; each gets its id. They stay transient."""
    if not placements:
        return
    table = Placement.metadata.tables["placements"]
    ids = insert_with_ids(session.connection(), table, _rows(Placement, placements))
    for placement, placement_id in zip(placements, ids, strict=True):
        placement.id = placement_id


def store_new(session: Session, placements: Sequence[AnyPlacement]) -> None:
    """New placements made by the system in bulk: the rows, their open test days, the audit
    rows, ``PlacementStarted`` each and one recount of the grids touched."""
    insert_placements(session, placements)
    insert_tests(session, placements)
    audit.record_many(session, actor=SYSTEM, entries=[
        audit.Entry("placement.create", "placement", p.id, p.region_code, None, snapshot(p))
        for p in placements
    ])  # fmt: skip
    for placement in placements:
        started(session, placement)
    recount(session, [placement.region_code for placement in placements])
