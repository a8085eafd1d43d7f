"""Single tubes in bulk (``service.sample_singles``): many people's tubes opened, filled and
sealed in one call, as the single path would leave them; every bad row refuses the whole call
and writes nothing; jurisdiction as the single path (site scoped, ID numbers scoped, a scanned
personal code accepted from anyone)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import resident_id
from fangkong.citizens.errors import PersonalCodeInvalid
from fangkong.core import clock, events
from fangkong.models import AuditLog
from fangkong.models.testing import Tube, TubeMember
from fangkong.people.protect import Protector
from fangkong.testing.events import TubesSampled
from fangkong.testing.sampling import errors, repository, service
from fangkong.testing.sampling.schemas import (
    MemberAdd,
    SingleSample,
    TubeKind,
    TubeOpen,
    TubePurpose,
)
from plans import statements_on
from testing.sampling.helpers import SAMPLER, code_of, counts, refused_whole, same_tube
from testing.world import (
    OTHER_GRID,
    make_campaign,
    make_resident,
    make_site,
    make_tube,
    next_barcode,
)

pytestmark = pytest.mark.usefixtures("world")


def by_code(settings, person, site, **extra):
    data = MemberAdd(personal_code=code_of(settings, person))
    return SingleSample(barcode=extra.pop("barcode", None) or next_barcode(), site_id=site.id,
                        person=data, **extra)  # fmt: skip


def by_number(settings, person, site):
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    return SingleSample(barcode=next_barcode(), site_id=site.id,
                        person=MemberAdd(id_number=number))  # fmt: skip


def sample(session, settings, samples):
    return service.sample_singles(session, settings, actor=SAMPLER, samples=samples)


def refused(session, settings, error, samples, row):
    refused_whole(session, error, lambda: sample(session, settings, samples), row)


def test_each_person_gets_a_sealed_single_tube(session, settings, site):
    people = [make_resident(session, settings, name=name) for name in ("王小明", "李雷", "韩梅梅")]
    second_site = make_site(session, name="道里发热门诊")
    samples = [by_code(settings, people[0], site), by_number(settings, people[1], second_site),
               by_code(settings, people[2], site, purpose=TubePurpose.RETEST)]  # fmt: skip
    before, now = counts(session), clock.now()
    with clock.frozen(now):
        tubes = sample(session, settings, samples)
    assert [t.barcode for t in tubes] == [s.barcode for s in samples]
    for tube, person, where in zip(tubes, people, (site, second_site, site), strict=True):
        assert (tube.kind, tube.capacity, tube.status, tube.member_count) == (
            "single", 1, "sealed", 1)  # fmt: skip
        assert (tube.site_id, tube.region_code, tube.campaign_id) == (where.id, where.region_code,
                                                                      None)  # fmt: skip
        assert tube.opened_at == tube.sampled_at == tube.sealed_at == now
        [member] = service.members(session, tube)
        assert (member.person_id, member.grid_code, member.sampled_at) == (
            person.id, person.grid_code, now)  # fmt: skip
    assert [t.purpose for t in tubes] == ["screening", "screening", "retest"]
    assert counts(session) == (before[0] + 3, before[1] + 3, before[2] + 3)
    rows = session.scalars(select(AuditLog).where(AuditLog.object_type == "tube")).all()
    assert [(r.action, r.object_id) for r in rows] == [
        ("testing.tube.sample_single", str(t.id)) for t in tubes]  # fmt: skip
    assert rows[1].after["added_person_id"] == people[1].id
    assert rows[1].after["status"] == "sealed" and rows[1].region_code == second_site.region_code


def test_the_tubes_go_in_as_one_batch_under_fresh_ids(session, settings, site):
    """Their ids are drawn before the insert, after the tubes already there, so the tubes go
    in as one statement (the ORM inserts tubes without ids one at a time on SQLite; on
    PostgreSQL the one statement is a COPY, which the statement events do not see). The
    returned tubes are the session's own, and the stored rows hold what they hold."""
    earlier = make_tube(session, [make_resident(session, settings)], site=site)
    people = [make_resident(session, settings) for _ in range(3)]
    with statements_on(session, "tubes", "INSERT") as ran:
        tubes = sample(session, settings, [by_code(settings, p, site) for p in people])
    inserts = [sql for sql, _ in ran if sql.startswith("INSERT INTO tubes ")]
    assert len(inserts) == (1 if session.get_bind().dialect.name == "sqlite" else 0)
    ids = [tube.id for tube in tubes]
    assert ids == sorted(ids) and len(set(ids)) == 3 and ids[0] > earlier.id
    assert all(session.get(Tube, tube.id) is tube for tube in tubes) and not session.dirty
    held = [(t.barcode, t.status, t.purpose, t.conflict, t.lab_id) for t in tubes]
    session.expire_all()
    stored = [session.get(Tube, tube_id) for tube_id in ids]
    assert [(t.barcode, t.status, t.purpose, t.conflict, t.lab_id) for t in stored] == held
    assert held[0][1:] == ("sealed", "screening", False, None)


