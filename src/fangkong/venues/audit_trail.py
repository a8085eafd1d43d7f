"""The audit rows of venue changes, shared by the service and the import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.principal import Principal
from fangkong.models.venue import Venue, VenueClosure

AUDITED_FIELDS = ("name", "type", "region_code", "address", "active", "place_code_version")


def snapshot(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in AUDITED_FIELDS}


CLOSURE_FIELDS = ("id", "reason", "starts_at", "ends_at", "reopen_note")


def closure_snapshot(closure: VenueClosure) -> dict[str, Any]:
    return {name: getattr(closure, name) for name in CLOSURE_FIELDS}


def record_created(
    session: Session, actor: Principal, action: str, venues: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """The audit rows of venues inserted in bulk: (id, snapshot) each."""
    entries = [audit.Entry(action=action, object_type="venue", object_id=venue_id,
                           region_code=after["region_code"], after=after)
               for venue_id, after in venues]  # fmt: skip
    audit.record_many(session, actor=actor, entries=entries)


def record(
    session: Session,
    actor: Principal,
    action: str,
    venue: Venue,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="venue",
        object_id=venue.id,
        region_code=venue.region_code,
        before=before,
        after=after,
    )
