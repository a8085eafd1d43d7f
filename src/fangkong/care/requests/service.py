"""Verbs of care requests: ask, assign, start, done, refuse; lists, overdue, export rows.

Rules (docs/care.md):
- the kind decides the channel: food, medicine, medical, other are livelihood requests of a
  resident of a sealed or controlled zone in force; the six one-to-one services need the
  resident's active pairing and go to the paired volunteer;
- a medical request is an emergency: listed first, taken even from outside a zone, never
  refused; it closes only as done;
- the deadline is now plus the kind's hours (``FANGKONG_CARE_HOURS_*``) unless given, and a
  given deadline must lie in the future;
- new → assigned → in_progress → done; refused from new or assigned; done and refused are
  final (a done request is never reopened).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.care import errors, trail
from fangkong.care.kinds import (
    CLOSED,
    EMERGENCY_KINDS,
    LIVELIHOOD_KINDS,
    Channel,
    RequestKind,
    Status,
)
from fangkong.care.requests import repository
from fangkong.care.requests.repository import RequestFilter
from fangkong.care.requests.schemas import (
    EscalationOut,
    OwnRequestCreate,
    RequestCreate,
    RequestOut,
)
from fangkong.care.volunteers import service as volunteers
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.care import CareRequest

__all__ = ["RequestFilter"]
FIELDS = ("status", "volunteer_id", "due_at", "outcome")
OWN_LIMIT = 50
CITIZEN = "citizen"
COMMUNITY_DIGITS = 12


def hours_for(settings: Settings, kind: RequestKind) -> int:
    if kind not in LIVELIHOOD_KINDS:
        return settings.care_hours_service
    hours: int = getattr(settings, f"care_hours_{kind.value}")
    return hours


def is_overdue(request: CareRequest, at: datetime | None = None) -> bool:
    return request.status not in CLOSED and request.due_at < (at or clock.now())


def request_out(request: CareRequest, person: Person | None) -> RequestOut:
    return RequestOut(
        id=request.id, channel=Channel(request.channel), kind=RequestKind(request.kind),
        emergency=request.priority == 0, person_id=request.person_id,
        name=mask_person_name(person.name) if person else "",
        phone=person.phone_masked if person else None, region_code=request.region_code,
        community_code=request.community_code, zone_id=request.zone_id,
        zone_kind=request.zone_kind, pairing_id=request.pairing_id,
        volunteer_id=request.volunteer_id, text=request.text, status=Status(request.status),
        due_at=request.due_at, overdue=is_overdue(request), created_at=request.created_at,
        assigned_at=request.assigned_at, started_at=request.started_at,
        done_at=request.done_at, outcome=request.outcome, escalated_at=request.escalated_at,
        by_citizen=request.by_citizen,
    )  # fmt: skip


def requests_out(session: Session, rows: Sequence[CareRequest]) -> list[RequestOut]:
    found = repository.people_of(session, {r.person_id for r in rows})
    return [request_out(r, found.get(r.person_id)) for r in rows]


def _audit(
    session: Session,
    actor: Principal,
    action: str,
    request: CareRequest,
    before: dict[str, Any] | None,
) -> None:
    trail.record(
        session, actor, action, object_type="care_request", object_id=request.id,
        region_code=request.region_code, before=before,
        after=trail.snapshot(request, ("channel", "kind", *FIELDS)),
    )  # fmt: skip


# --- reading ----------------------------------------------------------------------------


def get_request(session: Session, *, actor: Principal, request_id: int) -> CareRequest:
    request = repository.get_readable(session, actor, request_id)
    if request is None:
        raise errors.RequestNotFound()
    return request


def detail(session: Session, *, actor: Principal, request_id: int) -> RequestOut:
    return requests_out(session, [get_request(session, actor=actor, request_id=request_id)])[0]


def list_requests(
    session: Session, *, actor: Principal, page: PageParams, where: RequestFilter
) -> tuple[list[RequestOut], str | None]:
    rows, cursor = repository.page(session, actor, where, page)
    return requests_out(session, rows), cursor


def overdue(
    session: Session, *, actor: Principal, page: PageParams, at: datetime | None = None
) -> tuple[list[RequestOut], str | None]:
    where = RequestFilter(overdue_at=at or clock.now())
    return list_requests(session, actor=actor, page=page, where=where)


def count_for_export(session: Session, *, actor: Principal, where: RequestFilter) -> int:
    return repository.count(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: RequestFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One keyset chunk of the request list for an export, names masked as in the list."""
    rows = repository.export_rows(session, actor, where, after[0] if after else None, limit)
    key = [rows[-1][0]] if len(rows) == limit else None
    return [(r[0], r[1], r[2] == 0, mask_person_name(r[3]), *r[4:]) for r in rows], key


# --- asking -----------------------------------------------------------------------------


def _deadline(settings: Settings, kind: RequestKind, due_at: datetime | None) -> datetime:
    now = clock.now()
    if due_at is None:
        return now + timedelta(hours=hours_for(settings, kind))
    if due_at <= now:
        raise errors.DeadlineInPast()
    return due_at


def ask(
    session: Session, *, actor: Principal, settings: Settings, data: RequestCreate
) -> CareRequest:
    """Enter a request on a resident's behalf; nothing is written if any check fails."""
    person = volunteers.resident(session, actor, data.person_id)
    due_at = _deadline(settings, data.kind, data.due_at)
    request = CareRequest(
        kind=data.kind.value, person_id=person.id, region_code=person.grid_code,
        community_code=person.grid_code[:COMMUNITY_DIGITS], text=data.text,
        priority=0 if data.kind in EMERGENCY_KINDS else 1, status=Status.NEW.value,
        due_at=due_at, created_by=actor.id, outcome="", by_citizen=actor.role == CITIZEN,
    )  # fmt: skip
    if data.kind in LIVELIHOOD_KINDS:
        _livelihood(session, request)
    else:
        _paired_service(session, request)
    session.add(request)
    session.flush()
    _audit(session, actor, "care.request_create", request, None)
    return request


