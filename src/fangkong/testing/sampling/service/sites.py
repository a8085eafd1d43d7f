"""Sampling sites (采样点): create, change, deactivate, list; the queue their staff report, and
the board citizens read (open now, queue status, estimated wait)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, time

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.testing import SamplingSite
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.repository import SiteFilter
from fangkong.testing.sampling.schemas import (
    QueueOut,
    QueueStatus,
    QueueUpdate,
    SiteCreate,
    SiteUpdate,
)
from fangkong.testing.sampling.service.audit_trail import record_site, site_snapshot


def get_site(session: Session, *, actor: Principal, site_id: int) -> SamplingSite:
    site = repository.get_site(session, actor, site_id)
    if site is None:
        raise errors.SiteNotFound()
    return site


def list_sites(
    session: Session, *, actor: Principal, page: PageParams, where: SiteFilter
) -> tuple[Sequence[SamplingSite], str | None]:
    return repository.site_page(session, actor, where, page)


def _region(session: Session, actor: Principal, code: str) -> str:
    """Jurisdiction first: a code outside it never tells whether it exists."""
    if not actor.covers(code):
        raise errors.RegionOutOfScope()
    if not repository.region_exists(session, code):
        raise errors.UnknownRegion()
    return code


def _check(session: Session, site: SamplingSite, site_id: int | None) -> None:
    if site.opens_at == site.closes_at:
        raise errors.BadHours()
    found = repository.site_by_name(session, site.region_code, site.name)
    if found is not None and found.id != site_id:
        raise errors.SiteDuplicateName()


def _flush(session: Session) -> None:
    """A concurrent insert of the same (region, name) is the same conflict."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise errors.SiteDuplicateName() from exc


def create_site(session: Session, *, actor: Principal, data: SiteCreate) -> SamplingSite:
    values = data.model_dump() | {"region_code": _region(session, actor, data.region_code)}
    site = SamplingSite(**values, active=True, queue_status=QueueStatus.NORMAL.value)
    _check(session, site, None)
    session.add(site)
    _flush(session)
    record_site(session, actor, "testing.site.create", site)
    return site


def update_site(
    session: Session, *, actor: Principal, site_id: int, data: SiteUpdate
) -> SamplingSite:
    site = get_site(session, actor=actor, site_id=site_id)
    changes = data.model_dump(exclude_unset=True)
    if "region_code" in changes:
        _region(session, actor, changes["region_code"])
    before = site_snapshot(site)
    with session.no_autoflush:
        for field, value in changes.items():
            setattr(site, field, value)
        _check(session, site, site.id)
    _flush(session)
    if site_snapshot(site) != before:
        record_site(session, actor, "testing.site.update", site, before=before)
    return site


def deactivate_site(session: Session, *, actor: Principal, site_id: int) -> SamplingSite:
    site = get_site(session, actor=actor, site_id=site_id)
    if site.active:
        before = site_snapshot(site)
        site.active = False
        site.queue_status = QueueStatus.CLOSED.value
        session.flush()
        record_site(session, actor, "testing.site.deactivate", site, before=before)
    return site


def update_queue(
    session: Session, *, actor: Principal, site_id: int, data: QueueUpdate
) -> SamplingSite:
    """The site's staff (a sampler or an officer) report the queue; stamped with the time."""
    site = get_site(session, actor=actor, site_id=site_id)
    if not site.active:
        raise errors.SiteInactive()
    before = site_snapshot(site)
    site.queue_status = data.status.value
    site.queue_length = data.length
    site.queue_updated_at = clock.now()
    session.flush()
    record_site(session, actor, "testing.site.queue", site, before=before)
    return site


# --- what citizens see ------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    value = time.fromisoformat(hhmm)
    return value.hour * 60 + value.minute


def open_at(site: SamplingSite, at: datetime) -> bool:
    """Open at ``at`` by its local hours; hours that close before they open run past midnight."""
    if not site.active or site.queue_status == QueueStatus.CLOSED.value:
        return False
    local = at.astimezone(clock.LOCAL_TZ)
    now, opens, closes = (
        local.hour * 60 + local.minute,
        _minutes(site.opens_at),
        _minutes(site.closes_at),
    )
    if opens < closes:
        return opens <= now < closes
    return now >= opens or now < closes


def wait_minutes(site: SamplingSite) -> int | None:
    """Queue length over capacity per hour, in whole minutes; unknown when closed."""
    if site.queue_status == QueueStatus.CLOSED.value or site.capacity_per_hour < 1:
        return None
    return math.ceil(site.queue_length * 60 / site.capacity_per_hour)


def queue_view(site: SamplingSite, at: datetime) -> QueueOut:
    return QueueOut(
        id=site.id, name=site.name, region_code=site.region_code, address=site.address,
        opens_at=site.opens_at, closes_at=site.closes_at, open_now=open_at(site, at),
        queue_status=QueueStatus(site.queue_status), queue_length=site.queue_length,
        wait_minutes=wait_minutes(site), queue_updated_at=site.queue_updated_at,
    )  # fmt: skip


def queue_board(session: Session, *, region: str | None) -> list[QueueOut]:
    """Active sites (of a region prefix) for the public board: no actor, no personal data."""
    at = clock.now()
    return [queue_view(site, at) for site in repository.queue_board(session, region)]


def district_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    """Names of the districts the board groups its sites by (public place names)."""
    return repository.region_names(session, sorted({code[:6] for code in codes}))
