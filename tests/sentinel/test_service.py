"""The verbs: a visit or a sale is checked whole before anything is written, and marks the
health code exactly as the active edition says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factories import resident_id
from fangkong.core import clock, events
from fangkong.core.principal import Principal
from fangkong.healthcode.events import NegativeTest
from fangkong.models import AuditLog
from fangkong.models.healthcode import HealthFact
from fangkong.models.sentinel import DrugSale, FeverVisit
from fangkong.people.events import PersonMerged
from fangkong.policy.types import VenueType
from fangkong.sentinel import errors, service, surveillance
from fangkong.sentinel.schemas import SaleIn, SiteIn, SiteKind, VisitIn
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate
from sentinel.conftest import activate, colour_of, count, make_site, officer

FEVER = "sentinel.fever_pending_test"
FOUR_DRUG = "sentinel.four_drug_no_nat"


def daoli() -> Principal:
    return officer("230102")


def visit(world, **overrides) -> VisitIn:
    body = {"venue_id": world.clinic, "id_number": world.id_number, "symptoms": ["发热", "cough"],
            "temperature": 38.2, "nat_taken": True} | overrides  # fmt: skip
    return VisitIn(**body)


def sale(world, **overrides) -> SaleIn:
    body = {"venue_id": world.pharmacy, "id_number": world.id_number, "drug_class": "退热"}
    return SaleIn(**(body | overrides))


def test_a_visit_turns_the_code_yellow_until_a_negative_test(session, settings, world):
    made = service.report_visit(session, settings, actor=daoli(), data=visit(world))
    assert made.marked and made.symptoms == ["fever", "cough"] and made.nat_taken
    assert colour_of(session, world.person) == ("yellow", [FEVER])
    events.publish(session, NegativeTest(world.person, clock.now() + timedelta(seconds=1), "lab"))
    assert colour_of(session, world.person) == ("green", [])


def test_an_edition_without_fever_marks_records_the_visit_only(session, settings, world):
    activate(session, settings, "cn-new10-2022-12")
    made = service.report_visit(session, settings, actor=daoli(), data=visit(world))
    assert not made.marked
    assert colour_of(session, world.person)[0] == "green"
    assert count(session, HealthFact) == 0


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"visited_at": "2099-01-01T08:00:00+08:00"}, errors.InFuture),
        ({"id_number": "230102199013011234"}, errors.BadIdNumber),
        ({"symptoms": ["headache-ish"]}, errors.UnknownSymptom),
        ({"temperature": 47.5}, errors.BadTemperature),
    ],
)
def test_bad_visits_write_nothing(session, settings, world, overrides, error):
    with pytest.raises(error):
        service.report_visit(session, settings, actor=daoli(), data=visit(world, **overrides))
    assert count(session, FeverVisit) == 0
    assert count(session, HealthFact) == 0


def test_a_visit_of_an_unknown_person_or_clinic_is_refused(session, settings, world):
    stranger = resident_id(5_001)  # valid, but nobody registered has it
    with pytest.raises(errors.UnknownPerson):
        service.report_visit(
            session, settings, actor=daoli(), data=visit(world, id_number=stranger)
        )
    with pytest.raises(errors.SiteNotFound):
        service.report_visit(session, settings, actor=daoli(), data=visit(world, venue_id=999999))
    with pytest.raises(errors.SiteNotFound):  # another district's clinic
        service.report_visit(
            session, settings, actor=daoli(), data=visit(world, venue_id=world.nangang_clinic)
        )
    with pytest.raises(errors.WrongSiteKind):
        service.report_visit(
            session, settings, actor=daoli(), data=visit(world, venue_id=world.pharmacy)
        )
    assert count(session, FeverVisit) == 0


def test_a_person_of_another_district_may_visit(session, settings, world):
    data = visit(world, id_number=world.nangang_id_number)
    made = service.report_visit(session, settings, actor=daoli(), data=data)
    assert made.grid_code == "230103001002003" and made.region_code.startswith("230102")


def test_a_sale_without_a_recent_negative_is_yellow_and_pushed(session, settings, world):
    made = service.record_sale(session, settings, actor=daoli(), data=sale(world))
    assert made.marked and made.drug_class == "antipyretic" and made.grid_code.endswith("003")
    assert colour_of(session, world.person) == ("yellow", [FOUR_DRUG])
    actions = [row.action for row in session.query(AuditLog).filter_by(object_type="drug_sale")]
    assert actions == ["sentinel.sale_record"]


def test_a_negative_within_the_window_spares_the_buyer(session, settings, world):
    events.publish(session, NegativeTest(world.person, clock.now() - timedelta(hours=71), "lab"))
    made = service.record_sale(session, settings, actor=daoli(), data=sale(world))
    assert not made.marked
    assert colour_of(session, world.person)[0] == "green"


def test_a_negative_older_than_the_window_does_not(session, settings, world):
    events.publish(session, NegativeTest(world.person, clock.now() - timedelta(hours=73), "lab"))
    made = service.record_sale(session, settings, actor=daoli(), data=sale(world))
    assert made.marked
    assert colour_of(session, world.person)[0] == "yellow"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"drug_class": "止痛"}, errors.UnknownDrugClass),
        ({"drug_class": "vitamins"}, errors.UnknownDrugClass),
        ({"sold_at": "2099-01-01T08:00:00+08:00"}, errors.InFuture),
        ({"quantity": 0}, errors.BadQuantity),
        ({"venue_id": 0xFFFFFF}, errors.SiteNotFound),
    ],
)
def test_bad_sales_write_nothing(session, settings, world, overrides, error):
    with pytest.raises(error):
        service.record_sale(session, settings, actor=daoli(), data=sale(world, **overrides))
    assert count(session, DrugSale) == 0
    assert colour_of(session, world.person)[0] == "green"


def test_a_sale_at_a_clinic_is_the_wrong_kind(session, settings, world):
    with pytest.raises(errors.WrongSiteKind):
        service.record_sale(
            session, settings, actor=daoli(), data=sale(world, venue_id=world.clinic)
        )


def test_switching_to_an_edition_that_abolishes_registration_stops_it_all(session, settings, world):
    service.record_sale(session, settings, actor=daoli(), data=sale(world))
    assert colour_of(session, world.person)[0] == "yellow"
    activate(session, settings, "harbin-2022-12")
    with pytest.raises(errors.RegistrationNotInForce):
        service.record_sale(session, settings, actor=daoli(), data=sale(world))
    assert count(session, DrugSale) == 1
    edition = service.edition(session, settings)
    assert surveillance.end_abolished_marks(session, edition=edition) == 1
    assert colour_of(session, world.person) == ("green", [])
    assert surveillance.end_abolished_marks(session, edition=edition) == 0  # idempotent


def test_the_sweep_does_nothing_while_registration_is_in_force(session, settings, world):
    service.record_sale(session, settings, actor=daoli(), data=sale(world))
    edition = service.edition(session, settings)
    assert surveillance.end_abolished_marks(session, edition=edition) == 0
    assert colour_of(session, world.person)[0] == "yellow"


def test_followups_belong_to_the_buyers_grid(session, settings, world):
    mine = service.record_sale(session, settings, actor=daoli(), data=sale(world))
    data = sale(world, id_number=world.neighbour_id_number)
    other = service.record_sale(session, settings, actor=daoli(), data=data)
    worker = Principal(id=7, username="w", role="grid_worker", region_code="230102001002003")
    items, _ = service.followups(session, actor=worker, open_only=True, limit=10, before=None)
    assert [item.sale_id for item in items] == [mine.id]
    assert items[0].name != "李测试" and items[0].name.startswith("李")  # masked
    with pytest.raises(errors.SaleNotFound):
        service.mark_contacted(session, actor=worker, sale_id=other.id)
    done = service.mark_contacted(session, actor=worker, sale_id=mine.id)
    assert done.contacted_at is not None and done.contacted_by == 7
    items, _ = service.followups(session, actor=worker, open_only=True, limit=10, before=None)
    assert items == []


def test_site_registration_checks_the_venue(session, settings, world):
    shop = world.pharmacy
    with pytest.raises(errors.SiteExists):
        service.register_site(
            session, actor=daoli(), data=SiteIn(venue_id=shop, kind=SiteKind.PHARMACY)
        )
    new_id = make_site(session, "230102", SiteKind.PHARMACY, "第二药店")
    assert new_id != shop
    hall = venues.create_venue(session, actor=daoli(), data=VenueCreate(
        name="测试超市", type=VenueType.SUPERMARKET, region_code="230102001002003"))  # fmt: skip
    with pytest.raises(errors.SiteVenueType):
        service.register_site(
            session, actor=daoli(), data=SiteIn(venue_id=hall.id, kind=SiteKind.FEVER_CLINIC)
        )


def test_a_merge_re_points_visits_and_sales(session, settings, world):
    visit_made = service.report_visit(session, settings, actor=daoli(), data=visit(world))
    sale_made = service.record_sale(session, settings, actor=daoli(), data=sale(world))
    events.publish(session, PersonMerged(merged_id=world.person, kept_id=world.neighbour,
                                      actor=daoli()))  # fmt: skip
    assert session.get(FeverVisit, visit_made.id).person_id == world.neighbour
    assert session.get(DrugSale, sale_made.id).person_id == world.neighbour
