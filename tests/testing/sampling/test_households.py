"""Household tubes in bulk (``service.sample_households``): one sealed tube per household with
its members present (all of them unless named), as ``open_tube`` (household) + ``seal_tube``
would leave it; every bad row refuses the whole call and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.core import clock, events
from fangkong.models import AuditLog
from fangkong.models.testing import TubeMember
from fangkong.people.errors import HouseholdNotFound
from fangkong.testing.events import TubesSampled
from fangkong.testing.sampling import errors, service
from fangkong.testing.sampling.schemas import HouseholdSample, MemberAdd, TubeKind, TubeOpen
from testing.sampling.helpers import (
    SAMPLER,
    code_of,
    counts,
    make_household,
    refused_whole,
    same_tube,
)
from testing.world import OTHER_GRID, make_campaign, make_resident, next_barcode

pytestmark = pytest.mark.usefixtures("world")


def family(session, settings, size):
    people = [make_resident(session, settings) for _ in range(size)]
    return make_household(session, people), people


def row(settings, household, site, present=(), **extra):
    members = [MemberAdd(personal_code=code_of(settings, person)) for person in present]
    return HouseholdSample(barcode=extra.pop("barcode", None) or next_barcode(), site_id=site.id,
                           household_id=household.id, members=members, **extra)  # fmt: skip


def sample(session, settings, samples):
    return service.sample_households(session, settings, actor=SAMPLER, samples=samples)


def refused(session, settings, error, samples, row_):
    refused_whole(session, error, lambda: sample(session, settings, samples), row_)


def member_ids(session, tube):
    statement = select(TubeMember.person_id).where(TubeMember.tube_id == tube.id)
    return sorted(session.scalars(statement))


def test_each_household_gets_one_sealed_tube_of_its_members(session, settings, site):
    (first, three), (second, two) = family(session, settings, 3), family(session, settings, 2)
    before, now = counts(session), clock.now()
    with clock.frozen(now):
        tubes = sample(session, settings, [row(settings, first, site),
                                           row(settings, second, site, present=two[:1])])  # fmt: skip
    assert [(t.kind, t.capacity, t.member_count, t.status, t.purpose) for t in tubes] == [
        ("household", 3, 3, "sealed", "screening"), ("household", 1, 1, "sealed", "screening")]  # fmt: skip
    assert tubes[0].opened_at == tubes[0].sampled_at == tubes[0].sealed_at == now
    assert member_ids(session, tubes[0]) == sorted(p.id for p in three)
    assert member_ids(session, tubes[1]) == [two[0].id]  # the one at home
    assert counts(session) == (before[0] + 2, before[1] + 4, before[2] + 2)
    rows = session.scalars(select(AuditLog).where(AuditLog.object_type == "tube")).all()
    assert [r.action for r in rows] == ["testing.tube.sample_household"] * 2
    assert rows[0].after["added_person_ids"] == ",".join(str(p.id) for p in three)


def test_the_tube_is_that_of_the_household_path(session, settings, site):
    (one_family, _), (other_family, _) = family(session, settings, 2), family(session, settings, 2)
    data = TubeOpen(barcode=next_barcode(), site_id=site.id, kind=TubeKind.HOUSEHOLD,
                    household_id=one_family.id)  # fmt: skip
    single = service.open_tube(session, settings, actor=SAMPLER, data=data)
    service.seal_tube(session, actor=SAMPLER, tube_id=single.id)
    [bulk] = sample(session, settings, [row(settings, other_family, site)])
    assert same_tube(bulk, single)


def test_one_tubes_sampled_names_every_member(session, settings, site):
    seen: list[TubesSampled] = []

    def handler(_session, event):
        seen.append(event)

    household, people = family(session, settings, 2)
    events.subscribe(TubesSampled)(handler)
    try:
        [tube] = sample(session, settings, [row(settings, household, site)])
    finally:
        events.unsubscribe(TubesSampled, handler)
    [[event]] = [batch.tubes for batch in seen]
    assert (sorted(event.person_ids), event.tube_id) == (sorted(p.id for p in people), tube.id)


def test_households_are_checked_before_anything_is_written(session, settings, site):
    (household, people), (other, strangers) = (family(session, settings, 2),
                                               family(session, settings, 1))  # fmt: skip
    fine = row(settings, household, site)
    refused(session, settings, errors.NotInHousehold,
            [fine, row(settings, other, site, present=[strangers[0], people[0]])], 1)  # fmt: skip
    refused(session, settings, errors.AlreadyInTube,
            [row(settings, household, site, present=[people[0], people[0]])], 0)  # fmt: skip
    empty = make_household(session, [])
    refused(session, settings, errors.HouseholdEmpty, [fine, row(settings, empty, site)], 1)
    nangang = make_household(session, [make_resident(session, settings, grid=OTHER_GRID)],
                             grid=OTHER_GRID)  # fmt: skip
    refused(session, settings, HouseholdNotFound, [fine, row(settings, nangang, site)], 1)
    unknown_first = row(settings, household, site).model_copy(
        update={"household_id": nangang.id + 1000})  # fmt: skip
    refused(
        session, settings, HouseholdNotFound, [fine, unknown_first, row(settings, nangang, site)], 1
    )  # the first bad row named
    refused(session, settings, errors.HouseholdTubeOpen,
            [fine, row(settings, other, site), row(settings, household, site)], 2)  # fmt: skip
    twice = row(settings, other, site, barcode=fine.barcode)
    refused(session, settings, errors.TubeExists, [fine, twice], 1)


def test_an_open_household_tube_and_a_round_already_sampled_refuse(session, settings, site):
    (household, _), (other, _) = family(session, settings, 2), family(session, settings, 2)
    data = TubeOpen(barcode=next_barcode(), site_id=site.id, kind=TubeKind.HOUSEHOLD,
                    household_id=household.id)  # fmt: skip
    service.open_tube(session, settings, actor=SAMPLER, data=data)
    refused(session, settings, errors.HouseholdTubeOpen,
            [row(settings, other, site), row(settings, household, site)], 1)  # fmt: skip
    campaign = make_campaign(session, starts_on=clock.local_today())
    in_round = {"campaign_id": campaign.id}
    [tube] = sample(session, settings, [row(settings, other, site, **in_round)])
    assert tube.campaign_id == campaign.id
    refused(session, settings, errors.AlreadyInRound,
            [row(settings, other, site, **in_round)], 0)  # fmt: skip