def test_the_tubes_are_those_of_the_single_path(session, settings, site):
    """Open, add, seal one by one and in bulk: the same tube and member columns."""
    first, second = make_resident(session, settings), make_resident(session, settings)
    data = TubeOpen(barcode=next_barcode(), site_id=site.id, kind=TubeKind.SINGLE)
    one = service.open_tube(session, settings, actor=SAMPLER, data=data)
    service.add_member(session, settings, actor=SAMPLER, tube_id=one.id,
                       data=MemberAdd(personal_code=code_of(settings, first)))  # fmt: skip
    service.seal_tube(session, actor=SAMPLER, tube_id=one.id)
    [bulk] = sample(session, settings, [by_code(settings, second, site)])
    assert same_tube(bulk, one)
    members = session.scalars(select(TubeMember).order_by(TubeMember.tube_id)).all()
    assert [(m.grid_code, m.campaign_id, m.added_by) for m in members] == [
        (first.grid_code, None, SAMPLER.id), (second.grid_code, None, SAMPLER.id)]  # fmt: skip


def test_one_tubes_sampled_carries_each_tube(session, settings, site):
    seen: list[TubesSampled] = []

    def handler(_session, event):
        seen.append(event)

    people, now = [make_resident(session, settings) for _ in range(2)], clock.now()
    events.subscribe(TubesSampled)(handler)
    try:
        with clock.frozen(now):
            tubes = sample(session, settings, [by_code(settings, p, site) for p in people])
    finally:
        events.unsubscribe(TubesSampled, handler)
    assert len(seen) == 1
    assert [(e.person_ids, e.tube_id, e.sampled_at) for e in seen[0].tubes] == [
        ((p.id,), t.id, now) for p, t in zip(people, tubes, strict=True)]  # fmt: skip


def test_an_empty_call_writes_nothing(session, settings):
    before = counts(session)
    assert sample(session, settings, []) == []
    assert counts(session) == before


def test_barcodes_are_checked_before_anything_is_written(session, settings, site):
    people = [make_resident(session, settings) for _ in range(3)]
    good = next_barcode()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows = [by_code(settings, p, site) for p in people]
    refused(session, settings, errors.BadBarcode, [*rows[:2], by_code(settings, people[2], site,
                                                   barcode=bad)], row=2)  # fmt: skip
    twice = by_code(settings, people[1], site, barcode=rows[0].barcode)
    refused(session, settings, errors.TubeExists, [rows[0], twice], row=1)
    sample(session, settings, [rows[0]])
    refused(session, settings, errors.TubeExists, [rows[1], rows[0]], row=1)


