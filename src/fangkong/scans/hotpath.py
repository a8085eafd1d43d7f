"""The entry check's hot path (ARCHITECTURE.md, "Hot paths").

``HotPath.check`` serves the API's entry check on the event loop: the venue, the operator's
venues and the edition come from per-process caches, a miss and the person's code are awaited
reads (``fangkong.hotdb``), the scan joins the write-behind queue (``writer``). ``HotPath.run``
does the same in one blocking call, for pages and citizen routes that already hold a session.
Who may check in where, and what a request and an answer hold, are in ``checks``.

Overload and failure: B's ``CodeReader`` answers the last known colour marked stale when the
database is slow or down; the decision is then ``manual`` (``entry.stale_code``) where the
colour matters. If the database is down the scan cannot be written: the answer says
``recorded: false`` and the door staff note the visit by hand. A venue never seen by this
process, or an ID number to look up, needs the database: 503 with ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import anyio
import redis
from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from fangkong.citizens import nonces
from fangkong.citizens.errors import PersonalCodeReplayed
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.db import Database
from fangkong.healthcode.reader import CodeReader, CodeSnapshot, Found
from fangkong.hotdb import DB_ERRORS
from fangkong.models import PolicyState
from fangkong.models.venue import Venue
from fangkong.policy.loader import get_edition
from fangkong.policy.schema import Edition
from fangkong.scans import repository, rules
from fangkong.scans.caches import TtlCache, Unavailable
from fangkong.scans.checks import (
    EntryRequest,
    EntryResult,
    is_operator,
    may_check_at,
    result_of,
    scan_values,
)
from fangkong.scans.errors import PersonUnknown
from fangkong.scans.writer import Pending, ScanWriter, write_one
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueRef

RETRY_AFTER = {"Retry-After": "2"}
ACTIVE_EDITION_ID = select(PolicyState.edition_id).where(PolicyState.id == 1)
# A venue is read again after VENUE_TTL, or as soon as any venue changed: every VENUE_WATCH
# seconds the process reads the venues' change mark (their count and latest ``updated_at``),
# so a rotated or closed place code is refused within that, not after the whole TTL.
VENUE_TTL = 600.0
VENUE_WATCH = 2.0
VENUE_MARK = select(func.count(Venue.id), func.max(Venue.updated_at))
EDITION_TTL = 5.0
K = TypeVar("K")
V = TypeVar("V")


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
        self.aredis = nonces.async_redis_for(settings)
        self._venue_mark = reader.hot.prepare(VENUE_MARK, {})
        self._place_row = reader.hot.prepare(venues.PLACE_CODE_ROW, {"venue_id": 0})
        self._operated = reader.hot.prepare(venues.OPERATED, {"user_id": 0})
        self._active_edition = reader.hot.prepare(ACTIVE_EDITION_ID, {})
        self._venue_mark_seen: tuple[Any, ...] | None = None
        self._venue_mark_due = 0.0
        self.writer = ScanWriter(
            db, interval_ms=settings.scan_write_batch_ms, capacity=settings.scan_write_queue
        )

    async def check(self, request: EntryRequest) -> EntryResult:
        """``run`` for the API's entry check, on the event loop: the caches answer the venue,
        the operator's venues and the edition; the person and the colour are one awaited read
        each (``CodeReader.lookup_async``); a cache miss is an awaited read too
        (``fangkong.hotdb``: no write lock on SQLite, no thread); the scan joins the
        write-behind queue (``writer``). Only a nonce claimed without Redis, or a scan
        written before the answer, goes to a thread."""
        if self._venue_mark_is_due():
            with suppress(*DB_ERRORS):  # unreadable: the TTL still bounds what is served
                self._saw_venue_mark(await self.reader.hot.first(self._venue_mark, {}))
        venue = await self._venue_async(request.token)
        operated = None
        if is_operator(request.actor):
            operated = await self._cached(
                self.operators, request.actor.id or 0, self._operated_async
            )
        may_check_at(request.actor, venue, operated)
        reachable, person_id, found = await self._person_async(request)
        snapshot = found.snapshot if found else await self.reader.lookup_async(person_id)
        edition = await self._cached(
            self.editions, "active", self._edition_async, lambda: get_edition(self.settings.policy)
        )
        decision = rules.decide(
            edition, venue.type, snapshot, request.temperature, request.mask, request.emergency,
            request.now, closed=venue.closed_at(request.now),
        )  # fmt: skip
        recorded, scan_id = False, None
        if reachable:
            recorded, scan_id = await self._record_async(
                Pending(scan_values(request, venue, person_id, decision, snapshot), decision.fever)
            )
        return result_of(venue, decision, snapshot, recorded, scan_id)

    async def _cached(
        self,
        cache: TtlCache[K, V],
        key: K,
        load: Callable[[K], Awaitable[V]],
        default: Callable[[], V] | None = None,
    ) -> V:
        """A fresh cache entry at once; else the load; the database failing, the last entry
        of any age, else ``default()``, else 503."""
        found = cache.fresh(key)
        if found is not None:
            return found
        try:
            value = await load(key)
        except DB_ERRORS as exc:
            known = cache.last(key)
            if known is not None:
                return known
            if default is not None:
                return default()
            raise HTTPException(503, headers=RETRY_AFTER) from exc
        cache.put(key, value)
        return value

    async def _venue_async(self, token: str) -> VenueRef:
        async def load(token: str) -> VenueRef:  # a cached token was genuine when cached
            venue_id, version = venues.parse_place_code(self.settings, token)
            row = await self.reader.hot.first(self._place_row, {"venue_id": venue_id})
            return venues.place_code_ref(row, version)

        return await self._cached(self.venues, token, load)

    async def _operated_async(self, user_id: int) -> frozenset[int]:
        rows = await self.reader.hot.all(self._operated, {"user_id": user_id})
        return frozenset(int(venue_id) for (venue_id,) in rows)

    async def _edition_async(self, _key: str) -> Edition:
        row = await self.reader.hot.first(self._active_edition, {})
        return get_edition((row[0] if row else None) or self.settings.policy)

    async def _person_async(self, request: EntryRequest) -> tuple[bool, int, Found | None]:
        """(database reachable, person id, what the ID number's read found): the ID number
        looked up with the person's code, or the nonce claimed (the code read after)."""
        if request.id_hash is not None:
            try:
                found = await self.reader.person_by_hash(request.id_hash)
            except DB_ERRORS as exc:  # nobody to check without the database
                raise HTTPException(503, headers=RETRY_AFTER) from exc
            if found is None:
                raise PersonUnknown()
            return True, found.person_id, found
        assert request.person_id is not None
        if request.nonce is not None:
            claimed = None
            if self.aredis is not None:
                claimed = await nonces.claim_in_redis(self.aredis, *request.nonce)
            if claimed is False:
                raise PersonalCodeReplayed()
            if claimed is None:
                reachable, person_id = await anyio.to_thread.run_sync(
                    self._claim_in_database, request
                )
                return reachable, person_id, None
        return True, request.person_id, None

    def _claim_in_database(self, request: EntryRequest) -> tuple[bool, int]:
        """The nonce claimed in the database: the awaited Redis claim has just failed, so this
        does not try Redis again (its timeout would only add to the answer's time)."""
        with self.db.sessions() as session:
            reachable, person_id = self._person(session, request, None)
            return reachable and _committed(session), person_id

    async def _record_async(self, item: Pending) -> tuple[bool, int | None]:
        if self.writer.batched:
            return self.writer.submit(item), None
        try:
            return True, await anyio.to_thread.run_sync(self.writer.write_now, item)
        except SQLAlchemyError:
            return False, None

    async def aclose(self) -> None:
        """Write the queued scans and close the reader's pools (the app's shutdown)."""
        await anyio.to_thread.run_sync(self.writer.close)
        await self.reader.aclose()
        if self.aredis is not None:
            await self.aredis.aclose()

    def _venue_mark_is_due(self) -> bool:
        """Every ``VENUE_WATCH`` seconds, the venues' change mark is read again."""
        now = time.monotonic()
        if now < self._venue_mark_due:
            return False
        self._venue_mark_due = now + VENUE_WATCH
        return True

    def _saw_venue_mark(self, mark: tuple[Any, ...] | None) -> None:
        if mark != self._venue_mark_seen:
            if self._venue_mark_seen is not None:
                self.venues.clear()
            self._venue_mark_seen = mark

    def venue(self, token: str, session: Session | None = None) -> VenueRef:
        """The place code's venue (``PlaceCodeInvalid`` when rotated or closed)."""
        if self._venue_mark_is_due():
            with suppress(SQLAlchemyError), self._session(session) as reading:
                self._saw_venue_mark(tuple(reading.execute(VENUE_MARK).one()))
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
            reachable, person_id = self._person(session, request, self.redis)
            # End the transaction before the colour is read: the reader uses a connection of
            # its own, and on SQLite (one writer, BEGIN IMMEDIATE) it would wait for ours. The
            # claimed nonce stays claimed even if the insert then fails (the holder refreshes).
            reachable = reachable and _committed(session)
            snapshot = self.reader.lookup(person_id)
            decision = rules.decide(
                self.edition(session), venue.type, snapshot, request.temperature, request.mask,
                request.emergency, request.now, closed=venue.closed_at(request.now),
            )  # fmt: skip
            recorded, scan_id = False, None
            if reachable:
                recorded, scan_id = self._record(
                    session, request=request, venue=venue, person_id=person_id,
                    decision=decision, snapshot=snapshot,
                )  # fmt: skip
        return result_of(venue, decision, snapshot, recorded, scan_id)

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
        """``_may_check_at``, the operator's venues read through the cache."""
        operated = None
        if is_operator(actor):
            try:
                operated = self.operators.get(
                    actor.id or 0, lambda key: self._load_operated(key, session)
                )
            except Unavailable as exc:
                raise HTTPException(503, headers=RETRY_AFTER) from exc
        may_check_at(actor, venue, operated)

    def _person(
        self, session: Session, request: EntryRequest, redis_or_none: redis.Redis | None
    ) -> tuple[bool, int]:
        """(database reachable, person id); the nonce claim and the ID lookup need it. The
        nonce goes to ``redis_or_none`` first when given, else to the database."""
        try:
            if request.id_hash is not None:
                found = repository.person_by_id_hash(session, request.id_hash)
                if found is None:
                    raise PersonUnknown()
                return True, found
            if request.nonce is not None:
                nonces.claim(session, redis_or_none, *request.nonce)
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
            scan_id = write_one(session, Pending(values, decision.fever))
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
