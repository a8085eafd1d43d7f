"""Verbs of local zones: declare over a region or addresses (residents found in bulk, their
health codes coloured), link cases, count the days without infection, review them daily by the
edition's rule, decide on proposals, and write the day's announcement.

Services flush and never commit; every change writes a ``ZoneEvent`` and an audit row. The
official day runs from 6:00 to 6:00 local ("20日6时至21日6时"): ``day_start(d)`` is 6:00 on
``d``, the review of ``d`` looks at the zones as of that instant, and the announcement of ``d``
covers ``[day_start(d), day_start(d + 1))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import errors, repository
from fangkong.arrivals.zones.repository import ZoneFilter
from fangkong.arrivals.zones.schemas import (
    Announcement,
    AreaOut,
    CaseIn,
    CaseOut,
    Countdown,
    DecisionAction,
    DecisionIn,
    EventOut,
    KindCounts,
    ResidentOut,
    ZoneCreate,
    ZoneDetail,
    ZoneOut,
    ZoneUpdate,
)
from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.healthcode.events import FactsEnded, FactsRaised
from fangkong.healthcode.service import current_edition
from fangkong.models.zones import Zone, ZoneArea, ZoneCase, ZoneEvent
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason, ZoneDecision, ZoneKind

__all__ = ["ZoneFilter"]
DAY_STARTS_AT = time(6)  # the official day: 6:00 to 6:00 (a convention of the reports)
REASONS = {ZoneKind.SEALED: Reason.ZONE_SEALED, ZoneKind.CONTROLLED: Reason.ZONE_CONTROLLED}
REGION_LEVELS = (9, 12, 15)  # street, community, grid
SNAPSHOT = ("name", "kind", "region_code", "status", "pending", "last_infection_at",
            "final_screening_campaign_id", "resident_count", "note", "lifted_at")  # fmt: skip


# --- the official day ---------------------------------------------------------------------


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # dates the reports can name


def checked_day(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise errors.BadDate()
    return day


def day_start(day: date) -> datetime:
    return datetime.combine(day, DAY_STARTS_AT, tzinfo=clock.LOCAL_TZ).astimezone(UTC)


def official_day(at: datetime) -> date:
    local = at.astimezone(clock.LOCAL_TZ)
    return (local - timedelta(hours=DAY_STARTS_AT.hour)).date()


def count_from(zone: Zone) -> datetime:
    """The last infection (else the declaration); after a downgrade, not before it."""
    start = zone.last_infection_at or zone.declared_at
    if zone.kind_since > zone.declared_at:
        start = max(start, zone.kind_since)
    return start


def days_without(zone: Zone, at: datetime) -> int:
    """Whole official days since the count started, as of ``at``."""
    return max(0, (official_day(at) - official_day(count_from(zone))).days - 1)


def countdown(zone: Zone, edition: Edition, at: datetime | None = None) -> Countdown:
    rule = edition.zones.lift_for(ZoneKind(zone.kind))
    days = days_without(zone, at or clock.now())
    return Countdown(
        no_infection_days=rule.no_infection_days, days_without_infection=days,
        days_left=max(0, rule.no_infection_days - days),
        final_screening_required=rule.final_screening_required, then=rule.then,
    )  # fmt: skip


# --- helpers ----------------------------------------------------------------------------


def _snapshot(zone: Zone) -> dict[str, Any]:
    return {name: getattr(zone, name) for name in SNAPSHOT}


def _audit(
    session: Session, actor: Principal, action: str, zone: Zone, before: dict[str, Any] | None
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="zone", object_id=zone.id,
        region_code=zone.region_code, before=before, after=_snapshot(zone),
    )  # fmt: skip


def _event(
    session: Session, zone: Zone, action: str, actor: Principal, *, at: datetime | None = None,
    from_kind: str | None = None, to_kind: str | None = None, note: str = "",
) -> None:  # fmt: skip
    session.add(
        ZoneEvent(
            zone_id=zone.id, at=at or clock.now(), action=action, from_kind=from_kind,
            to_kind=to_kind, actor_id=actor.id, note=note,
        )
    )  # fmt: skip


def _raise(session: Session, zone: Zone, kind: str, people: Sequence[int]) -> None:
    reason = REASONS.get(ZoneKind(kind))
    if reason is None:
        return
    publish(session, FactsRaised(tuple(people), reason, source="zones", ref=f"zone:{zone.id}"))


def _end(session: Session, zone: Zone, kind: str, people: Sequence[int]) -> None:
    reason = REASONS.get(ZoneKind(kind))
    if reason is None:
        return
    publish(session, FactsEnded(tuple(people), reason, ref=f"zone:{zone.id}"))


def get_zone(session: Session, *, actor: Principal, zone_id: int) -> Zone:
    zone = repository.get_zone(session, actor, zone_id)
    if zone is None:
        raise errors.ZoneNotFound()
    return zone


def list_zones(
    session: Session, *, actor: Principal, page: PageParams, where: ZoneFilter
) -> tuple[Sequence[Zone], str | None]:
    return repository.zone_page(session, actor, where, page)


def active_zones(session: Session, *, actor: Principal) -> Sequence[Zone]:
    """Every active zone inside the actor's jurisdiction, by id (a command office's board)."""
    return repository.active_zones(session, actor)


def zone_out(session: Session, zone: Zone, edition: Edition | None = None) -> ZoneOut:
    out = ZoneOut.model_validate(zone)
    if zone.status == "active":
        out.countdown = countdown(zone, edition or current_edition(session))
    return out


def detail(session: Session, *, actor: Principal, zone_id: int) -> ZoneDetail:
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    out = ZoneDetail.model_validate(zone_out(session, zone).model_dump())
    out.areas = [AreaOut.model_validate(a) for a in repository.areas(session, zone.id)]
    out.cases = [
        CaseOut(person_id=c.person_id, name=mask_person_name(p.name), infected_at=c.infected_at,
                case_ref=c.case_ref, linked_at=c.linked_at)
        for c, p in repository.cases(session, zone.id)
    ]  # fmt: skip
    out.history = [EventOut.model_validate(e) for e in repository.history(session, zone.id)]
    return out


def residents(
    session: Session, *, actor: Principal, zone_id: int, page: PageParams
) -> tuple[list[ResidentOut], str | None]:
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    rows, cursor = repository.resident_page(session, zone.id, page)
    items = [
        ResidentOut(person_id=p.id, name=mask_person_name(p.name), id_number=p.id_number_masked,
                    grid_code=p.grid_code)
        for p in rows
    ]  # fmt: skip
    return items, cursor


# --- declaring ----------------------------------------------------------------------------


def _check_region(session: Session, actor: Principal, code: str) -> None:
    """Jurisdiction first: a code outside it never tells whether it exists."""
    if not actor.covers(code):
        raise errors.RegionOutOfScope()
    if not repository.region_exists(session, code):
        raise errors.UnknownRegion()
    if len(code) not in REGION_LEVELS:
        raise errors.RegionLevel()


def _households(session: Session, actor: Principal, addresses: list[str]) -> tuple[list[int], str]:
    """The matching households' ids and the deepest region holding all of their grids."""
    ids: set[int] = set()
    grids: set[str] = set()
    for address in addresses:
        found = repository.matching_households(session, actor, address)
        if not found:
            raise errors.AddressUnmatched(address)
        ids.update(h for h, _ in found)
        grids.update(g for _, g in found)
    return sorted(ids), _common_region(session, actor, grids)


