"""Queries of sampling sites and tubes. Every read a caller sees starts from ``sites(actor)`` or
``tubes(actor)``, the jurisdiction-scoped statements (a tube is scoped by its site's region).
The public queue board reads active sites with no actor: it shows no personal data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from fangkong.core.iterables import batched
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import covers, within
from fangkong.db import attach_stored, bulk_insert, insert_objects, new_ids
from fangkong.models import KeyGroupMembership, Person, Region
from fangkong.models.testing import (
    Campaign,
    CampaignRegion,
    SamplingSite,
    TestTask,
    Tube,
    TubeMember,
)

QUEUE_BOARD_LIMIT = 500
LOOKUP_CHUNK = 500  # ids or barcodes per IN list of a bulk lookup


@dataclass(frozen=True)
class SiteFilter:
    region: str | None = None  # a region-code prefix
    q: str | None = None  # part of the name
    active: bool | None = None


@dataclass(frozen=True)
class TubeFilter:
    status: str | None = None
    kind: str | None = None
    site_id: int | None = None
    campaign_id: int | None = None
    opened_from: datetime | None = None  # the opening day's local midnight, as UTC
    opened_until: datetime | None = None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefixed(column: object, prefix: str) -> object:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)  # type: ignore[operator]


# --- sites ------------------------------------------------------------------------------


def sites(actor: Principal) -> Select[SamplingSite]:
    return select(SamplingSite).where(within(SamplingSite.region_code, actor.region_code))


def get_site(session: Session, actor: Principal, site_id: int) -> SamplingSite | None:
    return session.scalars(sites(actor).where(SamplingSite.id == site_id)).one_or_none()


def site_page(
    session: Session, actor: Principal, where: SiteFilter, params: PageParams
) -> tuple[Sequence[SamplingSite], str | None]:
    statement = sites(actor)
    if where.region:
        statement = statement.where(_prefixed(SamplingSite.region_code, where.region))  # type: ignore[arg-type]
    if where.q:
        pattern = f"%{_escaped(where.q)}%"
        statement = statement.where(SamplingSite.name.like(pattern, escape="\\"))
    if where.active is not None:
        statement = statement.where(SamplingSite.active.is_(where.active))
    return fetch_page(session, statement, SamplingSite.id, params)


def site_by_name(session: Session, region_code: str, name: str) -> SamplingSite | None:
    statement = select(SamplingSite).where(
        SamplingSite.region_code == region_code, SamplingSite.name == name
    )
    return session.scalars(statement).one_or_none()


def queue_board(session: Session, region: str | None) -> Sequence[SamplingSite]:
    statement = select(SamplingSite).where(SamplingSite.active.is_(True))
    if region:
        statement = statement.where(_prefixed(SamplingSite.region_code, region))  # type: ignore[arg-type]
    order = (SamplingSite.region_code, SamplingSite.name)
    return session.scalars(statement.order_by(*order).limit(QUEUE_BOARD_LIMIT)).all()


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    statement = select(Region.code, Region.name).where(Region.code.in_(codes))
    return {code: name for code, name in session.execute(statement)}


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


# --- tubes ------------------------------------------------------------------------------


def tubes(actor: Principal) -> Select[Tube]:
    return select(Tube).where(within(Tube.region_code, actor.region_code))


def get_tube(
    session: Session, actor: Principal, tube_id: int, *, lock: bool = False
) -> Tube | None:
    """``lock``: row lock on PostgreSQL, so two samplers adding at once cannot overfill it."""
    statement = tubes(actor).where(Tube.id == tube_id)
    return session.scalars(statement.with_for_update() if lock else statement).one_or_none()


def tube_by_barcode(session: Session, actor: Principal, barcode: str) -> Tube | None:
    return session.scalars(tubes(actor).where(Tube.barcode == barcode)).one_or_none()


def barcode_taken(session: Session, barcode: str) -> bool:
    """Unscoped on purpose: a barcode is used once city-wide, whoever used it."""
    return session.scalar(select(Tube.id).where(Tube.barcode == barcode)) is not None


def barcodes_taken(session: Session, barcodes: Sequence[str]) -> set[str]:
    """Which of these barcodes a tube already uses (unscoped, as ``barcode_taken``)."""
    taken: set[str] = set()
    for chunk in batched(barcodes, LOOKUP_CHUNK):
        taken.update(session.scalars(select(Tube.barcode).where(Tube.barcode.in_(chunk))))
    return taken


def number_tubes(session: Session, tubes: Sequence[Tube]) -> None:
    """New tubes given their ids before the flush, so that it inserts them as one batch (on
    SQLite the ORM inserts tubes without ids one at a time, to read each id back)."""
    ids = new_ids(session.connection(), Tube.metadata.tables["tubes"], len(tubes))
    for tube, tube_id in zip(tubes, ids, strict=True):
        tube.id = tube_id


def insert_tubes(session: Session, tubes: Sequence[Tube]) -> None:
    """New tubes, numbered, in one Core insert (a bulk path: the unit of work's bookkeeping of
    each tube cost more than its row); ``attach_tubes`` makes them the session's."""
    insert_objects(session, tubes)


def attach_tubes(session: Session, tubes: Sequence[Tube]) -> None:
    attach_stored(session, tubes)


def insert_members(session: Session, rows: Sequence[dict[str, object]]) -> None:
    """Tube members in one Core insert (a bulk path: nobody reads them back)."""
    bulk_insert(session.connection(), TubeMember.metadata.tables["tube_members"], list(rows))


