"""Sampling sites: create, change, deactivate, the queue their staff report, and the board
citizens read (open now by local hours, estimated wait), each change audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.models import AuditLog
from fangkong.testing.sampling import errors, service
from fangkong.testing.sampling.schemas import QueueStatus, QueueUpdate, SiteCreate, SiteUpdate
from testing.sampling.helpers import NANGANG_OFFICER, OFFICER, SAMPLER
from testing.world import GRID, OTHER_GRID, make_site

pytestmark = pytest.mark.usefixtures("world")


def new_site(session, name="中央大街采样点", region=GRID, **extra):
    data = SiteCreate(name=name, region_code=region, address="中央大街1号", **extra)
    return service.create_site(session, actor=OFFICER, data=data)


def actions(session, site_id):
    statement = select(AuditLog.action).where(
        AuditLog.object_type == "sampling_site", AuditLog.object_id == str(site_id)
    )
    return list(session.scalars(statement.order_by(AuditLog.id)))


def test_create_change_deactivate_are_audited(session):
    site = new_site(session, opens_at="07:30", closes_at="19:00", capacity_per_hour=120)
    assert (site.active, site.queue_status, site.opens_at) == (True, "normal", "07:30")
    service.update_site(
        session, actor=OFFICER, site_id=site.id, data=SiteUpdate(capacity_per_hour=200)
    )
    service.update_site(
        session, actor=OFFICER, site_id=site.id, data=SiteUpdate(capacity_per_hour=200)
    )
    service.deactivate_site(session, actor=OFFICER, site_id=site.id)
    assert (site.capacity_per_hour, site.active, site.queue_status) == (200, False, "closed")
    assert actions(session, site.id) == [
        "testing.site.create", "testing.site.update", "testing.site.deactivate",
    ]  # fmt: skip


def test_bad_sites_are_refused_and_write_nothing(session):
    new_site(session)
    with pytest.raises(errors.SiteDuplicateName):
        new_site(session)
    with pytest.raises(errors.RegionOutOfScope):
        new_site(session, name="南岗", region=OTHER_GRID)
    with pytest.raises(errors.UnknownRegion):
        new_site(session, name="无此处", region="230102999999999")
    with pytest.raises(errors.BadHours):
        new_site(session, name="同一分钟", opens_at="08:00", closes_at="08:00")
    names = session.scalars(select(AuditLog.action).where(AuditLog.object_type == "sampling_site"))
    assert list(names) == ["testing.site.create"]


def test_list_is_scoped_and_filtered(session):
    make_site(session, name="道里一号")
    make_site(session, name="南岗一号", region=OTHER_GRID)
    closed = make_site(session, name="道里二号")
    closed.active = False
    page = PageParams(limit=10)
    found, _ = service.list_sites(session, actor=OFFICER, page=page, where=service.SiteFilter())
    assert {s.name for s in found} == {"道里一号", "道里二号"}
    where = service.SiteFilter(q="二", active=False)
    found, _ = service.list_sites(session, actor=OFFICER, page=page, where=where)
    assert [s.name for s in found] == ["道里二号"]
    found, _ = service.list_sites(
        session, actor=NANGANG_OFFICER, page=page, where=service.SiteFilter()
    )
    assert [s.name for s in found] == ["南岗一号"]
    with pytest.raises(errors.SiteNotFound):
        service.get_site(session, actor=NANGANG_OFFICER, site_id=closed.id)


def test_staff_report_the_queue_with_a_time_stamp(session):
    site = make_site(session)
    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Harbin
    with clock.frozen(at):
        service.update_queue(
            session,
            actor=SAMPLER,
            site_id=site.id,
            data=QueueUpdate(status=QueueStatus.BUSY, length=150),
        )
    assert (site.queue_status, site.queue_length, site.queue_updated_at) == ("busy", 150, at)
    assert actions(session, site.id) == ["testing.site.queue"]
    site.active = False
    with pytest.raises(errors.SiteInactive):
        service.update_queue(
            session, actor=SAMPLER, site_id=site.id, data=QueueUpdate(status=QueueStatus.IDLE)
        )


@pytest.mark.parametrize(
    ("opens", "closes", "utc_hour", "expected"),
    [
        ("08:00", "20:00", 2, True),  # 10:00 local
        ("08:00", "20:00", 12, False),  # 20:00 local: closed at the closing minute
        ("08:00", "20:00", 23, False),  # 07:00 local
        ("20:00", "06:00", 15, True),  # 23:00 local, overnight hours
        ("20:00", "06:00", 4, False),  # 12:00 local
    ],
)
def test_open_now_follows_local_hours(session, opens, closes, utc_hour, expected):
    site = make_site(session)
    site.opens_at, site.closes_at = opens, closes
    at = datetime(2026, 12, 1, utc_hour, 0, tzinfo=UTC)
    assert service.open_at(site, at) is expected


def test_board_shows_wait_and_no_inactive_sites(session):
    busy = make_site(session, name="道里一号")
    busy.capacity_per_hour, busy.queue_length = 120, 50
    closed = make_site(session, name="道里二号")
    closed.queue_status = QueueStatus.CLOSED.value
    make_site(session, name="道里三号").active = False
    make_site(session, name="南岗一号", region=OTHER_GRID)
    session.flush()
    board = {row.name: row for row in service.queue_board(session, region="230102")}
    assert set(board) == {"道里一号", "道里二号"}
    assert board["道里一号"].wait_minutes == 25  # 50 people at 120 an hour
    assert (board["道里二号"].wait_minutes, board["道里二号"].open_now) == (None, False)
    assert len(service.queue_board(session, region=None)) == 3
