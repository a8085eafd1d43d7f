"""What an entry check is asked and answers, and the rules on who may check in where: plain
data and pure functions, shared by the awaited path and the threaded one (``hotpath``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from fangkong.auth.permissions import Role
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.healthcode.reader import CodeSnapshot
from fangkong.scans import rules
from fangkong.scans.errors import VenueNotOperated
from fangkong.venues.schemas import VenueRef


@dataclass(frozen=True, slots=True)
class EntryRequest:
    token: str
    now: datetime
    source: str  # checkin | door
    actor: Principal | None  # None: the citizen's own check-in
    person_id: int | None = None  # from an opened personal code, or the citizen
    nonce: tuple[str, datetime] | None = None  # (nonce, expires_at) to claim
    id_hash: str | None = None  # the ID number's keyed hash, to look up
    temperature: float | None = None
    mask: bool | None = None
    emergency: bool = False
    device: str | None = None
    scanned_at: datetime | None = None  # an offline phone's own time; else ``now``


@dataclass(frozen=True, slots=True)
class EntryResult:
    venue: VenueRef
    decision: rules.Decision
    colour: str | None
    stale: bool
    recorded: bool
    scan_id: int | None
    person_name: str | None  # masked


def is_operator(actor: Principal | None) -> TypeGuard[Principal]:
    return actor is not None and actor.role == Role.VENUE_OPERATOR


def may_check_at(actor: Principal | None, venue: VenueRef, operated: frozenset[int] | None) -> None:
    """An operator only at the venues it operates (``operated``); other staff inside their
    region; else 404 (``VenueNotOperated``). No actor: a citizen's own check-in."""
    if actor is None:
        return
    if is_operator(actor):
        if venue.id not in (operated or frozenset()):
            raise VenueNotOperated()
    elif not actor.covers(venue.region_code):
        raise VenueNotOperated()


def scan_values(
    request: EntryRequest,
    venue: VenueRef,
    person_id: int,
    decision: rules.Decision,
    snapshot: CodeSnapshot | None,
) -> dict[str, Any]:
    return {
        "venue_id": venue.id,
        "person_id": person_id,
        "region_code": venue.region_code,
        "scanned_at": request.scanned_at or request.now,
        "temperature": request.temperature,
        "mask": request.mask,
        "decision": decision.decision.value,
        "colour": snapshot.colour if snapshot else "unknown",
        "reasons": [reason.value for reason in decision.reasons],
        "override": decision.override,
        "source": request.source,
        "device": request.device,
        "batch": None,
        "created_at": request.now,
    }


def result_of(
    venue: VenueRef,
    decision: rules.Decision,
    snapshot: CodeSnapshot | None,
    recorded: bool,
    scan_id: int | None,
) -> EntryResult:
    name = snapshot.name if snapshot else None
    return EntryResult(
        venue=venue,
        decision=decision,
        colour=snapshot.colour if snapshot else None,
        stale=snapshot is None or snapshot.stale,
        recorded=recorded,
        scan_id=scan_id,
        person_name=mask_person_name(name) if name else None,
    )
