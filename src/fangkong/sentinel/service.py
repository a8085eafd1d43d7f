"""Verbs of the sentinel domain: register a site, report a fever visit, record a four-drug
sale, mark a pushed buyer or fever-clinic visitor contacted, the lists and the exports.

A visit or a sale names the person by resident ID number (real-name registration, 实名登记):
the person is looked up city-wide by keyed hash, because a clinic serves people from any
district; only "no such person" is answered, never who it is. Everything is checked before
anything is written, so a refused visit or sale leaves nothing behind. The health code is
marked through ``healthcode.events`` per the active edition's ``sentinel`` rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.errors import DomainError
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.repoint import repoint
from fangkong.healthcode.events import FactRaised
from fangkong.models import IdType, Person
from fangkong.models.sentinel import DrugSale, FeverVisit, SentinelSite
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.policy import service as policy
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason, VenueType
from fangkong.sentinel import errors, repository
from fangkong.sentinel.schemas import (
    DRUG_ALIASES,
    SYMPTOM_ALIASES,
    DrugClass,
    FollowUpOut,
    SaleIn,
    SiteIn,
    SiteKind,
    SiteOut,
    Symptom,
    VisitFollowUpOut,
    VisitFollowUpQuery,
    VisitIn,
)
from fangkong.venues import service as venues

VENUE_TYPE_OF = {SiteKind.FEVER_CLINIC: VenueType.HOSPITAL, SiteKind.PHARMACY: VenueType.SHOP}
MIN_CELSIUS, MAX_CELSIUS, MAX_QUANTITY = 34.0, 43.0, 100
SOURCE = "sentinel"


def edition(session: Session, settings: Settings) -> Edition:
    return policy.active_edition(session, default=settings.policy)


def visit_ref(visit_id: int) -> str:
    return f"fever_visit:{visit_id}"


def sale_ref(sale_id: int) -> str:
    return f"drug_sale:{sale_id}"


# --- sites ----------------------------------------------------------------------------------


def register_site(session: Session, *, actor: Principal, data: SiteIn) -> SiteOut:
    """Register a venue of the actor's jurisdiction as a fever clinic or a pharmacy."""
    venue = venues.get_venue(session, actor=actor, venue_id=data.venue_id)
    if venue.type != VENUE_TYPE_OF[data.kind].value:
        raise errors.SiteVenueType()
    if repository.site_of_venue(session, venue.id) is not None:
        raise errors.SiteExists()
    site = SentinelSite(venue_id=venue.id, kind=data.kind.value, region_code=venue.region_code)
    site.registered_by = actor.id
    session.add(site)
    session.flush()
    audit.record(session, actor=actor, action="sentinel.site_register",
                 object_type="sentinel_site", object_id=venue.id, region_code=venue.region_code,
                 after={"kind": site.kind, "venue_id": venue.id})  # fmt: skip
    return SiteOut(venue_id=venue.id, name=venue.name, kind=data.kind, region_code=site.region_code)


def list_sites(
    session: Session, *, actor: Principal, kind: SiteKind | None, page: PageParams
) -> tuple[list[SiteOut], str | None]:
    rows, cursor = repository.sites_page(session, actor, kind.value if kind else None, page)
    names = repository.venue_names(session, [row.venue_id for row in rows])
    items = [
        SiteOut(venue_id=r.venue_id, name=names.get(r.venue_id, ""), kind=SiteKind(r.kind),
                region_code=r.region_code)
        for r in rows
    ]  # fmt: skip
    return items, cursor


def _site(session: Session, actor: Principal, venue_id: int, kind: SiteKind) -> SentinelSite:
    found = repository.site(session, actor, venue_id)
    if found is None:
        raise errors.SiteNotFound()
    if found[0].kind != kind.value:
        raise errors.WrongSiteKind()
    return found[0]


# --- checks ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _protector(key: bytes) -> Protector:
    return Protector(key)


def person_named(session: Session, settings: Settings, id_number: str) -> Person:
    try:
        number = idcard.read(id_number.strip(), today=clock.local_today())[0]
    except (DomainError, ValueError):
        raise errors.BadIdNumber() from None
    digest = _protector(settings.data_key_bytes).id_hash(IdType.RESIDENT_ID.value, number)
    person = repository.person_by_id_hash(session, digest)
    if person is None:
        raise errors.UnknownPerson()
    return person


def past_instant(value: datetime | None) -> datetime:
    now = clock.now()
    if value is None:
        return now
    if value > now:
        raise errors.InFuture()
    return value


def local_day(settings: Settings, instant: datetime) -> date:
    return instant.astimezone(ZoneInfo(settings.timezone)).date()


def drug_class(value: str) -> DrugClass:
    text = value.strip()
    try:
        return DrugClass(DRUG_ALIASES.get(text, text))
    except ValueError:
        raise errors.UnknownDrugClass() from None