def tube_page(
    session: Session, actor: Principal, where: TubeFilter, params: PageParams
) -> tuple[Sequence[Tube], str | None]:
    statement = tubes(actor)
    for column, value in (
        (Tube.status, where.status),
        (Tube.kind, where.kind),
        (Tube.site_id, where.site_id),
        (Tube.campaign_id, where.campaign_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if where.opened_from is not None:
        statement = statement.where(Tube.opened_at >= where.opened_from)
    if where.opened_until is not None:
        statement = statement.where(Tube.opened_at < where.opened_until)
    return fetch_page(session, statement, Tube.id, params, descending=True)


def members(session: Session, tube_id: int) -> Sequence[tuple[TubeMember, Person]]:
    statement = (
        select(TubeMember, Person)
        .join(Person, Person.id == TubeMember.person_id)
        .where(TubeMember.tube_id == tube_id)
        .order_by(TubeMember.sampled_at, TubeMember.person_id)
    )
    return [(member, person) for member, person in session.execute(statement)]


class PersonKey(NamedTuple):
    """What a tube needs of its person: who, and their grid at sampling."""

    id: int
    grid_code: str


def people(session: Session, person_ids: Sequence[int]) -> dict[int, PersonKey]:
    """These people by id, their two columns only (a scanned personal code names its holder,
    wherever they live; a round reads tens of thousands)."""
    found: dict[int, PersonKey] = {}
    for chunk in batched(sorted(set(person_ids)), LOOKUP_CHUNK):
        rows = session.execute(select(Person.id, Person.grid_code).where(Person.id.in_(chunk)))
        found.update((int(i), PersonKey(int(i), grid)) for i, grid in rows)
    return found


def member(session: Session, tube_id: int, person_id: int) -> TubeMember | None:
    return session.get(TubeMember, (tube_id, person_id))


def in_round(session: Session, campaign_id: int, person_ids: Sequence[int]) -> set[int]:
    statement = select(TubeMember.person_id).where(
        TubeMember.campaign_id == campaign_id, TubeMember.person_id.in_(person_ids)
    )
    return set(session.scalars(statement))


def delete_member(session: Session, tube_id: int, person_id: int) -> None:
    session.execute(
        delete(TubeMember).where(TubeMember.tube_id == tube_id, TubeMember.person_id == person_id)
    )


def first_sampled_at(session: Session, tube_id: int) -> datetime | None:
    return session.scalar(
        select(func.min(TubeMember.sampled_at)).where(TubeMember.tube_id == tube_id)
    )


def open_household_tube(session: Session, person_ids: Sequence[int]) -> int | None:
    """An open household tube holding any of these people (one open tube per household)."""
    statement = (
        select(Tube.id)
        .join(TubeMember, TubeMember.tube_id == Tube.id)
        .where(Tube.kind == "household", Tube.status == "open")
        .where(TubeMember.person_id.in_(person_ids))
        .limit(1)
    )
    return session.scalar(statement)


# --- people, rounds, tasks (read only) --------------------------------------------------


def tube_member_ids(session: Session, tube_id: int) -> list[int]:
    return list(session.scalars(select(TubeMember.person_id).where(TubeMember.tube_id == tube_id)))


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def in_key_group(session: Session, person_id: int, today: date) -> bool:
    statement = select(KeyGroupMembership.id).where(
        KeyGroupMembership.person_id == person_id,
        KeyGroupMembership.start_date <= today,
        (KeyGroupMembership.end_date.is_(None)) | (KeyGroupMembership.end_date >= today),
    )
    return session.scalar(statement.limit(1)) is not None


def in_key_groups(session: Session, person_ids: Sequence[int], today: date) -> set[int]:
    """Which of the people belong to a key group on ``today``."""
    statement = select(KeyGroupMembership.person_id).where(
        KeyGroupMembership.person_id.in_(person_ids),
        KeyGroupMembership.start_date <= today,
        (KeyGroupMembership.end_date.is_(None)) | (KeyGroupMembership.end_date >= today),
    )
    return set(session.scalars(statement))


def with_open_tasks(session: Session, person_ids: Sequence[int]) -> set[int]:
    """Which of the people owe a test (an open test task)."""
    statement = select(TestTask.person_id).where(
        TestTask.person_id.in_(person_ids), TestTask.status == "open"
    )
    return set(session.scalars(statement))


def has_open_task(session: Session, person_id: int) -> bool:
    statement = select(TestTask.id).where(
        TestTask.person_id == person_id, TestTask.status == "open"
    )
    return session.scalar(statement.limit(1)) is not None


def campaign(session: Session, campaign_id: int) -> Campaign | None:
    return session.get(Campaign, campaign_id)


def campaign_regions(session: Session, campaign_id: int) -> list[str]:
    statement = select(CampaignRegion.region_code).where(CampaignRegion.campaign_id == campaign_id)
    return list(session.scalars(statement))


def open_campaigns(session: Session, site_region: str, today: date) -> Sequence[Campaign]:
    """Rounds running today whose regions hold the site (for the sampler's round choice)."""
    statement = (
        select(Campaign)
        .where(Campaign.status == "open", Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.id.desc())
        .limit(50)
    )
    found = session.scalars(statement).all()
    return [c for c in found if covers_site(campaign_regions(session, c.id), site_region)]


def covers_site(regions: Sequence[str], site_region: str) -> bool:
    return any(covers(region, site_region) for region in regions)
