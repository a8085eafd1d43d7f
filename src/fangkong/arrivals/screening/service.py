"""Verbs of screening: the landing test closed by sampling (event and sweep), the grid
worker's screening (排查), the to-do list, and escalation of overdue screenings (问责).

Services flush and never commit; every change writes an audit row (the jobs write one per
run and level, naming the counts, since they change tasks in one statement)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from asgi_correlation_id import correlation_id
from sqlalchemy.orm import Session

from fangkong.arrivals import places
from fangkong.arrivals.screening import errors, repository
from fangkong.arrivals.screening.repository import TaskFilter
from fangkong.arrivals.screening.schemas import EscalationOut, ScreenIn, TaskOut
from fangkong.audit import service as audit
from fangkong.core import clock, events
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import InvalidCursor, PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import FactEnded, FactRaised
from fangkong.models import PersonAccess
from fangkong.models.arrivals import ArrivalTask, Trip
from fangkong.people.protect import Protector
from fangkong.policy.types import Reason

SOURCE = "arrivals.screening"
FIRST = datetime(2000, 1, 1, tzinfo=UTC)  # the range a cursor's due time may name
LAST = datetime(9000, 1, 1, tzinfo=UTC)


__all__ = ["TaskFilter", "escalate", "list_tasks", "reveal_phone", "screen", "sweep_landing"]


# --- landing tests ------------------------------------------------------------------------------


def close_landing(
    session: Session, person_ids: Sequence[int], tube_id: int, sampled_at: datetime
) -> int:
    """A tube sampled these people: their open landing tests (arrived by then) are done."""
    if not person_ids:
        return 0
    closed = repository.close_landing_for(session, person_ids, tube_id, sampled_at)
    if closed:
        _landing_audit(session, tube_id, closed, person_ids)
    return closed


Sampled = tuple[Sequence[int], int, datetime]  # (people, tube id, sampled at)


def close_landing_many(session: Session, tubes: Sequence[Sampled]) -> int:
    """``close_landing`` of many tubes (a bulk sampling): the open landing tests of all their
    people read at once, the ones whose trip arrived by their sampling done together, one audit
    row per tube that closed any."""
    sampled = {person: (tube_id, at) for people, tube_id, at in tubes for person in people}
    done: dict[int, list[int]] = {}
    rows = []
    for task_id, person_id, arrived_at in repository.open_landing_of(session, list(sampled)):
        tube_id, at = sampled[person_id]
        if arrived_at <= at:
            rows.append((task_id, tube_id, at))
            done.setdefault(tube_id, []).append(person_id)
    repository.mark_landing_done(session, rows)
    for tube_id, people in done.items():
        _landing_audit(session, tube_id, len(people), people)
    return len(rows)


def _landing_audit(session: Session, tube_id: int, closed: int, people: Sequence[int]) -> None:
    audit.record(session, actor=SYSTEM, action="arrivals.landing_test.done",
                 object_type="tube", object_id=tube_id,
                 after={"closed": closed, "person_ids": list(people)})  # fmt: skip


def sweep_landing(session: Session) -> dict[str, Any]:
    """Close, in one UPDATE, the open landing tests whose person was sampled since arriving."""
    closed = repository.sweep_landing(session)
    if closed:
        audit.record(session, actor=SYSTEM, action="arrivals.landing_test.sweep",
                     object_type="arrival_tasks", object_id="landing_test",
                     after={"closed": closed})  # fmt: skip
    return {"closed": closed}


_DONE_CHUNK = 500


def placement_done(session: Session, *, trip_id: int, placement_ref: str) -> int:
    """The quarantine placed the trip's person: its open ``placement`` tasks are done."""
    return placements_done(session, {trip_id: placement_ref})


def placements_done(session: Session, refs: dict[int, str]) -> int:
    """``placement_done`` for many trips at once (``trip_id → placement_ref``; a pushed list's
    placements): the open ``placement`` tasks read in chunks, each done with its audit row."""
    now, done = clock.now(), 0
    ids = sorted(refs)
    for start in range(0, len(ids), _DONE_CHUNK):
        chunk = ids[start : start + _DONE_CHUNK]
        tasks = repository.open_placements(session, chunk)
        for task in tasks:
            task.status, task.done_at, task.done_ref = "done", now, refs[task.trip_id]
        audit.record_many(session, actor=SYSTEM, entries=[
            audit.Entry("arrivals.placement_task.done", "arrival_task", task.id, task.grid_code,
                        after={"status": "done", "done_ref": task.done_ref}) for task in tasks
        ])  # fmt: skip
        done += len(tasks)
    session.flush()
    return done


# --- screening -----------------------------------------------------------------------------------


def _snapshot(task: ArrivalTask) -> dict[str, Any]:
    return {"status": task.status, "outcome": task.outcome, "done_at": task.done_at,
            "escalation": task.escalation, "grid_code": task.grid_code}  # fmt: skip


def screen(session: Session, *, actor: Principal, task_id: int, data: ScreenIn) -> ArrivalTask:
    """Record the grid worker's screening: the task done, the trip screened, the overdue
    fact (if one was raised) ended."""
    task = repository.task(session, actor.region_code, task_id, lock=True)
    if task is None:
        raise errors.TaskNotFound()
    if task.kind != repository.SCREENING:
        raise errors.NotAScreening()
    if task.status != repository.OPEN:
        raise errors.TaskClosed()
    before = _snapshot(task)
    task.status, task.done_at, task.done_by = repository.DONE, clock.now(), actor.id
    task.outcome, task.note = data.outcome.value, data.note.strip()
    task.done_ref = f"screening:{task.id}"
    trip = repository.trip(session, task.trip_id)
    last = trip is not None and not repository.other_open_screening(session, trip.id, task.id)
    if trip is not None and trip.status == "open" and last:
        trip.status = "screened"
    session.flush()
    after = _snapshot(task) | {"trip_status": trip.status if trip else None}
    audit.record(session, actor=actor, action="arrivals.task.screen", object_type="arrival_task",
                 object_id=task.id, region_code=task.grid_code, before=before,
                 after=after)  # fmt: skip
    if repository.has_open_fact(session, task.person_id, task.trip_id):
        events.publish(session, FactEnded(person_id=task.person_id,
                                          reason=Reason.ARRIVAL_UNSCREENED,
                                          ref=f"trip:{task.trip_id}"))  # fmt: skip
    return task


