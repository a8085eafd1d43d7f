"""The entry check's hot path (ARCHITECTURE.md, "Hot paths"): one worker-thread hop per request.

The route is ``async``; everything that blocks (the place code's venue on a cache miss, the
nonce claim, the ID-number lookup, the health-code read, the insert) runs here in one call
that the route hands to a worker thread, so the event loop never waits on the database.
Statements are built once (``repository``), rows not entities, and the venue, the operator's
venues, the edition and the colour come from per-process caches.

Overload and failure: B's ``CodeReader`` answers the last known colour marked stale when the
database is slow or down; the decision is then ``manual`` (``entry.stale_code``) where the
colour matters. If the database is down the scan cannot be written: the answer says
``recorded: false`` and the door staff note the visit by hand. A venue never seen by this
process, or an ID number to look up, needs the database: 503 with ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from fangkong.auth.permissions import Role
from fangkong.citizens import nonces
from fangkong.config import Settings
from fangkong.core import events
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.db import Database
from fangkong.healthcode.events import FactRaised
from fangkong.healthcode.reader import CodeReader, CodeSnapshot
from fangkong.models import PolicyState
from fangkong.policy.loader import get_edition
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason
from fangkong.scans import repository, rules
from fangkong.scans.caches import TtlCache, Unavailable
from fangkong.scans.errors import PersonUnknown, VenueNotOperated
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueRef

RETRY_AFTER = {"Retry-After": "2"}
ACTIVE_EDITION_ID = select(PolicyState.edition_id).where(PolicyState.id == 1)
VENUE_TTL = 30.0  # seconds: a rotated or closed place code is refused at most this late
EDITION_TTL = 5.0


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


class HotPath:
    """The per-process state of the entry check (one per app, on ``app.state``)."""

    def __init__(self, db: Database, settings: Settings, reader: CodeReader) -> None:
        self.db = db
        self.settings = settings
        self.reader = reader
        self.venues: TtlCache[str, VenueRef] = TtlCache(VENUE_TTL)
        self.operators: TtlCache[int, frozenset[int]] = TtlCache(VENUE_TTL)
        self.editions: TtlCache[str, Edition] = TtlCache(EDITION_TTL, size=1)
        self.redis = nonces.redis_for(settings)

    def venue(self, token: str, session: Session | None = None) -> VenueRef:
        """The place code's venue (``PlaceCodeInvalid`` when rotated or closed)."""
        try:
            return self.venues.get(token, lambda key: self._load_venue(key, session))
        except Unavailable as exc:
            raise HTTPException(503, headers=RETRY_AFTER) from exc

    def run(self, request: EntryRequest, given: Session | None = None) -> EntryResult:
        """Decide and record. ``given``: the request's own session, when a page or citizen route
        already holds one (SQLite has one writer: a second session would wait on the first)."""
        venue = self.venue(request.token, given)
        self._check_operator(request.actor, venue, given)
        with self._session(given) as session:
            reachable, person_id = self._person(session, request)
            # End the transaction before the colour is read: the reader uses a connection of
            # its own, and on SQLite (one writer, BEGIN IMMEDIATE) it would wait for ours. The
            # claimed nonce stays claimed even if the insert then fails (the holder refreshes).
            reachable = reachable and _committed(session)
            snapshot = self.reader.lookup(person_id)
            decision = rules.decide(
                self.edition(session), venue.type, snapshot, request.temperature, request.mask,
                request.emergency, request.now,
            )  # fmt: skip
            recorded, scan_id = False, None
            if reachable:
                recorded, scan_id = self._record(
                    session, request=request, venue=venue, person_id=person_id,
                    decision=decision, snapshot=snapshot,
                )  # fmt: skip
        return _result(venue, decision, snapshot, recorded, scan_id)

    def edition(self, session: Session | None = None) -> Edition:
        try:
            return self.editions.get("active", lambda key: self._load_edition(session))
        except Unavailable:
            return get_edition(self.settings.policy)

    @contextmanager
    def _session(self, given: Session | None) -> Iterator[Session]:
        if given is not None:
            yield given
            return
        with self.db.sessions() as session:
            yield session

    def _load_venue(self, token: str, given: Session | None) -> VenueRef:
        with self._session(given) as session:
            return venues.resolve_place_code(session, self.settings, token)

    def _load_edition(self, given: Session | None) -> Edition:
        with self._session(given) as session:
            edition_id = session.execute(ACTIVE_EDITION_ID).scalar()
        return get_edition(edition_id or self.settings.policy)

    def _load_operated(self, user_id: int, given: Session | None) -> frozenset[int]:
        with self._session(given) as session:
            return frozenset(venues.operated_venue_ids(session, user_id))

    def _check_operator(
        self, actor: Principal | None, venue: VenueRef, session: Session | None = None
    ) -> None:
        """An operator only at its own venues; other staff inside their region; else 404."""
        if actor is None:
            return
        if actor.role == Role.VENUE_OPERATOR:
            try:
                operated = self.operators.get(
                    actor.id or 0, lambda key: self._load_operated(key, session)
                )
            except Unavailable as exc:
                raise HTTPException(503, headers=RETRY_AFTER) from exc
            if venue.id not in operated:
                raise VenueNotOperated()
        elif not actor.covers(venue.region_code):
            raise VenueNotOperated()

    def _person(self, session: Session, request: EntryRequest) -> tuple[bool, int]:
        """(database reachable, person id); the nonce claim and the ID lookup need it."""
        try:
            if request.id_hash is not None:
                found = repository.person_by_id_hash(session, request.id_hash)
                if found is None:
                    raise PersonUnknown()
                return True, found
            if request.nonce is not None:
                nonces.claim(session, self.redis, *request.nonce)
        except SQLAlchemyError as exc:
            session.rollback()
            if request.person_id is None:
                raise HTTPException(503, headers=RETRY_AFTER) from exc
            return False, request.person_id
        assert request.person_id is not None
        return True, request.person_id

    def _record(
        self,
        session: Session,
        *,
        request: EntryRequest,
        venue: VenueRef,
        person_id: int,
        decision: rules.Decision,
        snapshot: CodeSnapshot | None,
    ) -> tuple[bool, int | None]:
        values = scan_values(request, venue, person_id, decision, snapshot)
        try:
            scan_id = repository.insert_scan(session, values)
            if scan_id is not None and decision.fever:
                events.publish(session, fever_fact(person_id, scan_id))
            session.commit()
        except SQLAlchemyError:
            session.rollback()
            return False, None
        return True, scan_id


def _committed(session: Session) -> bool:
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        return False
    return True


def fever_fact(person_id: int, scan_id: int) -> FactRaised:
    """The fever sentinel (发热哨点) a refused temperature raises for the health code."""
    return FactRaised(
        person_id, Reason.FEVER_PENDING_TEST, source="entry_check", ref=f"scan:{scan_id}"
    )


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


def _result(
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
