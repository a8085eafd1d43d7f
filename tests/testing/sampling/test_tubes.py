"""Tubes: open by barcode, add people by personal code or ID number, the edition's pool sizes
and single-tube rule, one tube per round, household tubes, remove, seal. Every refusal is
shown to leave the tables and the audit log as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import resident_id
from fangkong.citizens.errors import PersonalCodeInvalid
from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models import testing as tables
from fangkong.models.testing import TubeMember
from fangkong.people.protect import Protector
from fangkong.testing import barcodes
from fangkong.testing.sampling import errors, service
from fangkong.testing.sampling.schemas import MemberAdd, TubeKind, TubeOpen, TubePurpose
from testing.sampling.helpers import (
    NANGANG_OFFICER,
    SAMPLER,
    code_of,
    counts,
    make_household,
    make_key_group,
    make_yellow,
)
from testing.world import (
    OTHER_GRID,
    make_campaign,
    make_resident,
    make_site,
    make_tube,
    next_barcode,
)

pytestmark = pytest.mark.usefixtures("world")


def open_tube(session, settings, site, **extra):
    data = TubeOpen(barcode=extra.pop("barcode", None) or next_barcode(), site_id=site.id, **extra)
    return service.open_tube(session, settings, actor=SAMPLER, data=data)


def add(session, settings, tube, person=None, *, id_number=None):
    data = (
        MemberAdd(personal_code=code_of(settings, person))
        if person
        else MemberAdd(id_number=id_number)
    )
    return service.add_member(session, settings, actor=SAMPLER, tube_id=tube.id, data=data)


def refused(session, error, call):
    """``call`` raises ``error`` and changes no tube, member or audit row."""
    before = counts(session)
    with pytest.raises(error):
        call()
    assert counts(session) == before


def test_a_pooled_tube_takes_people_by_code_and_by_id_number(session, settings, site):
    first, second = make_resident(session, settings), make_resident(session, settings, name="李雷")
    tube = open_tube(session, settings, site)
    assert (tube.kind, tube.capacity, tube.status, tube.sampled_at) == ("pooled", 10, "open", None)
    add(session, settings, tube, first)
    sampled = tube.sampled_at
    id_number = Protector(settings.data_key_bytes).open_id(second.id_number_enc)
    add(session, settings, tube, id_number=id_number)
    assert tube.member_count == 2 and tube.sampled_at == sampled is not None
    members = service.members(session, tube)
    assert [m.name for m in members] == ["王*明", "李*"]
    assert all("*" in m.id_number and m.grid_code == first.grid_code for m in members)
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "tube").order_by(AuditLog.id)
    )
    assert list(actions) == [
        "testing.tube.open",
        "testing.tube.add_member",
        "testing.tube.add_member",
    ]


def test_pool_sizes_come_from_the_edition(session, settings, site):
    assert open_tube(session, settings, site, capacity=20).capacity == 20
    assert open_tube(session, settings, site, kind=TubeKind.SINGLE, capacity=10).capacity == 1
    refused(
        session, errors.PoolSizeNotAllowed, lambda: open_tube(session, settings, site, capacity=12)
    )


def test_bad_and_used_barcodes_are_refused(session, settings, site):
    good = next_barcode()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    refused(session, errors.BadBarcode, lambda: open_tube(session, settings, site, barcode=bad))
    refused(
        session, errors.BadBarcode, lambda: open_tube(session, settings, site, barcode="12a45678")
    )
    open_tube(session, settings, site, barcode=good)
    refused(session, errors.TubeExists, lambda: open_tube(session, settings, site, barcode=good))


def test_site_campaign_and_purpose_are_checked(session, settings, site):
    other = make_site(session, name="南岗采样点", region=OTHER_GRID)
    refused(session, errors.SiteNotFound, lambda: open_tube(session, settings, other))
    late = make_campaign(session, starts_on=clock.local_today() - timedelta(days=5), days=2)
    refused(
        session,
        errors.CampaignClosed,
        lambda: open_tube(session, settings, site, campaign_id=late.id),
    )
    nangang = make_campaign(session, regions=("230103",), starts_on=clock.local_today())
    refused(
        session,
        errors.CampaignNotCovering,
        lambda: open_tube(session, settings, site, campaign_id=nangang.id),
    )
    refused(
        session,
        errors.CampaignNotFound,
        lambda: open_tube(session, settings, site, campaign_id=999999),
    )
    refused(
        session,
        errors.SingleTubePurpose,
        lambda: open_tube(session, settings, site, purpose=TubePurpose.RETEST),
    )
    site.active = False
    refused(session, errors.SiteInactive, lambda: open_tube(session, settings, site))


def test_full_sealed_twice_and_unknown_people_are_refused(session, settings, site):
    first, second = make_resident(session, settings), make_resident(session, settings)
    tube = open_tube(session, settings, site, kind=TubeKind.SINGLE)
    add(session, settings, tube, first)
    refused(session, errors.AlreadyInTube, lambda: add(session, settings, tube, first))
    refused(session, errors.TubeFull, lambda: add(session, settings, tube, second))
    service.seal_tube(session, actor=SAMPLER, tube_id=tube.id)
    assert tube.status == "sealed" and tube.sealed_at is not None
    refused(session, errors.TubeNotOpen, lambda: add(session, settings, tube, second))
    refused(
        session,
        errors.TubeNotOpen,
        lambda: service.seal_tube(session, actor=SAMPLER, tube_id=tube.id),
    )
    pooled = open_tube(session, settings, site)
    refused(
        session,
        errors.PersonNotFound,
        lambda: add(session, settings, pooled, id_number=resident_id(777)),
    )
    refused(session, errors.BadIdNumber, lambda: add(session, settings, pooled, id_number="  "))
    forged = MemberAdd(personal_code="HC1." + "A" * 60)
    refused(
        session,
        PersonalCodeInvalid,
        lambda: service.add_member(
            session, settings, actor=SAMPLER, tube_id=pooled.id, data=forged
        ),
    )
    both = MemberAdd(personal_code=code_of(settings, second), id_number=resident_id(777))
    refused(
        session,
        errors.PersonRequired,
        lambda: service.add_member(session, settings, actor=SAMPLER, tube_id=pooled.id, data=both),
    )


def test_an_id_number_outside_the_jurisdiction_is_not_found(session, settings, site):
    stranger = make_resident(session, settings, grid=OTHER_GRID)
    number = Protector(settings.data_key_bytes).open_id(stranger.id_number_enc)
    tube = open_tube(session, settings, site)
    refused(session, errors.PersonNotFound, lambda: add(session, settings, tube, id_number=number))
    add(session, settings, tube, stranger)  # their own signed code: sampled where they stand
    assert tube.member_count == 1


def test_one_tube_per_person_per_round(session, settings, site):
    campaign = make_campaign(session, starts_on=clock.local_today())
    person = make_resident(session, settings)
    first = open_tube(session, settings, site, campaign_id=campaign.id)
    second = open_tube(session, settings, site, campaign_id=campaign.id)
    add(session, settings, first, person)
    refused(session, errors.AlreadyInRound, lambda: add(session, settings, second, person))
    assert second.member_count == 0 and second.sampled_at is None
    walk_in = open_tube(session, settings, site)  # no round: a walk-in test is not limited
    add(session, settings, walk_in, person)


def test_single_tube_required_for_key_groups_and_people_under_control(session, settings, site):
    courier, yellow, owing = (make_resident(session, settings) for _ in range(3))
    make_key_group(session, courier)
    make_yellow(session, yellow)
    session.add(tables.TestTask(person_id=owing.id, kind="pool_retest", source_ref="tube:1"))
    session.flush()
    pooled = open_tube(session, settings, site)
    for person, reason in ((courier, errors.KEY_GROUP_REASON), (yellow, errors.UNDER_CONTROL_REASON),
                           (owing, errors.UNDER_CONTROL_REASON)):  # fmt: skip
        before = counts(session)
        with pytest.raises(errors.SingleTubeRequired) as raised:
            add(session, settings, pooled, person)
        assert raised.value.detail == reason and counts(session) == before
        single = open_tube(session, settings, site, kind=TubeKind.SINGLE)
        add(session, settings, single, person)
        assert single.member_count == 1


def test_household_tube_takes_every_member_once(session, settings, site):
    family = [make_resident(session, settings) for _ in range(3)]
    household = make_household(session, family)
    tube = open_tube(session, settings, site, kind=TubeKind.HOUSEHOLD, household_id=household.id)
    assert (tube.capacity, tube.member_count) == (3, 3) and tube.sampled_at is not None
    refused(
        session,
        errors.HouseholdTubeOpen,
        lambda: open_tube(
            session, settings, site, kind=TubeKind.HOUSEHOLD, household_id=household.id
        ),
    )
    refused(
        session,
        errors.HouseholdRequired,
        lambda: open_tube(session, settings, site, kind=TubeKind.HOUSEHOLD),
    )
    empty = make_household(session, [])
    refused(
        session,
        errors.HouseholdEmpty,
        lambda: open_tube(session, settings, site, kind=TubeKind.HOUSEHOLD, household_id=empty.id),
    )


def test_household_tube_refused_whole_when_one_member_was_sampled_in_the_round(
    session, settings, site
):
    campaign = make_campaign(session, starts_on=clock.local_today())
    family = [make_resident(session, settings) for _ in range(2)]
    household = make_household(session, family)
    make_tube(session, [family[1]], campaign=campaign, site=site)
    before = counts(session)
    with pytest.raises(errors.AlreadyInRound):
        open_tube(
            session,
            settings,
            site,
            kind=TubeKind.HOUSEHOLD,
            household_id=household.id,
            campaign_id=campaign.id,
        )
    assert counts(session) == before


def test_remove_a_member_and_seal(session, settings, site):
    first, second = make_resident(session, settings), make_resident(session, settings)
    tube = open_tube(session, settings, site)
    refused(
        session,
        errors.TubeEmpty,
        lambda: service.seal_tube(session, actor=SAMPLER, tube_id=tube.id),
    )
    add(session, settings, tube, first)
    add(session, settings, tube, second)
    service.remove_member(session, actor=SAMPLER, tube_id=tube.id, person_id=first.id)
    assert tube.member_count == 1
    assert [m.person_id for m in session.scalars(select(TubeMember))] == [second.id]
    refused(
        session,
        errors.NotInTube,
        lambda: service.remove_member(session, actor=SAMPLER, tube_id=tube.id, person_id=first.id),
    )
    service.remove_member(session, actor=SAMPLER, tube_id=tube.id, person_id=second.id)
    assert (tube.member_count, tube.sampled_at) == (0, None)
    removed = session.scalars(
        select(AuditLog.after).where(AuditLog.action == "testing.tube.remove_member")
    )
    assert [row["removed_person_id"] for row in removed] == [first.id, second.id]


def test_tubes_are_scoped_by_the_site_region(session, settings, site):
    tube = open_tube(session, settings, site)
    with pytest.raises(errors.TubeNotFound):
        service.get_tube(session, actor=NANGANG_OFFICER, tube_id=tube.id)
    with pytest.raises(errors.TubeNotFound):
        service.tube_by_barcode(session, actor=NANGANG_OFFICER, barcode=tube.barcode)
    assert service.tube_by_barcode(session, actor=SAMPLER, barcode=tube.barcode).id == tube.id
    assert barcodes.is_valid(tube.barcode)