def symptoms(values: Sequence[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        text = value.strip()
        try:
            code = Symptom(SYMPTOM_ALIASES.get(text, text)).value
        except ValueError:
            raise errors.UnknownSymptom() from None
        if code not in found:
            found.append(code)
    return found


def _temperature(value: float | None) -> float | None:
    if value is not None and not MIN_CELSIUS <= value <= MAX_CELSIUS:
        raise errors.BadTemperature()
    return value


# --- fever visits ---------------------------------------------------------------------------


def report_visit(
    session: Session, settings: Settings, *, actor: Principal, data: VisitIn
) -> FeverVisit:
    """A fever-clinic visit; the person's code turns yellow until a negative NAT when the
    edition's ``fever_visit_marks_code`` says so."""
    site = _site(session, actor, data.venue_id, SiteKind.FEVER_CLINIC)
    person = person_named(session, settings, data.id_number)
    visited_at, codes = past_instant(data.visited_at), symptoms(data.symptoms)
    visit = FeverVisit(venue_id=site.venue_id, region_code=site.region_code,
                       person_id=person.id, grid_code=person.grid_code, visited_at=visited_at,
                       visited_on=local_day(settings, visited_at), symptoms=codes,
                       temperature=_temperature(data.temperature), nat_taken=data.nat_taken,
                       reported_by=actor.id, reported_at=clock.now())  # fmt: skip
    visit.marked = edition(session, settings).sentinel.fever_visit_marks_code
    session.add(visit)
    session.flush()
    if visit.marked:
        fact = FactRaised(person.id, Reason.FEVER_PENDING_TEST, SOURCE, visit_ref(visit.id))
        events.publish(session, fact)
    audit.record(session, actor=actor, action="sentinel.visit_report",
                 object_type="fever_visit", object_id=visit.id, region_code=visit.region_code,
                 after={"venue_id": visit.venue_id, "person_id": person.id,
                        "nat_taken": visit.nat_taken, "marked": visit.marked})  # fmt: skip
    return visit


def list_visits(
    session: Session, *, actor: Principal, day: date | None, page: PageParams
) -> tuple[Sequence[FeverVisit], str | None]:
    return repository.visits_page(session, actor, day, page)


# --- four-drug sales ------------------------------------------------------------------------


def registration_in_force(session: Session, settings: Settings) -> bool:
    return edition(session, settings).sentinel.four_drug_registration


def record_sale(
    session: Session, settings: Settings, *, actor: Principal, data: SaleIn
) -> DrugSale:
    """A registered four-drug sale, pushed to the buyer's grid; yellow without a negative NAT
    sampled within the edition's window before the sale. Refused when registration is off."""
    rules = edition(session, settings).sentinel
    if not rules.four_drug_registration:
        raise errors.RegistrationNotInForce()
    site = _site(session, actor, data.venue_id, SiteKind.PHARMACY)
    kind = drug_class(data.drug_class)
    if not 1 <= data.quantity <= MAX_QUANTITY:
        raise errors.BadQuantity()
    person = person_named(session, settings, data.id_number)
    sold_at = past_instant(data.sold_at)
    negative = repository.latest_negative_at(session, person.id)
    window = timedelta(hours=rules.no_negative_nat_window_hours)
    sale = DrugSale(venue_id=site.venue_id, region_code=site.region_code, person_id=person.id,
                    grid_code=person.grid_code, drug_class=kind.value, quantity=data.quantity,
                    sold_at=sold_at, sold_on=local_day(settings, sold_at),
                    marked=negative is None or negative < sold_at - window,
                    reported_by=actor.id, reported_at=clock.now())  # fmt: skip
    session.add(sale)
    session.flush()
    if sale.marked:
        fact = FactRaised(person.id, Reason.FOUR_DRUG_NO_NAT, SOURCE, sale_ref(sale.id))
        events.publish(session, fact)
    audit.record(session, actor=actor, action="sentinel.sale_record",
                 object_type="drug_sale", object_id=sale.id, region_code=sale.region_code,
                 after={"venue_id": sale.venue_id, "person_id": person.id,
                        "drug_class": sale.drug_class, "marked": sale.marked})  # fmt: skip
    return sale


def list_sales(
    session: Session, *, actor: Principal, day: date | None, page: PageParams
) -> tuple[Sequence[DrugSale], str | None]:
    return repository.sales_page(session, actor, day, page)


# --- the grid's follow-up list --------------------------------------------------------------


def followups(
    session: Session, *, actor: Principal, open_only: bool, limit: int, before: int | None
) -> tuple[list[FollowUpOut], int | None]:
    """The buyers of the actor's grids, newest first, names masked; the next ``before``."""
    rows = repository.followups_page(session, actor, open_only, limit, before)
    items = [
        FollowUpOut(sale_id=sale.id, person_id=sale.person_id, name=mask_person_name(name),
                    grid_code=sale.grid_code, drug_class=DrugClass(sale.drug_class),
                    sold_at=sale.sold_at, marked=sale.marked, contacted_at=sale.contacted_at)
        for sale, name in rows[:limit]
    ]  # fmt: skip
    return items, (items[-1].sale_id if len(rows) > limit else None)


def mark_contacted(session: Session, *, actor: Principal, sale_id: int) -> DrugSale:
    """The grid worker reached the buyer (idempotent: the first contact is kept)."""
    sale = repository.followup(session, actor, sale_id)
    if sale is None:
        raise errors.SaleNotFound()
    _contacted(session, actor, sale, "sentinel.buyer_contacted", "drug_sale")
    return sale


def visit_followups(
    session: Session,
    *,
    actor: Principal,
    query: VisitFollowUpQuery,
    limit: int,
    before: int | None,
) -> tuple[list[VisitFollowUpOut], int | None]:
    """The fever-clinic visitors of the actor's grids, newest first, names masked."""
    where = (query.open_only, query.day, query.grid)
    rows = repository.visit_followups_page(session, actor, where, limit, before)
    items = [
        VisitFollowUpOut(visit_id=visit.id, person_id=visit.person_id,
                         name=mask_person_name(name), grid_code=visit.grid_code, clinic=clinic,
                         visited_at=visit.visited_at, nat_taken=visit.nat_taken,
                         marked=visit.marked, contacted_at=visit.contacted_at)
        for visit, name, clinic in rows[:limit]
    ]  # fmt: skip
    return items, (items[-1].visit_id if len(rows) > limit else None)


def mark_visit_contacted(session: Session, *, actor: Principal, visit_id: int) -> FeverVisit:
    """The grid worker reached the fever-clinic visitor and checked their NAT (idempotent,
    as for buyers: a second mark keeps the first contact and writes nothing)."""
    visit = repository.visit_followup(session, actor, visit_id)
    if visit is None:
        raise errors.VisitNotFound()
    _contacted(session, actor, visit, "sentinel.visitor_contacted", "fever_visit")
    return visit


def _contacted(
    session: Session, actor: Principal, row: DrugSale | FeverVisit, action: str, kind: str
) -> None:
    if row.contacted_at is not None:
        return
    row.contacted_at, row.contacted_by = clock.now(), actor.id
    session.flush()
    audit.record(session, actor=actor, action=action, object_type=kind, object_id=row.id,
                 region_code=row.grid_code, before={"contacted_at": None},
                 after={"contacted_at": row.contacted_at.isoformat()})  # fmt: skip


# --- the exports (fever visits, four-drug sales, sites) ---------------------------------------


@dataclass(frozen=True)
class VisitFilter:
    """The filter of the visit and the sale exports."""

    day: date | None = None
    region: str | None = None  # a region-code prefix of the clinic or pharmacy


SaleFilter = VisitFilter


@dataclass(frozen=True)
class SiteFilter:
    kind: SiteKind | None = None
    region: str | None = None


def count_for_export(session: Session, *, actor: Principal, where: VisitFilter) -> int:
    spec = repository.VISIT_EXPORT
    return repository.count_rows(session, spec, actor, (where.day, where.region))


def export_rows(
    session: Session, *, actor: Principal, where: VisitFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One chunk of visits for an export, newest first: names masked, symptoms as a list of
    codes (the export shows their labels)."""
    rows, key = _chunk(session, repository.VISIT_EXPORT, actor, where, after=after, limit=limit)
    return [(r[0], mask_person_name(r[1]), r[2], r[3], r[4], tuple(r[5]), *r[6:])
            for r in rows], key  # fmt: skip


def count_sales_for_export(session: Session, *, actor: Principal, where: SaleFilter) -> int:
    spec = repository.SALE_EXPORT
    return repository.count_rows(session, spec, actor, (where.day, where.region))


def sale_export_rows(
    session: Session, *, actor: Principal, where: SaleFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One chunk of four-drug sales for an export, newest first: buyers' names masked."""
    rows, key = _chunk(session, repository.SALE_EXPORT, actor, where, after=after, limit=limit)
    return [(r[0], mask_person_name(r[1]), *r[2:]) for r in rows], key


def _chunk(
    session: Session, spec: Any, actor: Principal, where: VisitFilter, *, after: Any, limit: int
) -> tuple[Sequence[Any], list[Any] | None]:
    before = int(after[0]) if after else None
    rows = repository.export_rows(
        session, spec, actor, (where.day, where.region), before=before, limit=limit
    )
    return rows, ([rows[-1][0]] if len(rows) == limit else None)


def count_sites_for_export(session: Session, *, actor: Principal, where: SiteFilter) -> int:
    kind = where.kind.value if where.kind else None
    return repository.count_site_rows(session, actor, kind, where.region)


def site_export_rows(
    session: Session, *, actor: Principal, where: SiteFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One chunk of sentinel sites for an export, by venue id."""
    kind = where.kind.value if where.kind else None
    start = int(after[0]) if after else None
    rows = repository.site_rows(session, actor, (kind, where.region), start, limit)
    return [tuple(r) for r in rows], ([rows[-1][0]] if len(rows) == limit else None)


def person_merged(session: Session, merged_id: int, kept_id: int) -> int:
    """Visits and sales of a merged-away person now name the kept record."""
    return repoint(session, (FeverVisit.person_id, DrugSale.person_id), merged_id, kept_id)
