"""Verbs of testing/results: labs and their members, receiving tubes, conflicts and their
settling, retest tasks, turnaround. Uploads of results are in ``importer``.

A lab user acts for the labs it is a member of; an officer (or admin) with ``testing.results``
for any lab of its jurisdiction, naming it. Services flush, never commit; every change writes an
audit row.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import User
from fangkong.models.testing import Lab, LabMember, Tube, TubeResult
from fangkong.testing import barcodes
from fangkong.testing.results import access, errors, reactions, repository
from fangkong.testing.results.reactions import POOL_RETEST
from fangkong.testing.results.repository import LAB_ROLE, TaskFilter
from fangkong.testing.results.schemas import (
    ConflictOut,
    LabCreate,
    LabUpdate,
    ReceiveReport,
    RefusedBarcode,
    TaskOut,
    TurnaroundDay,
)

__all__ = ["POOL_RETEST", "TaskFilter", "acting_lab", "get_lab"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVABLE = frozenset({"sealed", "received"})


def _snapshot(lab: Lab) -> dict[str, Any]:
    return {"name": lab.name, "region_code": lab.region_code, "address": lab.address,
            "tubes_per_hour": lab.tubes_per_hour, "active": lab.active}  # fmt: skip


def _record(session: Session, actor: Principal, action: str, lab: Lab, **change: Any) -> None:
    audit.record(session, actor=actor, action=action, object_type="lab", object_id=lab.id,
                 region_code=lab.region_code, **change)  # fmt: skip


# --- labs ------------------------------------------------------------------------------------


get_lab = access.get_lab
acting_lab = access.acting_lab


def list_labs(session: Session, *, actor: Principal) -> Sequence[Lab]:
    return repository.labs(session, actor)


def create_lab(session: Session, *, actor: Principal, data: LabCreate) -> Lab:
    if not repository.region_exists(session, data.region_code) or not actor.covers(
        data.region_code
    ):
        raise errors.LabRegionInvalid()
    if repository.lab_named(session, data.name) is not None:
        raise errors.LabNameTaken()
    lab = Lab(**data.model_dump(), active=True)
    session.add(lab)
    session.flush()
    _record(session, actor, "testing.lab_create", lab, after=_snapshot(lab))
    return lab


def update_lab(session: Session, *, actor: Principal, lab_id: int, data: LabUpdate) -> Lab:
    lab = get_lab(session, actor=actor, lab_id=lab_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    named = repository.lab_named(session, changes.get("name", lab.name))
    if named is not None and named.id != lab.id:
        raise errors.LabNameTaken()
    before = _snapshot(lab)
    for field, value in changes.items():
        setattr(lab, field, value)
    session.flush()
    if _snapshot(lab) != before:
        _record(session, actor, "testing.lab_update", lab, before=before, after=_snapshot(lab))
    return lab


def lab_members(session: Session, *, actor: Principal, lab_id: int) -> Sequence[User]:
    return repository.members(session, get_lab(session, actor=actor, lab_id=lab_id).id)


def add_member(session: Session, *, actor: Principal, lab_id: int, user_id: int) -> User:
    lab = get_lab(session, actor=actor, lab_id=lab_id)
    user = repository.user(session, user_id)
    if user is None or user.role != LAB_ROLE or not user.is_active:
        raise errors.NotALabUser()
    if not actor.covers(user.region_code):
        raise errors.NotALabUser()
    if repository.member_link(session, lab.id, user.id) is None:
        session.add(LabMember(lab_id=lab.id, user_id=user.id))
        session.flush()
        _record(session, actor, "testing.lab_member_add", lab, after={"user_id": user.id})
    return user


def remove_member(session: Session, *, actor: Principal, lab_id: int, user_id: int) -> None:
    lab = get_lab(session, actor=actor, lab_id=lab_id)
    if repository.member_link(session, lab.id, user_id) is None:
        raise errors.NotALabUser()
    repository.remove_member(session, lab.id, user_id)
    _record(session, actor, "testing.lab_member_remove", lab, before={"user_id": user_id})


# --- receiving -------------------------------------------------------------------------------


def receive(
    session: Session, *, actor: Principal, lab_id: int | None, barcodes_: Sequence[str]
) -> ReceiveReport:
    """Mark sealed tubes received by the lab; every other barcode is refused with its reason."""
    lab = acting_lab(session, actor=actor, lab_id=lab_id)
    report = ReceiveReport(lab_id=lab.id)
    tubes = repository.tubes_by_barcode(session, list({b.strip() for b in barcodes_}))
    received: dict[int, Tube] = {}  # by id: a barcode sent twice is received once
    for barcode in (b.strip() for b in barcodes_):
        tube = tubes.get(barcode)
        code = _refusal(barcode, tube, lab.id)
        if code is not None:
            report.refused.append(
                RefusedBarcode(barcode=barcode, code=code, message=errors.REASONS[code])
            )
            continue
        assert tube is not None  # an unknown barcode is refused
        if tube.status == "received" or tube.id in received:
            report.already_received += 1
        else:
            received[tube.id] = tube
    report.received = len(received)
    repository.mark_received(session, list(received.values()), lab.id, clock.now())
    if report.received:
        after = {"received": report.received, "refused": len(report.refused)}
        _record(session, actor, "testing.tubes_receive", lab, after=after)
    return report


def _refusal(barcode: str, tube: Tube | None, lab_id: int) -> str | None:
    if not barcodes.is_valid(barcode):
        return "testing.bad_barcode"
    if tube is None:
        return "testing.unknown_tube"
    if tube.lab_id is not None and tube.lab_id != lab_id:
        return "testing.tube_other_lab"
    if tube.status in ("open", "resulted"):
        return "testing.tube_not_sealed" if tube.status == "open" else "testing.tube_resulted"
    return None


# --- conflicts -------------------------------------------------------------------------------


def list_conflicts(session: Session, *, actor: Principal) -> Sequence[Any]:
    return repository.conflicts(session, actor)


def resolve_conflict(
    session: Session, *, actor: Principal, result_id: int, action: str
) -> TubeResult:
    """``keep`` the stored result, or ``replace`` it by the conflicting line (reacting to a
    changed outcome as to a new result). Audited either way."""
    found = repository.conflict(session, actor, result_id)
    if found is None:
        raise errors.ConflictNotFound()
    line, tube = found
    before = {"result": tube.result, "ct_orf1ab": tube.ct_orf1ab, "ct_n": tube.ct_n,
              "tested_at": tube.tested_at}  # fmt: skip
    line.resolved_by = actor.id or 0
    if action == "replace":
        _replace(session, tube, line)
    session.flush()
    tube.conflict = repository.unsettled_conflicts(session, tube.id) > 0
    session.flush()
    after = {"action": action, "line": line.id, "result": tube.result, "ct_orf1ab": tube.ct_orf1ab,
             "ct_n": tube.ct_n, "tested_at": tube.tested_at}  # fmt: skip
    audit.record(
        session, actor=actor, action="testing.conflict_resolve", object_type="tube",
        object_id=tube.id, region_code=tube.region_code, before=before, after=after,
    )  # fmt: skip
    result: TubeResult = line
    return result


def _replace(session: Session, tube: Any, line: TubeResult) -> None:
    changed = tube.result != line.result
    tube.result, tube.ct_orf1ab, tube.ct_n = line.result, line.ct_orf1ab, line.ct_n
    tube.tested_at, tube.resulted_at = line.tested_at, clock.now()
    session.flush()
    if changed and line.result == "positive":
        reactions.positive(session, tube)
    elif changed:
        reactions.negative(session, tube)


# --- tasks, turnaround ------------------------------------------------------------------------


def list_tasks(
    session: Session, *, actor: Principal, where: TaskFilter, page: PageParams
) -> tuple[list[TaskOut], str | None]:
    rows, cursor = repository.tasks_page(session, actor, where, page)
    people = repository.people(session, [task.person_id for task in rows])
    items = []
    for task in rows:
        person = people.get(task.person_id)
        items.append(
            TaskOut(
                id=task.id,
                person_id=task.person_id,
                name_masked=mask_person_name(person.name) if person else "",
                grid_code=person.grid_code if person else None,
                kind=task.kind,
                source_ref=task.source_ref,
                status=task.status,
                created_at=task.created_at,
                done_at=task.done_at,
                result=task.result,
            )
        )
    return items, cursor


def turnaround(
    session: Session, *, actor: Principal, lab_id: int, days: int = 14
) -> list[TurnaroundDay]:
    """Hours from sampling to result per Asia/Shanghai day of the result: median, p90, count."""
    lab = get_lab(session, actor=actor, lab_id=lab_id)
    since = clock.now() - timedelta(days=days)
    hours: defaultdict[date, list[float]] = defaultdict(list)
    for sampled_at, resulted_at in repository.turnaround_rows(session, lab.id, since):
        day = resulted_at.astimezone(SHANGHAI).date()
        hours[day].append((resulted_at - sampled_at).total_seconds() / 3600)
    return [_day(day, values) for day, values in sorted(hours.items())]


def _day(day: date, values: list[float]) -> TurnaroundDay:
    p90 = (
        statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    )
    return TurnaroundDay(
        day=day, count=len(values), median_hours=round(statistics.median(values), 2),
        p90_hours=round(p90, 2),
    )  # fmt: skip


def recent_uploads(session: Session, *, actor: Principal, lab_id: int) -> Sequence[Any]:
    lab = get_lab(session, actor=actor, lab_id=lab_id)
    return repository.recent_uploads(session, lab.id, clock.now() - timedelta(days=7), 20)


def conflict_out(line: TubeResult, tube: Tube) -> ConflictOut:
    return ConflictOut(
        id=line.id, tube_id=tube.id, barcode=tube.barcode, lab_id=line.lab_id,
        region_code=tube.region_code, stored_result=tube.result,
        stored_ct_orf1ab=tube.ct_orf1ab, stored_ct_n=tube.ct_n,
        stored_tested_at=tube.tested_at, result=line.result, ct_orf1ab=line.ct_orf1ab,
        ct_n=line.ct_n, tested_at=line.tested_at, received_at=line.received_at,
    )  # fmt: skip


def tube_of(session: Session, line: TubeResult) -> Tube:
    tube = repository.tube(session, line.tube_id)
    assert tube is not None  # a result line's tube (cascade deletes both)
    return tube