def _common_region(session: Session, actor: Principal, grids: set[str]) -> str:
    codes = sorted(grids)
    first, last = codes[0], codes[-1]
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    for length in (15, 12, 9, 6):
        code = first[:length]
        if length <= common and repository.region_exists(session, code):
            return code
    return actor.region_code


def _cases(session: Session, actor: Principal, cases: list[CaseIn]) -> None:
    now = clock.now()
    for case in cases:
        if case.infected_at.tzinfo is None or case.infected_at > now:
            raise errors.InfectionInFuture()
        if repository.person_in_scope(session, actor, case.person_id) is None:
            raise errors.UnknownPerson(str(case.person_id))


def declare(session: Session, *, actor: Principal, data: ZoneCreate) -> Zone:
    if (data.region_code is None) == (not data.addresses):
        raise errors.NoArea()
    if data.region_code is not None:
        _check_region(session, actor, data.region_code)
        region, households = data.region_code, list[int]()
    else:
        households, region = _households(session, actor, data.addresses)
    _cases(session, actor, data.cases)
    now = clock.now()
    zone = Zone(
        name=data.name, kind=data.kind.value, region_code=region, status="active",
        declared_at=now, declared_by=actor.id, kind_since=now, note=data.note,
        final_screening_campaign_id=data.final_screening_campaign_id,
    )  # fmt: skip
    session.add(zone)
    session.flush()
    if data.region_code is not None:
        session.add(ZoneArea(zone_id=zone.id, region_code=data.region_code))
        repository.add_residents_in_region(session, zone.id, data.region_code)
    else:
        session.add_all(ZoneArea(zone_id=zone.id, address=a) for a in dict.fromkeys(data.addresses))
        repository.add_residents_of_households(session, zone.id, households)
    people = repository.resident_ids(session, zone.id)
    zone.resident_count = len(people)
    _event(session, zone, "declared", actor, at=now, to_kind=zone.kind, note=data.note)
    for case in data.cases:
        _add_case(session, zone, case, actor)
    session.flush()
    _raise(session, zone, zone.kind, people)
    _audit(session, actor, "zone.declare", zone, None)
    return zone


