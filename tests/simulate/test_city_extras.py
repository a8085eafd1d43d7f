"""``simulate city``'s extras: vaccination, sentinels, supervision and care of the city."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.models import AuditLog, Person
from fangkong.models.care import (
    CareHazard,
    CareNeed,
    CarePairing,
    CareRequest,
    CareTeam,
    CareTeamCommunity,
    CareVisit,
    Volunteer,
)
from fangkong.models.sentinel import DrugSale, FeverVisit, SentinelSite
from fangkong.models.supervision import (
    Finding,
    Inspection,
    PropertyCommunity,
    PropertyCompany,
    VideoPoint,
)
from fangkong.models.vaccination import Dose, VaccinationCount, VaccinationStatus, Vaccine
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.generate.extras import ExtrasSummary, build_extras
from fangkong.supervision.companies.validation import credit_code

TODAY = date(2025, 6, 1)
NOW = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)
PEOPLE = 800

# Each table the extras fill, with the columns that hold a region code.
REGION_COLUMNS = {
    Dose: ("region_code",),
    VaccinationStatus: ("grid_code",),
    VaccinationCount: ("grid_code",),
    SentinelSite: ("region_code",),
    FeverVisit: ("region_code", "grid_code"),
    DrugSale: ("region_code", "grid_code"),
    PropertyCompany: ("region_code",),
    PropertyCommunity: ("region_code",),
    Inspection: ("region_code",),
    Finding: ("region_code",),
    VideoPoint: ("region_code",),
    Volunteer: ("region_code",),
    CareNeed: ("region_code",),
    CarePairing: ("region_code",),
    CareTeam: ("region_code",),
    CareTeamCommunity: ("community_code",),
    CareVisit: ("community_code",),
    CareHazard: ("community_code",),
    CareRequest: ("region_code", "community_code"),
}


def build(session: Session, settings: Settings, seed: int = 3) -> ExtrasSummary:
    protector = Protector(settings.data_key_bytes)
    city.build_city(session, people=PEOPLE, seed=seed, today=TODAY, protector=protector, now=NOW)
    return build_extras(session, settings=settings, seed=seed, today=TODAY)


def counts(session: Session) -> dict[str, int]:
    tables = [*REGION_COLUMNS, Vaccine, AuditLog]
    return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in tables}


def test_every_domain_has_rows_and_the_summary_counts_them(session, settings):
    summary = build(session, settings)
    found = counts(session)
    assert all(found[model.__tablename__] > 0 for model in REGION_COLUMNS), found
    assert (found["vaccination_doses"], found["vaccination_status"]) == (
        summary.doses,
        summary.vaccinated,
    )
    assert found["sentinel_sites"] == summary.sentinel_sites
    assert (found["fever_visits"], found["drug_sales"]) == (
        summary.fever_visits,
        summary.drug_sales,
    )
    assert found["property_companies"] == summary.property_companies
    assert found["inspections"] == summary.inspections
    assert found["care_pairings"] == summary.pairings
    assert found["care_requests"] == summary.care_requests
    assert {c.credit_code for c in session.scalars(select(PropertyCompany))} == {
        credit_code(c.credit_code) for c in session.scalars(select(PropertyCompany))
    }


def test_most_adults_are_vaccinated_and_no_dose_precedes_birth_or_today(session, settings):
    build(session, settings)
    births = {i: born for i, born in session.execute(select(Person.id, Person.birth_date))}
    doses = session.scalars(select(Dose)).all()
    assert all(births[d.person_id] <= d.given_on <= TODAY for d in doses)
    adults = {i for i, born in births.items() if born.replace(year=born.year + 18) <= TODAY}
    statuses = {s.person_id: s for s in session.scalars(select(VaccinationStatus))}
    vaccinated = adults & statuses.keys()
    assert 0.8 < len(vaccinated) / len(adults) < 1
    complete = sum(statuses[i].complete for i in vaccinated)
    boosted = sum(statuses[i].boosted for i in vaccinated)
    assert complete / len(vaccinated) > 0.8
    assert 0.2 < boosted / len(vaccinated) < 0.8
    counted = session.scalar(select(func.sum(VaccinationCount.people)).where(
        VaccinationCount.doses > 0))  # fmt: skip
    assert counted == len(statuses)  # everyone vaccinated is at least 3 on the day


def test_every_row_lies_inside_the_city(session, settings):
    build(session, settings)
    grids = set(session.scalars(select(Person.grid_code).distinct()))
    inside = {grid[:n] for grid in grids for n in (6, 9, 12, 15)}
    for model, columns in REGION_COLUMNS.items():
        for column in columns:
            codes = set(session.scalars(select(getattr(model, column)).distinct()))
            assert codes and codes <= inside, (model.__tablename__, column, codes - inside)


def test_the_same_seed_gives_the_same_rows(session, settings):
    with session.begin_nested() as first:
        summary = build(session, settings)
        found = counts(session)
        first.rollback()
    assert counts(session)["vaccination_doses"] == 0
    with session.begin_nested():
        assert build(session, settings) == summary
        assert counts(session) == found
