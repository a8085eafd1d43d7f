"""Tubes (采样管): open one by its barcode, add people by personal code or ID number, a sealed
household at once, remove a member, seal; list and read them with members masked.

Rules come from the active edition (``testing.pooling``): pool sizes, who must be sampled
alone (单采), one open tube per sealed household. Every check runs before the first write and
the inserts run in a savepoint, so a refused request writes nothing.

The single-tube rule applies to pooled tubes only: a household tube (一户一管) exists for sealed
areas, whose residents are under control by definition; it takes the whole household at once
and its capacity is the household's size.

A scanned personal code is signed by the server and names its holder, who stands in front of
the sampler: it is accepted from anyone, wherever they live (people are tested where they
work too). A typed ID number is a registry search and stays inside the actor's jurisdiction.
The personal code's one-time nonce is not claimed: the same code is often shown at the site's
door a minute before, and the round's unique key already stops a second sampling.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models import Person
from fangkong.models.testing import SamplingSite, Tube
from fangkong.people import service as people
from fangkong.policy.schema import Edition
from fangkong.testing import barcodes
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.repository import TubeFilter
from fangkong.testing.sampling.schemas import (
    MemberOut,
    TubeKind,
    TubeOpen,
    TubePurpose,
    TubeStatus,
)
from fangkong.testing.sampling.service.audit_trail import record_tube
from fangkong.testing.sampling.service.members import add_rows, admissible, counted
from fangkong.testing.sampling.service.sites import get_site

SINGLE_PURPOSES = {TubePurpose.RETEST, TubePurpose.CONFIRM}


# --- reading ----------------------------------------------------------------------------


def get_tube(session: Session, *, actor: Principal, tube_id: int, lock: bool = False) -> Tube:
    tube = repository.get_tube(session, actor, tube_id, lock=lock)
    if tube is None:
        raise errors.TubeNotFound()
    return tube


def tube_by_barcode(session: Session, *, actor: Principal, barcode: str) -> Tube:
    tube = repository.tube_by_barcode(session, actor, barcode.strip())
    if tube is None:
        raise errors.TubeNotFound()
    return tube


def day_range(day: date) -> tuple[datetime, datetime]:
    """A local (Asia/Shanghai) day as a UTC half-open range."""
    start = datetime.combine(day, time(), clock.LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


def list_tubes(
    session: Session, *, actor: Principal, page: PageParams, where: TubeFilter
) -> tuple[Sequence[Tube], str | None]:
    return repository.tube_page(session, actor, where, page)


def members(session: Session, tube: Tube) -> list[MemberOut]:
    """The tube's people, masked: a tube list is no place for full names or numbers."""
    return [
        MemberOut(
            person_id=person.id,
            name=mask_person_name(person.name),
            id_number=person.id_number_masked,
            grid_code=member.grid_code,
            sampled_at=member.sampled_at,
        )
        for member, person in repository.members(session, tube.id)
    ]


def open_campaigns(session: Session, site: SamplingSite) -> list[tuple[int, str]]:
    today = clock.local_today()
    return [(c.id, c.name) for c in repository.open_campaigns(session, site.region_code, today)]


# --- opening ----------------------------------------------------------------------------


def _barcode(session: Session, value: str) -> str:
    barcode = value.strip()
    if not barcodes.is_valid(barcode):
        raise errors.BadBarcode()
    if repository.barcode_taken(session, barcode):
        raise errors.TubeExists()
    return barcode


def _capacity(edition: Edition, data: TubeOpen) -> int:
    if data.kind is TubeKind.SINGLE:
        return 1
    pooling = edition.testing.pooling
    size = data.capacity or pooling.default_size
    if data.kind is TubeKind.POOLED and size not in pooling.allowed_sizes:
        raise errors.PoolSizeNotAllowed()
    return size


def campaign_for_site(session: Session, campaign_id: int | None, site: SamplingSite) -> int | None:
    if campaign_id is None:
        return None
    campaign = repository.campaign(session, campaign_id)
    if campaign is None:
        raise errors.CampaignNotFound()
    if (
        campaign.status != "open"
        or not campaign.starts_on <= clock.local_today() <= campaign.ends_on
    ):
        raise errors.CampaignClosed()
    if not repository.covers_site(
        repository.campaign_regions(session, campaign.id), site.region_code
    ):
        raise errors.CampaignNotCovering()
    return campaign.id


def _household(
    session: Session, actor: Principal, edition: Edition, household_id: int | None
) -> list[Person]:
    if household_id is None:
        raise errors.HouseholdRequired()
    household = people.get_household(session, actor=actor, household_id=household_id)
    found = people.members(session, household)
    if not found:
        raise errors.HouseholdEmpty()
    ids = [person.id for person in found]
    if edition.testing.pooling.one_tube_per_sealed_household and repository.open_household_tube(
        session, ids
    ):
        raise errors.HouseholdTubeOpen()
    return found


def open_tube(session: Session, settings: Settings, *, actor: Principal, data: TubeOpen) -> Tube:
    """A new open tube; a household tube takes the household's members at once."""
    barcode = _barcode(session, data.barcode)
    site = get_site(session, actor=actor, site_id=data.site_id)
    if not site.active:
        raise errors.SiteInactive()
    if data.purpose in SINGLE_PURPOSES and data.kind is not TubeKind.SINGLE:
        raise errors.SingleTubePurpose()
    edition = healthcode.current_edition(session, settings.policy)
    capacity = _capacity(edition, data)
    campaign_id = campaign_for_site(session, data.campaign_id, site)
    household: list[Person] = []
    if data.kind is TubeKind.HOUSEHOLD:
        household = _household(session, actor, edition, data.household_id)
        capacity = len(household)
    tube = Tube(
        barcode=barcode, kind=data.kind.value, capacity=capacity, purpose=data.purpose.value,
        site_id=site.id, campaign_id=campaign_id, region_code=site.region_code,
        sampler_id=actor.id, status=TubeStatus.OPEN.value, member_count=0, opened_at=clock.now(),
    )  # fmt: skip
    return _insert_tube(session, actor, tube, household)


def _insert_tube(session: Session, actor: Principal, tube: Tube, household: list[Person]) -> Tube:
    if household:
        admissible(session, tube, household)
    try:
        with session.begin_nested():
            session.add(tube)
            session.flush()
            if household:
                add_rows(session, actor, tube, household)
    except IntegrityError as exc:
        raise _integrity_error(session, tube) from exc
    record_tube(session, actor, "testing.tube.open", tube)
    if household:
        counted(session, actor, tube, household)
    return tube


def _integrity_error(session: Session, tube: Tube) -> Exception:
    """Which unique key a concurrent request won: the barcode, or one tube per round."""
    if repository.barcode_taken(session, tube.barcode):
        return errors.TubeExists()
    return errors.AlreadyInRound()


def allowed_sizes(session: Session, settings: Settings) -> tuple[int, tuple[int, ...]]:
    """The edition's default pool size and the sizes it allows (the sampler's choice)."""
    pooling = healthcode.current_edition(session, settings.policy).testing.pooling
    return pooling.default_size, tuple(pooling.allowed_sizes)