def test_sites_and_rounds_are_checked(session, settings, site):
    person, other = make_resident(session, settings), make_resident(session, settings)
    nangang = make_site(session, name="南岗采样点", region=OTHER_GRID)
    fine = by_code(settings, other, site)
    refused(session, settings, errors.SiteNotFound, [fine, by_code(settings, person, nangang)],
            row=1)  # fmt: skip
    late = make_campaign(session, starts_on=clock.local_today() - timedelta(days=5), days=2)
    refused(session, settings, errors.CampaignClosed,
            [by_code(settings, person, site, campaign_id=late.id)], row=0)  # fmt: skip
    covering = make_campaign(session, regions=("230103",), starts_on=clock.local_today())
    refused(session, settings, errors.CampaignNotCovering,
            [fine, by_code(settings, person, site, campaign_id=covering.id)], row=1)  # fmt: skip
    closed_site = make_site(session, name="停用采样点")
    closed_site.active = False
    refused(session, settings, errors.SiteInactive, [by_code(settings, person, closed_site)],
            row=0)  # fmt: skip


def test_one_tube_per_person_per_round(session, settings, site):
    campaign = make_campaign(session, starts_on=clock.local_today())
    first, second, third = (make_resident(session, settings) for _ in range(3))
    make_tube(session, [third], campaign=campaign, site=site)
    in_round = {"campaign_id": campaign.id}
    refused(session, settings, errors.AlreadyInRound,
            [by_code(settings, first, site, **in_round),
             by_code(settings, first, site, **in_round)], row=1)  # fmt: skip
    refused(session, settings, errors.AlreadyInRound,
            [by_code(settings, first, site, **in_round), by_code(settings, second, site),
             by_code(settings, third, site, **in_round)], row=2)  # fmt: skip
    tubes = sample(session, settings, [by_code(settings, first, site, **in_round),
                                       by_code(settings, first, site)])  # fmt: skip
    assert [t.campaign_id for t in tubes] == [campaign.id, None]  # a walk-in is not limited
    member = session.get(TubeMember, (tubes[0].id, first.id))
    assert member is not None and member.campaign_id == campaign.id


def test_people_are_found_as_the_single_path_finds_them(session, settings, site):
    resident = make_resident(session, settings)
    stranger = make_resident(session, settings, grid=OTHER_GRID)
    fine = by_code(settings, resident, site)
    refused(session, settings, errors.PersonNotFound, [fine, by_number(settings, stranger, site)],
            row=1)  # fmt: skip
    unknown = SingleSample(barcode=next_barcode(), site_id=site.id,
                           person=MemberAdd(id_number=resident_id(777)))  # fmt: skip
    refused(session, settings, errors.PersonNotFound, [fine, unknown], row=1)
    forged = SingleSample(barcode=next_barcode(), site_id=site.id,
                          person=MemberAdd(personal_code="HC1." + "A" * 60))  # fmt: skip
    refused(session, settings, PersonalCodeInvalid, [fine, forged], row=1)
    neither = SingleSample(barcode=next_barcode(), site_id=site.id, person=MemberAdd())
    refused(session, settings, errors.PersonRequired, [neither, fine], row=0)
    tubes = sample(session, settings, [by_code(settings, stranger, site)])  # their own code
    assert [m.person_id for m in service.members(session, tubes[0])] == [stranger.id]


def test_a_barcode_a_concurrent_request_won_leaves_nothing_behind(
    session, settings, site, monkeypatch
):
    """The checks passed (the other request had not committed yet); the insert meets the
    unique barcode: the savepoint takes the call's tubes and members back."""
    first, second = make_resident(session, settings), make_resident(session, settings)
    won = by_code(settings, first, site)
    sample(session, settings, [won])
    real, calls = repository.barcodes_taken, []

    def not_yet(session_, barcodes_):
        calls.append(barcodes_)
        return set() if len(calls) == 1 else real(session_, barcodes_)

    monkeypatch.setattr(repository, "barcodes_taken", not_yet)
    late = by_code(settings, second, site, barcode=won.barcode)
    refused(session, settings, errors.TubeExists, [by_code(settings, second, site), late], row=None)
    assert len(calls) == 2