def update(session: Session, *, actor: Principal, zone_id: int, data: ZoneUpdate) -> Zone:
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    before = _snapshot(zone)
    for field, value in changes.items():
        setattr(zone, field, value)
    if _snapshot(zone) != before:
        _event(session, zone, "edited", actor, note=changes.get("note", ""))
        session.flush()
        _audit(session, actor, "zone.update", zone, before)
    return zone


# --- cases ------------------------------------------------------------------------------


def _add_case(session: Session, zone: Zone, case: CaseIn, actor: Principal) -> bool:
    if repository.get_case(session, zone.id, case.person_id) is not None:
        return False
    session.add(ZoneCase(zone_id=zone.id, person_id=case.person_id,
                         infected_at=case.infected_at, case_ref=case.case_ref))  # fmt: skip
    if zone.last_infection_at is None or case.infected_at > zone.last_infection_at:
        zone.last_infection_at = case.infected_at
    note = f"person {case.person_id}"
    if zone.pending is not None:
        zone.pending = None  # a new infection withdraws the proposal
        note += "; proposal withdrawn"
    _event(session, zone, "infection", actor, note=note)
    return True


def link_case(session: Session, *, actor: Principal, zone_id: int, data: CaseIn) -> Zone:
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    if zone.status != "active":
        raise errors.NotActive()
    _cases(session, actor, [data])
    before = _snapshot(zone)
    if _add_case(session, zone, data, actor):
        session.flush()
        _audit(session, actor, "zone.case", zone, before)
    return zone


def case_candidate(session: Session, person_id: int, sampled_at: datetime, ref: str) -> int:
    """A positive single tube: a case of every active zone listing the person."""
    linked = 0
    for zone in repository.active_zones_of(session, person_id):
        before = _snapshot(zone)
        data = CaseIn(person_id=person_id, infected_at=sampled_at, case_ref=ref)
        if _add_case(session, zone, data, SYSTEM):
            session.flush()
            _audit(session, SYSTEM, "zone.case", zone, before)
            linked += 1
    return linked


# --- changing kind ------------------------------------------------------------------------


def _apply(
    session: Session, actor: Principal, zone: Zone, to_kind: str | None, *, at: datetime, note: str
) -> None:
    """Downgrade to ``to_kind`` (the facts swapped) or, when None, lift (the facts ended)."""
    before, from_kind = _snapshot(zone), zone.kind
    people = repository.resident_ids(session, zone.id)
    zone.pending = None
    if to_kind is None:
        zone.status, zone.lifted_at, zone.lifted_by = "lifted", at, actor.id
        _event(session, zone, "lifted", actor, at=at, from_kind=from_kind, note=note)
        session.flush()
        _end(session, zone, from_kind, people)
        _audit(session, actor, "zone.lift", zone, before)
        return
    zone.kind, zone.kind_since = to_kind, at
    _event(session, zone, "downgraded", actor, at=at, from_kind=from_kind, to_kind=to_kind,
           note=note)  # fmt: skip
    session.flush()
    _end(session, zone, from_kind, people)
    _raise(session, zone, to_kind, people)
    _audit(session, actor, "zone.downgrade", zone, before)


def _lower(kind: str) -> str | None:
    order = list(ZoneKind)
    index = order.index(ZoneKind(kind))
    return order[index + 1].value if index + 1 < len(order) else None


