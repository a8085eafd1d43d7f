"""Sentinels of a simulated city: a fever clinic (发热门诊) per district and pharmacies (药店),
each a venue created and registered through the venue and sentinel verbs, with a few past
days of fever visits and four-drug sales reported through the sentinel verbs (so visitors'
and buyers' codes are marked as the active edition says, and every row is audited)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.models import Person
from fangkong.people.protect import Protector
from fangkong.policy.types import VenueType
from fangkong.sentinel import service as sentinel
from fangkong.sentinel.schemas import DrugClass, SaleIn, SiteIn, SiteKind, Symptom, VisitIn
from fangkong.simulate.generate.extras_world import ExtrasSummary, Resident, World, scaled
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate

DAYS = 3  # past days with visits and sales, before the city's day
PEOPLE_PER_PHARMACY = 2_000
PEOPLE_PER_DAILY_VISIT = 4_000
PEOPLE_PER_DAILY_SALE = 2_000
SYMPTOMS = (Symptom.FEVER, Symptom.COUGH, Symptom.SORE_THROAT, Symptom.FATIGUE)
OPENING_HOURS = (8, 20)


def build(session: Session, world: World, summary: ExtrasSummary) -> None:
    rng = world.rng("sentinel")
    clinics = [_site(session, world, rng, district=district, kind=SiteKind.FEVER_CLINIC, number=1)
               for district in sorted(world.district_names)]  # fmt: skip
    pharmacies = [
        _site(session, world, rng, district=None, kind=SiteKind.PHARMACY, number=number)
        for number in range(1, scaled(len(world.residents), PEOPLE_PER_PHARMACY, at_least=2) + 1)
    ]
    summary.sentinel_sites = len(clinics) + len(pharmacies)
    protector = Protector(world.settings.data_key_bytes)
    people = len(world.residents)
    for back in range(DAYS, 0, -1):
        day = world.past_day - timedelta(days=back)
        for _ in range(scaled(people, PEOPLE_PER_DAILY_VISIT)):
            _visit(session, world, rng, protector, venue_id=rng.choice(clinics), day=day)
            summary.fever_visits += 1
        if sentinel.registration_in_force(session, world.settings):
            for _ in range(scaled(people, PEOPLE_PER_DAILY_SALE)):
                _sale(session, world, rng, protector, venue_id=rng.choice(pharmacies), day=day)
                summary.drug_sales += 1


def _site(
    session: Session,
    world: World,
    rng: random.Random,
    *,
    district: str | None,
    kind: SiteKind,
    number: int,
) -> int:
    """A venue in a grid of the district (any district: None), registered as a sentinel."""
    grids = [g for g in world.grids if district is None or g.startswith(district)]
    grid = rng.choice(grids)
    name = world.district_names.get(grid[:6], "")
    clinic = kind is SiteKind.FEVER_CLINIC
    data = VenueCreate(
        name=f"{name}人民医院发热门诊" if clinic else f"{name}第{number}大药房",
        type=VenueType.HOSPITAL if clinic else VenueType.SHOP,
        region_code=grid,
    )
    venue = venues.create_venue(session, actor=world.actor, data=data)
    sentinel.register_site(session, actor=world.actor, data=SiteIn(venue_id=venue.id, kind=kind))
    return venue.id


def _id_number(session: Session, protector: Protector, resident: Resident) -> str:
    """The resident ID number, as the clinic or the pharmacy types it in."""
    sealed = session.scalar(select(Person.id_number_enc).where(Person.id == resident.id))
    assert sealed is not None  # the city's people all have one
    return protector.open_id(sealed)


def _visit(
    session: Session,
    world: World,
    rng: random.Random,
    protector: Protector,
    *,
    venue_id: int,
    day: date,
) -> None:
    resident = rng.choice(world.residents)
    data = VisitIn(
        venue_id=venue_id, id_number=_id_number(session, protector, resident),
        visited_at=world.at(day, rng.randint(*OPENING_HOURS), rng.randint(0, 59)),
        symptoms=[s.value for s in rng.sample(SYMPTOMS, rng.randint(1, 3))],
        temperature=round(rng.uniform(37.3, 39.5), 1), nat_taken=rng.random() < 0.8,
    )  # fmt: skip
    sentinel.report_visit(session, world.settings, actor=world.actor, data=data)


def _sale(
    session: Session,
    world: World,
    rng: random.Random,
    protector: Protector,
    *,
    venue_id: int,
    day: date,
) -> None:
    resident = rng.choice(world.residents)
    data = SaleIn(
        venue_id=venue_id, id_number=_id_number(session, protector, resident),
        drug_class=rng.choice(list(DrugClass)).value, quantity=rng.randint(1, 3),
        sold_at=world.at(day, rng.randint(*OPENING_HOURS), rng.randint(0, 59)),
    )  # fmt: skip
    sentinel.record_sale(session, world.settings, actor=world.actor, data=data)