def ask_own(
    session: Session, *, settings: Settings, person_id: int, data: OwnRequestCreate
) -> CareRequest:
    """A resident's own livelihood request, asked as themselves: the same gate as ``ask``
    (outside a sealed or controlled zone refused, except a medical visit)."""
    person = repository.people_of(session, {person_id}).get(person_id)
    if person is None:
        raise errors.UnknownPerson()
    asked = RequestCreate(person_id=person.id, kind=RequestKind(data.kind), text=data.text)
    return ask(session, actor=citizen_actor(person), settings=settings, data=asked)


def citizen_actor(person: Person) -> Principal:
    """The resident as the actor of their own request: they reach only their own record."""
    return Principal(
        id=None, username=f"citizen:{person.id}", role=CITIZEN, region_code=person.grid_code
    )


def own_requests(session: Session, person_id: int) -> list[RequestOut]:
    """The resident's own requests and their status, newest first (unscoped: the citizen's
    page passes the signed-in person only)."""
    return requests_out(session, repository.of_person(session, person_id, OWN_LIMIT))


def _livelihood(session: Session, request: CareRequest) -> None:
    request.channel = Channel.LIVELIHOOD.value
    zone = repository.zone_in_force(session, request.person_id)
    if zone is None and request.priority != 0:
        raise errors.NotInZone()
    if zone is not None:
        request.zone_id, request.zone_kind = zone.id, zone.kind


def _paired_service(session: Session, request: CareRequest) -> None:
    request.channel = Channel.PAIRING.value
    pairing = volunteers.active_pairing(session, request.person_id)
    if pairing is None:
        raise errors.NotPaired()
    request.pairing_id, request.volunteer_id = pairing.id, pairing.volunteer_id
    request.status, request.assigned_at = Status.ASSIGNED.value, clock.now()


# --- escalating ------------------------------------------------------------------------


def escalate_overdue(
    session: Session, *, actor: Principal, region: str | None = None, at: datetime | None = None
) -> EscalationOut:
    """Mark each open request past its deadline escalated, once; emergencies first. A done
    or refused request is never escalated; one escalated before is not touched again."""
    now = at or clock.now()
    candidates = repository.to_escalate(session, actor, now, region)
    found = [r for r in candidates if repository.mark_escalated(session, r.id, now)]
    for request in found:
        trail.record(
            session, actor, "care.request_escalate", object_type="care_request",
            object_id=request.id, region_code=request.region_code, before={"escalated_at": None},
            after=trail.snapshot(request, ("kind", "status", "due_at", "escalated_at")),
        )  # fmt: skip
    emergencies = sum(1 for r in found if r.priority == 0)
    return EscalationOut(escalated=len(found), emergencies=emergencies, ids=[r.id for r in found])


def escalated_count(session: Session, *, actor: Principal) -> int:
    """Open requests in the actor's jurisdiction that the escalation found overdue."""
    return repository.escalated_open_count(session, actor)


# --- moving -----------------------------------------------------------------------------


def _open(session: Session, actor: Principal, request_id: int) -> CareRequest:
    request = get_request(session, actor=actor, request_id=request_id)
    if request.status in CLOSED:
        raise errors.RequestClosed()
    return request


def assign(
    session: Session, *, actor: Principal, request_id: int, volunteer_id: int | None
) -> CareRequest:
    """To the community (always) and, if given, a volunteer serving the resident's area."""
    request = _open(session, actor, request_id)
    if request.status == Status.IN_PROGRESS:
        raise errors.BadTransition()
    before = trail.snapshot(request, FIELDS)
    if volunteer_id is not None:
        person = volunteers.resident(session, actor, request.person_id)
        kind = request.kind if request.channel == Channel.PAIRING else None
        volunteer = volunteers.volunteer_for_service(session, actor, volunteer_id, person, kind)
        request.volunteer_id = volunteer.id
    request.status, request.assigned_at = Status.ASSIGNED.value, clock.now()
    session.flush()
    _audit(session, actor, "care.request_assign", request, before)
    return request


def start(session: Session, *, actor: Principal, request_id: int) -> CareRequest:
    request = _open(session, actor, request_id)
    if request.status != Status.ASSIGNED:
        raise errors.BadTransition()
    before = trail.snapshot(request, FIELDS)
    request.status, request.started_at = Status.IN_PROGRESS.value, clock.now()
    session.flush()
    _audit(session, actor, "care.request_start", request, before)
    return request


def complete(session: Session, *, actor: Principal, request_id: int, outcome: str) -> CareRequest:
    """Done, from any open state (an emergency is often handled at once)."""
    request = _open(session, actor, request_id)
    before = trail.snapshot(request, FIELDS)
    request.status, request.done_at, request.outcome = Status.DONE.value, clock.now(), outcome
    session.flush()
    _audit(session, actor, "care.request_done", request, before)
    return request


def refuse(session: Session, *, actor: Principal, request_id: int, reason: str) -> CareRequest:
    request = _open(session, actor, request_id)
    if request.priority == 0:
        raise errors.EmergencyNotRefusable()
    if request.status == Status.IN_PROGRESS:
        raise errors.BadTransition()
    before = trail.snapshot(request, FIELDS)
    request.status, request.done_at, request.outcome = Status.REFUSED.value, clock.now(), reason
    session.flush()
    _audit(session, actor, "care.request_refuse", request, before)
    return request