def _proposed_target(session: Session, zone: Zone) -> str | None:
    proposals = [e for e in repository.history(session, zone.id) if e.action == "proposed"]
    return proposals[-1].to_kind if proposals else None


def decide(session: Session, *, actor: Principal, zone_id: int, data: DecisionIn) -> Zone:
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    if zone.status != "active":
        raise errors.NotActive()
    now = clock.now()
    if data.action in (DecisionAction.APPROVE, DecisionAction.REJECT):
        if zone.pending is None:
            raise errors.NotPending()
        if data.action is DecisionAction.APPROVE:
            target = _proposed_target(session, zone) if zone.pending != "proposed_lift" else None
            _apply(session, actor, zone, target, at=now, note=data.note or "approved")
        else:
            before = _snapshot(zone)
            zone.pending = None
            _event(session, zone, "rejected", actor, at=now, from_kind=zone.kind, note=data.note)
            session.flush()
            _audit(session, actor, "zone.reject", zone, before)
        return zone
    if not data.note:
        raise errors.NoteRequired()
    if data.action is DecisionAction.LIFT:
        _apply(session, actor, zone, None, at=now, note=data.note)
        return zone
    target = data.to_kind.value if data.to_kind else _lower(zone.kind)
    order = [k.value for k in ZoneKind]
    if target is None or order.index(target) <= order.index(zone.kind):
        raise errors.CannotDowngrade()
    _apply(session, actor, zone, target, at=now, note=data.note)
    return zone


# --- the daily review ---------------------------------------------------------------------


def screening_day(zone: Zone, edition: Edition) -> date | None:
    """The official day of the zone's final screening (the Nth clean day), or None when its
    kind's rule asks for none. A new infection or a downgrade moves it."""
    rule = edition.zones.lift_for(ZoneKind(zone.kind))
    if not rule.final_screening_required:
        return None
    return official_day(count_from(zone)) + timedelta(days=rule.no_infection_days)


def screening_roll(
    session: Session, *, actor: Principal, zone_id: int
) -> list[tuple[int, int | None]]:
    """(person id, household id) of each resident the final screening must sample: those in
    the zone now, not the cases and centrally quarantined people taken out of it."""
    zone = get_zone(session, actor=actor, zone_id=zone_id)
    return list(repository.present_residents(session, zone.id))


def rule_met(session: Session, zone: Zone, edition: Edition, at: datetime) -> bool:
    rule = edition.zones.lift_for(ZoneKind(zone.kind))
    if days_without(zone, at) < rule.no_infection_days:
        return False
    nth_day = screening_day(zone, edition)
    if nth_day is None:
        return True
    unsampled, failed = repository.screening_gaps(
        session, zone.id, day_start(nth_day), at, zone.final_screening_campaign_id
    )
    return unsampled == 0 and failed == 0


def review(session: Session, *, run_for: date, edition: Edition | None = None) -> dict[str, Any]:
    """The zones as of 6:00 on ``run_for``: lift, downgrade or propose those whose rule is met.
    Idempotent for a date: a changed zone starts its new count at that instant, a proposed one
    waits for its decision."""
    edition = edition or current_edition(session)
    at = day_start(checked_day(run_for))
    auto = edition.zones.decision is ZoneDecision.AUTO
    counts = {"reviewed": 0, "lifted": 0, "downgraded": 0, "proposed": 0, "pending": 0}
    for zone in repository.active_zones(session, SYSTEM):
        if zone.declared_at >= at:
            continue
        counts["reviewed"] += 1
        if zone.pending is not None:
            counts["pending"] += 1
            continue
        if not rule_met(session, zone, edition, at):
            continue
        then = edition.zones.lift_for(ZoneKind(zone.kind)).then
        target = then.value if then else None
        if auto:
            _apply(session, SYSTEM, zone, target, at=at, note=f"review {run_for.isoformat()}")
            counts["downgraded" if target else "lifted"] += 1
        else:
            _propose(session, zone, target, at, run_for)
            counts["proposed"] += 1
    return {"date": run_for.isoformat(), "edition": edition.id, **counts}


def _propose(session: Session, zone: Zone, target: str | None, at: datetime, day: date) -> None:
    before = _snapshot(zone)
    zone.pending = "proposed_downgrade" if target else "proposed_lift"
    _event(session, zone, "proposed", SYSTEM, at=at, from_kind=zone.kind, to_kind=target,
           note=f"review {day.isoformat()}")  # fmt: skip
    session.flush()
    _audit(session, SYSTEM, "zone.propose", zone, before)


