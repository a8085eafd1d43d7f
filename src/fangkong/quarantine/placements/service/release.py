"""Release (解除隔离): when the period has ended and every test day is done negative; the
certificate number, ``PlacementEnded(released)``, and the edition's follow-on period (home
health monitoring after centralized isolation) as a new active placement with its own tests.

The follow-on is the edition the placement was made under (``edition_id``), counted from the
end of the first period, so a switch of edition never rewrites a period already running.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models.quarantine import Placement
from fangkong.quarantine.placements import errors, repository, schedule
from fangkong.quarantine.placements.service.common import (
    edition_of,
    ended,
    get_placement,
    recount,
    snapshot,
    write_audit,
)
from fangkong.quarantine.placements.service.placing import new_placement


def check_releasable(session: Session, placement: Placement, now: datetime) -> None:
    if placement.status != "active":
        raise errors.NotActive()
    if now < placement.ends_at:
        raise errors.ReleaseEarly()
    tests = repository.tests_of(session, placement.id)
    if any(t.status != "done" or t.result != "negative" for t in tests):
        raise errors.TestsMissing()


def certificate_no(placement: Placement, at: datetime) -> str:
    """``JC`` + the local date + the placement id: unique, and readable on paper."""
    return f"JC{at.astimezone(clock.LOCAL_TZ):%Y%m%d}{placement.id:08d}"


def _follow_on(session: Session, actor: Principal, placement: Placement) -> Placement | None:
    degree = None
    if placement.contact_id is not None:
        contact = repository.contact(session, placement.contact_id)
        degree = contact.degree if contact is not None else None
    edition = edition_of(placement)
    period = schedule.follow_on(edition, placement.basis, degree, placement.measure)
    person = repository.person(session, placement.person_id)
    if period is None or person is None:
        return None
    return new_placement(
        session,
        actor,
        person,
        period,
        basis=placement.basis,
        day0_at=placement.ends_at,
        edition_id=edition.id,
        contact_id=placement.contact_id,
        trip_id=placement.trip_id,
        follows_id=placement.id,
    )


def release_placement(session: Session, actor: Principal, placement: Placement) -> Placement:
    now = clock.now()
    check_releasable(session, placement, now)
    before = snapshot(placement)
    placement.status, placement.released_at = "released", now
    placement.certificate_no = certificate_no(placement, now)
    session.flush()
    write_audit(session, actor, "placement.release", placement, before)
    then = _follow_on(session, actor, placement)
    ended(session, placement, follow_on=then is not None)
    recount(session, [placement.region_code])
    return placement


def release(session: Session, *, actor: Principal, placement_id: int) -> Placement:
    placement = get_placement(session, actor=actor, placement_id=placement_id)
    return release_placement(session, actor, placement)


def release_due(session: Session, *, actor: Principal = SYSTEM) -> list[int]:
    """Release every placement in the actor's jurisdiction that is due (the release queue)."""
    due = repository.due_for_release(session, actor, clock.now())
    return [release_placement(session, actor, p).id for p in due]