# --- the to-do list ------------------------------------------------------------------------------


def _cursor(task: ArrivalTask) -> str:
    raw = json.dumps([task.due_at.isoformat(), task.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _in_range(when: datetime) -> bool:
    """An aware instant the database can hold (a year-1 time would overflow in UTC)."""
    try:
        return when.tzinfo is not None and FIRST <= when.astimezone(UTC) <= LAST
    except OverflowError:
        return False


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, key = json.loads(raw)
        when = datetime.fromisoformat(at)
    except (binascii.Error, ValueError, TypeError, OverflowError) as exc:
        raise InvalidCursor() from exc
    if not _in_range(when):
        raise InvalidCursor()
    if isinstance(key, bool) or not isinstance(key, int):
        raise InvalidCursor()
    if not 0 <= key <= 2**63 - 1:
        raise InvalidCursor()
    return when, key


def task_out(task: ArrivalTask, trip: Trip, name: str, phone_masked: str | None,
             now: datetime) -> TaskOut:  # fmt: skip
    late = task.status == repository.OPEN and task.due_at < now
    hours = (now - task.due_at).total_seconds() / 3600 if late else 0.0
    origin = places.label(trip.origin_province, trip.origin_city, trip.origin_district)
    origin += trip.origin_area or ""
    return TaskOut(
        id=task.id, trip_id=task.trip_id, person_id=task.person_id, kind=task.kind,
        grid_code=task.grid_code, status=task.status, due_at=task.due_at, overdue=late,
        hours_overdue=round(hours, 1), escalation=task.escalation, done_at=task.done_at,
        outcome=task.outcome, note=task.note, name_masked=mask_person_name(name),
        phone_masked=phone_masked, arrived_at=trip.arrived_at, origin=origin, grade=trip.grade,
        measure=trip.measure,
    )  # fmt: skip


def list_tasks(
    session: Session, *, actor: Principal, where: TaskFilter, page: PageParams
) -> tuple[list[TaskOut], str | None]:
    """Tasks inside the caller's jurisdiction by due time, names and phones masked."""
    now = clock.now()
    if where.due_before is not None and not _in_range(where.due_before):
        raise errors.BadDate()
    statement = repository.tasks_statement(actor.region_code, where, now)
    rows = repository.tasks_page(session, statement, _after(page.cursor), page.limit)
    items = [task_out(t, trip, p.name, p.phone_masked, now) for t, trip, p in rows[: page.limit]]
    cursor = _cursor(rows[page.limit - 1][0]) if len(rows) > page.limit else None
    return items, cursor


def reveal_phone(session: Session, *, actor: Principal, protector: Protector, task_id: int) -> str:
    """The person's phone, to call them about the task; the access is logged as people's are."""
    task = repository.task(session, actor.region_code, task_id)
    if task is None:
        raise errors.TaskNotFound()
    person = repository.person(session, task.person_id)
    if person is None or person.phone_enc is None:
        raise errors.NoPhone()
    session.add(PersonAccess(at=clock.now(), user_id=actor.id, username=actor.username,
                             action="reveal_phone", person_id=person.id,
                             region_code=person.grid_code,
                             request_id=correlation_id.get()))  # fmt: skip
    session.flush()
    return protector.open_phone(person.phone_enc)


# --- escalation (问责) ---------------------------------------------------------------------------


def escalate(session: Session) -> EscalationOut:
    """Overdue screenings go to the street, then the district, at the edition's hours; each
    gets the unscreened fact once overdue. Idempotent: a second run changes nothing."""
    rules = healthcode.current_edition(session).arrivals.escalation
    now = clock.now()
    to_district = repository.escalate(
        session, level="district", below=("none", "street"),
        due_by=now - timedelta(hours=rules.district_after_hours), now=now,
    )  # fmt: skip
    to_street = repository.escalate(
        session, level="street", below=("none",),
        due_by=now - timedelta(hours=rules.street_after_hours), now=now,
    )  # fmt: skip
    pending = repository.overdue_without_fact(session, now)
    for person_id, trip_id in pending:
        events.publish(session, FactRaised(person_id=person_id, reason=Reason.ARRIVAL_UNSCREENED,
                                           source=SOURCE, ref=f"trip:{trip_id}"))  # fmt: skip
    out = EscalationOut(street=to_street, district=to_district, facts_raised=len(pending))
    if to_street or to_district or pending:
        audit.record(session, actor=SYSTEM, action="arrivals.task.escalate",
                     object_type="arrival_tasks", object_id="screening",
                     after=out.model_dump())  # fmt: skip
    session.flush()
    return out


def one_task(session: Session, *, actor: Principal, task_id: int) -> TaskOut:
    task = repository.task(session, actor.region_code, task_id)
    trip = repository.trip(session, task.trip_id) if task else None
    person = repository.person(session, task.person_id) if task else None
    if task is None or trip is None or person is None:
        raise errors.TaskNotFound()
    return task_out(task, trip, person.name, person.phone_masked, clock.now())