# --- the announcement ---------------------------------------------------------------------

ZH_KIND = {"sealed": "封控区", "controlled": "管控区", "precaution": "防范区"}
EN_KIND = {"sealed": "sealed", "controlled": "controlled", "precaution": "precaution"}


def _kinds_at(session: Session, zones: Sequence[Zone], at: datetime) -> dict[int, str]:
    kinds = {zone.id: zone.kind for zone in zones}
    changes = repository.kind_changes_before(session, list(kinds), at) if kinds else []
    for event in changes:  # in time order: the last one before ``at`` wins
        if event.to_kind:
            kinds[event.zone_id] = event.to_kind
    return kinds


def announcement(session: Session, *, actor: Principal, day: date) -> Announcement:
    start, end = day_start(checked_day(day)), day_start(day + timedelta(days=1))
    ended = {k.value: 0 for k in ZoneKind}
    for event in repository.ended_in(session, actor, start, end):
        if event.from_kind in ended:
            ended[event.from_kind] += 1
    remaining = {k.value: 0 for k in ZoneKind}
    standing = repository.standing_at(session, actor, end)
    for kind in _kinds_at(session, standing, end).values():
        remaining[kind] = remaining.get(kind, 0) + 1
    counts = [KindCounts(kind=k, ended=ended[k.value], remaining=remaining[k.value])
              for k in ZoneKind]  # fmt: skip
    return Announcement(
        date=day.isoformat(), start=start, end=end, counts=counts,
        zh=_zh(day, counts), en=_en(day, counts),
    )  # fmt: skip


def _shown(counts: list[KindCounts]) -> list[KindCounts]:
    """Sealed and controlled always (the official form); precaution when it has any."""
    return [c for c in counts if c.kind is not ZoneKind.PRECAUTION or c.ended or c.remaining]


def _zh(day: date, counts: list[KindCounts]) -> str:
    nxt = day + timedelta(days=1)
    second = f"{nxt.day}日" if nxt.month == day.month else f"{nxt.month}月{nxt.day}日"
    parts = [
        f"解除{ZH_KIND[c.kind]}{c.ended}处，尚有{ZH_KIND[c.kind]}{c.remaining}处"
        for c in _shown(counts)
    ]
    return f"{day.month}月{day.day}日6时至{second}6时，" + "；".join(parts) + "。"


def _zones(n: int) -> str:
    return "zone" if n == 1 else "zones"


def _en(day: date, counts: list[KindCounts]) -> str:
    nxt = day + timedelta(days=1)
    parts = [
        f"{c.ended} {EN_KIND[c.kind]} {_zones(c.ended)} lifted, "
        f"{c.remaining} {EN_KIND[c.kind]} {_zones(c.remaining)} remaining"
        for c in _shown(counts)
    ]
    return (f"From 06:00 on {day.day} {day:%B} to 06:00 on {nxt.day} {nxt:%B}: "
            + "; ".join(parts) + ".")  # fmt: skip


# --- what is sealed now (the outbreak driver's locked grids) -------------------------------


def sealed_now(session: Session, *, actor: Principal) -> tuple[list[str], list[int]]:
    """The active sealed zones (封控区) inside the actor's jurisdiction: the region codes of
    those declared over a region, and the residents of those declared over addresses."""
    regions: list[str] = []
    people: set[int] = set()
    for zone in repository.active_zones(session, actor):
        if zone.kind != ZoneKind.SEALED.value:
            continue
        codes = [a.region_code for a in repository.areas(session, zone.id) if a.region_code]
        if codes:
            regions.extend(codes)
        else:
            people.update(repository.resident_ids(session, zone.id))
    return sorted(set(regions)), sorted(people)


# --- merged people ------------------------------------------------------------------------


def person_merged(session: Session, merged_id: int, kept_id: int) -> None:
    """Re-point residents and cases; the kept person carries the zones' reasons from now."""
    moved = repository.repoint(session, merged_id, kept_id)
    for zone_id in moved:
        zone = session.get(Zone, zone_id)
        if zone is not None and zone.status == "active":
            _raise(session, zone, zone.kind, [kept_id])
