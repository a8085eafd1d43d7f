"""Pooled tubes in bulk (``service.sample_pools``): each row one sealed ten-in-one (or named
size) tube of its people, as ``open_tube`` (pooled) + ``add_member`` + ``seal_tube`` would leave
it; the edition's single-tube people refused; every bad row refuses the whole call and writes
nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.testing import TestTask as Task
from fangkong.models.testing import TubeMember
from fangkong.testing.sampling import errors, service
from fangkong.testing.sampling.schemas import MemberAdd, PoolSample, TubeKind, TubeOpen
from testing.sampling.helpers import (
    SAMPLER,
    code_of,
    counts,
    make_key_group,
    make_yellow,
    refused_whole,
    same_tube,
)
from testing.world import make_campaign, make_resident, next_barcode

pytestmark = pytest.mark.usefixtures("world")


def pool(settings, people, site, **extra):
    members = [MemberAdd(personal_code=code_of(settings, person)) for person in people]
    return PoolSample(barcode=extra.pop("barcode", None) or next_barcode(), site_id=site.id,
                      members=members, **extra)  # fmt: skip


def sample(session, settings, samples):
    return service.sample_pools(session, settings, actor=SAMPLER, samples=samples)


def refused(session, settings, error, samples, row):
    refused_whole(session, error, lambda: sample(session, settings, samples), row)


def residents(session, settings, count):
    return [make_resident(session, settings) for _ in range(count)]


def test_each_row_is_one_sealed_pool_of_its_people(session, settings, site):
    ten, three = residents(session, settings, 10), residents(session, settings, 3)
    before, now = counts(session), clock.now()
    with clock.frozen(now):
        tubes = sample(session, settings, [pool(settings, ten, site),
                                           pool(settings, three, site, capacity=5)])  # fmt: skip
    assert [(t.kind, t.capacity, t.member_count, t.status) for t in tubes] == [
        ("pooled", 10, 10, "sealed"), ("pooled", 5, 3, "sealed")]  # fmt: skip
    assert tubes[1].opened_at == tubes[1].sampled_at == tubes[1].sealed_at == now
    held = session.execute(select(TubeMember.tube_id, TubeMember.person_id)).all()
    assert sorted(held) == sorted([(tubes[0].id, p.id) for p in ten] +
                                  [(tubes[1].id, p.id) for p in three])  # fmt: skip
    assert counts(session) == (before[0] + 2, before[1] + 13, before[2] + 2)
    rows = session.scalars(select(AuditLog).where(AuditLog.object_type == "tube")).all()
    assert [r.action for r in rows] == ["testing.tube.sample_pool"] * 2
    assert rows[1].after["added_person_ids"] == ",".join(str(p.id) for p in three)


def test_the_pool_is_that_of_the_pooled_path(session, settings, site):
    first, second = residents(session, settings, 2), residents(session, settings, 2)
    data = TubeOpen(barcode=next_barcode(), site_id=site.id, kind=TubeKind.POOLED)
    one = service.open_tube(session, settings, actor=SAMPLER, data=data)
    for person in first:
        service.add_member(session, settings, actor=SAMPLER, tube_id=one.id,
                           data=MemberAdd(personal_code=code_of(settings, person)))  # fmt: skip
    service.seal_tube(session, actor=SAMPLER, tube_id=one.id)
    [bulk] = sample(session, settings, [pool(settings, second, site)])
    assert same_tube(bulk, one)


def test_sizes_and_room_are_checked(session, settings, site):
    people = residents(session, settings, 12)
    fine = pool(settings, people[:2], site)
    refused(session, settings, errors.PoolSizeNotAllowed, [fine, pool(settings, people[2:4], site,
                                                                      capacity=7)], 1)  # fmt: skip
    refused(session, settings, errors.TubeFull, [pool(settings, people[2:8], site, capacity=5)], 0)
    refused(session, settings, errors.AlreadyInTube,
            [fine, pool(settings, [people[3], people[3]], site)], 1)  # fmt: skip
    refused(session, settings, errors.TubeExists,
            [fine, pool(settings, people[4:6], site, barcode=fine.barcode)], 1)  # fmt: skip


def test_the_editions_single_tube_people_are_refused(session, settings, site):
    """A key-group member, a yellow code and a test owed: each refuses its row, naming why."""
    people = residents(session, settings, 6)
    make_key_group(session, people[1])
    make_yellow(session, people[3])
    session.add(Task(person_id=people[5].id, kind="pool_retest", source_ref="tube:1",
                     created_at=clock.now()))  # fmt: skip
    session.flush()
    assert service.single_tube_reasons(session, settings, [p.id for p in people]) == {
        people[1].id: errors.KEY_GROUP_REASON, people[3].id: errors.UNDER_CONTROL_REASON,
        people[5].id: errors.UNDER_CONTROL_REASON}  # fmt: skip
    fine = pool(settings, people[:1], site)
    for person, reason in ((people[1], errors.KEY_GROUP_REASON),
                           (people[3], errors.UNDER_CONTROL_REASON),
                           (people[5], errors.UNDER_CONTROL_REASON)):  # fmt: skip
        before = counts(session)
        with pytest.raises(errors.SingleTubeRequired) as raised:
            sample(session, settings, [fine, pool(settings, [people[2], person], site)])
        assert raised.value.params.get("row") == 1 and str(reason) in str(raised.value)
        assert counts(session) == before
    [tube] = sample(session, settings, [pool(settings, [people[0], people[2], people[4]], site)])
    assert tube.member_count == 3


def test_one_tube_per_person_per_round(session, settings, site):
    campaign = make_campaign(session, starts_on=clock.local_today())
    people = residents(session, settings, 4)
    in_round = {"campaign_id": campaign.id}
    [tube] = sample(session, settings, [pool(settings, people[:2], site, **in_round)])
    assert tube.campaign_id == campaign.id
    refused(session, settings, errors.AlreadyInRound,
            [pool(settings, people[2:], site, **in_round),
             pool(settings, [people[1]], site, **in_round)], 1)  # fmt: skip
    refused(session, settings, errors.AlreadyInRound,
            [pool(settings, [people[2], people[3]], site, **in_round),
             pool(settings, [people[3]], site, **in_round)], 1)  # fmt: skip
