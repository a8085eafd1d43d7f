"""Declaring zones over a region or addresses: residents found, health codes coloured by kind,
bad input refused with nothing written; cases linked by hand and from a positive single tube;
the countdown; merged people re-pointed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from arrivals.world import ADMIN, DAOLI, GRID, NANGANG, OTHER_GRID, make_resident, make_zone
from arrivals.zones.helpers import actions, colour, counts, household, local, open_reasons
from fangkong.arrivals.zones import errors, handlers, service
from fangkong.arrivals.zones.schemas import CaseIn, ZoneCreate
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import Principal
from fangkong.models import AuditLog
from fangkong.models.zones import ZoneCase, ZoneResident
from fangkong.people.events import PersonMerged
from fangkong.testing.events import CaseCandidate, CaseCandidates

pytestmark = pytest.mark.usefixtures("world")
OFFICER = Principal(id=7, username="officer", role="district_officer", region_code=DAOLI)


def declare(session, **values):
    return service.declare(session, actor=OFFICER, data=ZoneCreate.model_validate(values))


def residents(session, zone_id):
    query = select(ZoneResident.person_id).where(ZoneResident.zone_id == zone_id)
    return set(session.scalars(query))


@pytest.mark.parametrize(
    ("kind", "expected"), [("sealed", "red"), ("controlled", "yellow"), ("precaution", None)]
)
def test_declared_over_a_region_colours_its_residents_by_kind(session, settings, kind, expected):
    inside = [make_resident(session, settings), make_resident(session, settings, name="李雷")]
    outside = make_resident(session, settings, name="韩梅梅", grid=OTHER_GRID)
    zone = declare(session, name="道里某小区", kind=kind, region_code=GRID[:12])
    assert zone.resident_count == 2 and zone.region_code == GRID[:12]
    assert residents(session, zone.id) == {p.id for p in inside}
    for person in inside:
        assert colour(session, person.id) == expected
        reasons = open_reasons(session, person.id)
        assert reasons == ({f"zone.{kind}"} if expected else set())
    assert colour(session, outside.id) is None
    assert actions(session, zone.id) == ["declared"]
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "zone.declare")).one()
    assert audit.object_id == str(zone.id) and audit.actor_id == OFFICER.id


def test_declared_over_addresses_takes_the_matching_households(session, settings):
    family = [make_resident(session, settings), make_resident(session, settings, name="李雷")]
    neighbour = make_resident(session, settings, name="韩梅梅")
    household(session, family, "道里区中央大街12号3单元")
    household(session, [neighbour], "道里区中央大街14号")
    zone = declare(session, name="中央大街12号楼", kind="sealed", addresses=["道里区中央大街12号"])
    assert residents(session, zone.id) == {p.id for p in family}
    assert zone.region_code == GRID and zone.resident_count == 2
    assert colour(session, family[0].id) == "red" and colour(session, neighbour.id) is None


def test_an_address_matching_no_household_is_refused_with_its_text(session, settings):
    household(session, [make_resident(session, settings)], "道里区中央大街12号")
    session.commit()
    before = counts(session)
    with pytest.raises(errors.AddressUnmatched) as refused:
        declare(session, name="x", kind="sealed", addresses=["道里区中央大街12号", "不存在路1号"])
    assert refused.value.detail == "不存在路1号"
    session.rollback()
    assert counts(session) == before


def test_an_address_in_another_district_matches_nothing(session, settings):
    household(session, [make_resident(session, settings, grid=OTHER_GRID)], "南岗区西大直街1号",
              grid=OTHER_GRID)  # fmt: skip
    with pytest.raises(errors.AddressUnmatched):
        declare(session, name="x", kind="sealed", addresses=["南岗区西大直街1号"])


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"region_code": DAOLI + "001009"}, errors.UnknownRegion),
        ({"region_code": NANGANG + "001"}, errors.RegionOutOfScope),
        ({"region_code": DAOLI}, errors.RegionLevel),
        ({}, errors.NoArea),
        ({"region_code": GRID, "addresses": ["道里区中央大街12号"]}, errors.NoArea),
        ({"region_code": GRID, "cases": [{"person_id": 999999, "infected_at": "2022-11-01T08:00:00+08:00"}]},
         errors.UnknownPerson),
    ],
)  # fmt: skip
def test_bad_declarations_write_nothing(session, settings, values, error):
    make_resident(session, settings)
    session.commit()
    before = counts(session)
    with pytest.raises(error):
        declare(session, name="坏输入", kind="sealed", **values)
    session.rollback()
    assert counts(session) == before


def test_a_case_of_another_district_is_an_unknown_person(session, settings):
    stranger = make_resident(session, settings, grid=OTHER_GRID)
    case = {"person_id": stranger.id, "infected_at": clock.now() - timedelta(hours=1)}
    with pytest.raises(errors.UnknownPerson):
        declare(session, name="x", kind="sealed", region_code=GRID, cases=[case])


def test_an_infection_in_the_future_is_refused(session, settings):
    person = make_resident(session, settings)
    case = {"person_id": person.id, "infected_at": clock.now() + timedelta(hours=1)}
    with pytest.raises(errors.InfectionInFuture):
        declare(session, name="x", kind="sealed", region_code=GRID, cases=[case])


def test_cases_move_the_last_infection_and_restart_the_countdown(session, settings):
    person, case = make_resident(session, settings), make_resident(session, settings, name="李雷")
    with clock.frozen(local(clock.local_today() - timedelta(days=20))):
        zone = declare(session, name="x", kind="sealed", region_code=GRID)
    declared = zone.declared_at
    day3 = declared + timedelta(days=3)
    with clock.frozen(day3):
        assert zone.last_infection_at is None
        edition_days = service.countdown(zone, _edition(session)).no_infection_days
        assert service.countdown(zone, _edition(session)).days_without_infection == 2
        data = CaseIn(person_id=case.id, infected_at=declared + timedelta(days=2), case_ref="c1")
        service.link_case(session, actor=OFFICER, zone_id=zone.id, data=data)
        assert zone.last_infection_at == declared + timedelta(days=2)
        again = service.countdown(zone, _edition(session))
        assert again.days_without_infection == 0 and again.days_left == edition_days
        # Linking the same person twice is a no-op; an earlier case keeps the later time.
        service.link_case(session, actor=OFFICER, zone_id=zone.id, data=data)
        earlier = CaseIn(person_id=person.id, infected_at=declared)
        service.link_case(session, actor=OFFICER, zone_id=zone.id, data=earlier)
    assert zone.last_infection_at == declared + timedelta(days=2)
    assert actions(session, zone.id) == ["declared", "infection", "infection"]
    with clock.frozen(declared + timedelta(days=2 + 4, hours=1)):
        assert service.countdown(zone, _edition(session)).days_without_infection == 3


def _edition(session):
    from fangkong.healthcode.service import current_edition

    return current_edition(session)


def test_the_official_day_runs_from_six_to_six(session):
    zone = make_zone(session, declared_at=local(clock.local_today() - timedelta(days=10), 5, 59))
    # Declared at 5:59: that is still the previous official day.
    start = zone.declared_at
    assert service.official_day(start) == start.astimezone(clock.LOCAL_TZ).date() - timedelta(1)
    next_six = local(start.astimezone(clock.LOCAL_TZ).date(), 6)
    assert service.days_without(zone, next_six) == 0
    assert service.days_without(zone, next_six + timedelta(days=1)) == 1


def test_a_positive_single_tube_links_a_case_to_the_zones_listing_the_person(session, settings):
    person, other = make_resident(session, settings), make_resident(session, settings, name="李雷")
    zone = declare(session, name="x", kind="sealed", region_code=GRID)
    elsewhere = make_zone(session, region=OTHER_GRID)
    sampled = clock.now() - timedelta(hours=3)
    event = CaseCandidate(person_id=person.id, tube_id=42, sampled_at=sampled,
                          tested_at=clock.now(), lab_id=None, ct_orf1ab=20.0, ct_n=21.0)  # fmt: skip
    publish(session, CaseCandidates((event,)))
    case = session.get(ZoneCase, (zone.id, person.id))
    assert case is not None and case.infected_at == sampled and case.case_ref == "tube:42"
    assert zone.last_infection_at == sampled
    assert session.get(ZoneCase, (elsewhere.id, person.id)) is None
    assert session.get(ZoneCase, (zone.id, other.id)) is None
    assert actions(session, zone.id) == ["declared", "infection"]


def test_a_new_infection_withdraws_a_pending_proposal(session, settings):
    person = make_resident(session, settings)
    zone = declare(session, name="x", kind="sealed", region_code=GRID)
    zone.pending = "proposed_downgrade"
    data = CaseIn(person_id=person.id, infected_at=clock.now() - timedelta(hours=1))
    service.link_case(session, actor=OFFICER, zone_id=zone.id, data=data)
    assert zone.pending is None


def test_a_merge_re_points_residents_and_cases(session, settings):
    kept, merged = make_resident(session, settings), make_resident(session, settings, name="李雷")
    zone = declare(session, name="x", kind="sealed", region_code=GRID,
                   cases=[{"person_id": merged.id, "infected_at": clock.now() - timedelta(days=1)}])  # fmt: skip
    other = make_zone(session, region=GRID, residents=(merged,), name="另一小区")
    handlers.repoint_merged(
        session, PersonMerged(merged_id=merged.id, kept_id=kept.id, actor=ADMIN)
    )
    session.expire_all()
    assert residents(session, zone.id) == {kept.id}
    assert residents(session, other.id) == {kept.id}
    assert session.get(ZoneCase, (zone.id, kept.id)) is not None
    assert session.get(ZoneCase, (zone.id, merged.id)) is None
    assert "zone.sealed" in open_reasons(session, kept.id)
