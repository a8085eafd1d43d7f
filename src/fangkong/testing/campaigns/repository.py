"""Queries of screening rounds and key-group schedules. A round is readable when its widest
region lies inside the actor's jurisdiction or contains it (a city round is every district's
round); the people and tubes it counts are further limited to the actor's jurisdiction.

Coverage reads three grouped statements over indexes: residents per grid from ``grid_counts``
(kept current by the people services), members per grid from ``tube_members``
(``ix_tube_members_campaign_grid``) and resulted members per grid through their tubes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    case,
    cast,
    exists,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.partitions import day_bounds
from fangkong.core.principal import Principal
from fangkong.core.scoping import scope_prefix, within
from fangkong.models import GridCounts, KeyGroupMembership, Person, PersonStatus, Region
from fangkong.models.cases import Case
from fangkong.models.quarantine import Placement
from fangkong.models.testing import Campaign, CampaignRegion, Tube, TubeMember


def _narrower(a: str, b: str) -> str | None:
    """The prefix of the intersection of two code-prefix ranges (None when disjoint)."""
    if a.startswith(b):
        return a
    return b if b.startswith(a) else None


OPEN_CASE = ("pending", "active")
OPEN_PLACEMENT = ("pending", "active")


@dataclass(frozen=True)
class Area:
    """Where figures are counted: the round's regions, the actor's jurisdiction, a filter."""

    regions: tuple[str, ...]
    scope: str
    region: str | None = None

    def prefixes(self) -> list[str]:
        """The code prefixes of the area: one range per round region that survives the scope
        and the filter (one range each, so every statement is one index range scan)."""
        limits = [scope_prefix(self.scope)] + ([scope_prefix(self.region)] if self.region else [])
        found: set[str] = set()
        for code in self.regions:
            prefix: str | None = scope_prefix(code)
            for limit in limits:
                prefix = _narrower(prefix, limit) if prefix is not None else None
            if prefix is not None:
                found.add(prefix)
        return sorted(p for p in found if not any(o != p and p.startswith(o) for o in found))

    def holds(self, column: Any) -> ColumnElement[bool]:
        ranges = [within(column, prefix) for prefix in self.prefixes()]
        return or_(*ranges) if ranges else false()


def ancestors(code: str) -> list[str]:
    """The codes of the regions that contain ``code`` (its city and province included)."""
    found = [code[:n] for n in (12, 9, 6) if len(code) > n]
    admin = code[:6]
    found += [admin[:4] + "00", admin[:2] + "0000"]
    return [c for c in dict.fromkeys(found) if c != code]


def readable(actor: Principal) -> Select[Campaign]:
    mine = within(Campaign.region_code, actor.region_code)
    return select(Campaign).where(or_(mine, Campaign.region_code.in_(ancestors(actor.region_code))))


def get_readable(session: Session, actor: Principal, campaign_id: int) -> Campaign | None:
    return session.scalars(readable(actor).where(Campaign.id == campaign_id)).one_or_none()


def page(
    session: Session, actor: Principal, status: str | None, params: PageParams
) -> tuple[Sequence[Campaign], str | None]:
    statement = readable(actor)
    if status:
        statement = statement.where(Campaign.status == status)
    return fetch_page(session, statement, Campaign.id, params, descending=True)


def regions_of(session: Session, campaign_ids: Sequence[int]) -> dict[int, list[str]]:
    statement = select(CampaignRegion.campaign_id, CampaignRegion.region_code).where(
        CampaignRegion.campaign_id.in_(campaign_ids)
    )
    found: dict[int, list[str]] = {campaign_id: [] for campaign_id in campaign_ids}
    for campaign_id, code in session.execute(statement.order_by(CampaignRegion.region_code)):
        found[campaign_id].append(code)
    return found


def region(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


def region_names(session: Session, codes: Sequence[str], english: bool) -> dict[str, str]:
    statement = select(Region.code, Region.name, Region.name_en).where(Region.code.in_(codes))
    return {c: (en or zh) if english else zh for c, zh, en in session.execute(statement)}


def residents(session: Session, regions: Sequence[str]) -> int:
    statement = select(func.coalesce(func.sum(GridCounts.residents), 0)).where(
        or_(*(within(GridCounts.grid_code, code) for code in regions))
    )
    return int(session.execute(statement).scalar_one())


def _one_range(column: Any, prefixes: Sequence[str]) -> ColumnElement[bool]:
    """One index range holding every prefix (their common prefix): one scan, one hash of the
    tubes, where a range per prefix would repeat both; rows outside are dropped after."""
    first, last = min(prefixes), max(prefixes)
    common = next(
        (first[:i] for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b),
        first[: len(last)],
    )
    return within(column, common) if common else true()


def residents_by_grid(session: Session, area: Area) -> dict[str, int]:
    prefixes = tuple(area.prefixes())
    if not prefixes:
        return {}
    statement = select(GridCounts.grid_code, GridCounts.residents).where(
        _one_range(GridCounts.grid_code, prefixes), GridCounts.residents > 0
    )
    return {code: n for code, n in session.execute(statement) if code.startswith(prefixes)}


def members_by_grid(
    session: Session, campaign_id: int, area: Area
) -> dict[str, tuple[int, int, int]]:
    """(sampled, tested, positive) per grid: one pass over the round's members in the area's
    range (``ix_tube_members_campaign_grid``), each joined to its tube."""
    prefixes = tuple(area.prefixes())
    if not prefixes:
        return {}
    tested = func.sum(cast(case((Tube.status == "resulted", 1), else_=0), Integer))
    positive = func.sum(cast(case((Tube.result == "positive", 1), else_=0), Integer))
    statement = (
        select(TubeMember.grid_code, func.count(), tested, positive)
        .join(Tube, Tube.id == TubeMember.tube_id)
        .where(TubeMember.campaign_id == campaign_id, _one_range(TubeMember.grid_code, prefixes))
        .group_by(TubeMember.grid_code)
    )
    return {
        code: (int(n), int(t or 0), int(p or 0))
        for code, n, t, p in session.execute(statement)
        if code and code.startswith(prefixes)
    }


def sampled_in(session: Session, campaign_id: int, area: Area) -> int:
    """Members of the round in the area: an index-only count of one range of
    ``ix_tube_members_campaign_grid`` per prefix, without the members' tubes."""
    total = 0
    for prefix in area.prefixes():
        statement = select(func.count()).where(
            TubeMember.campaign_id == campaign_id, within(TubeMember.grid_code, prefix)
        )
        total += int(session.execute(statement).scalar_one())
    return total


def _untested(session: Session, campaign_id: int, area: Area) -> Select[Person]:
    """The round's residents with no member row in it, but for those under control on its
    days (tested by their own schedule, not owed to the round)."""
    member = exists().where(
        TubeMember.campaign_id == campaign_id, TubeMember.person_id == Person.id
    )
    return select(Person).where(
        Person.status == PersonStatus.ACTIVE,
        area.holds(Person.grid_code),
        ~member,
        ~_under_control(session, campaign_id),
    )


def _under_control(session: Session, campaign_id: int) -> ColumnElement[bool]:
    """The person had a case (from its positive sample to its outcome) or a placement not
    cancelled (from its creation to its release or transfer) open at some time of the
    round's days (Asia/Shanghai)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        return false()
    start, end = day_bounds(campaign.starts_on)[0], day_bounds(campaign.ends_on)[1]
    treated = select(Case.id).where(
        Case.person_id == Person.id,
        Case.sampled_at < end,
        Case.status.in_(OPEN_CASE) | (Case.outcome_at >= start),
    )
    ended = func.coalesce(Placement.released_at, Placement.transferred_at)
    placed = select(Placement.id).where(
        Placement.person_id == Person.id,
        Placement.created_at < end,
        Placement.status != "cancelled",
        Placement.status.in_(OPEN_PLACEMENT) | (ended >= start),
    )
    return exists(treated) | exists(placed)


def untested_page(
    session: Session, campaign_id: int, area: Area, params: PageParams
) -> tuple[Sequence[Person], str | None]:
    return fetch_page(session, _untested(session, campaign_id, area), Person.id, params)


def untested_all(session: Session, campaign_id: int, area: Area, limit: int) -> Sequence[Person]:
    statement = _untested(session, campaign_id, area).order_by(Person.grid_code, Person.id)
    return session.scalars(statement.limit(limit)).all()


def untested_ids(session: Session, campaign_id: int, area: Area) -> Sequence[int]:
    statement = _untested(session, campaign_id, area).with_only_columns(Person.id)
    return session.scalars(statement.order_by(Person.id)).all()


def missed_due(session: Session, today: date) -> Sequence[Campaign]:
    statement = select(Campaign).where(
        Campaign.ends_on < today, Campaign.missed_marked_at.is_(None)
    )
    return session.scalars(statement.order_by(Campaign.id)).all()


# --- key groups -----------------------------------------------------------------------------


def _current(today: date) -> ColumnElement[bool]:
    return (KeyGroupMembership.start_date <= today) & or_(
        KeyGroupMembership.end_date.is_(None), KeyGroupMembership.end_date >= today
    )


def key_group_members(
    session: Session, scope: str, registry_groups: Sequence[str], today: date
) -> int:
    statement = (
        select(func.count(func.distinct(KeyGroupMembership.person_id)))
        .join(Person, Person.id == KeyGroupMembership.person_id)
        .where(KeyGroupMembership.group.in_(registry_groups), _current(today))
        .where(Person.status == PersonStatus.ACTIVE, within(Person.grid_code, scope))
    )
    return int(session.execute(statement).scalar_one())


@dataclass(frozen=True)
class OverdueQuery:
    registry_groups: tuple[str, ...]
    cutoff: datetime  # last sampled before this instant (or never) is overdue
    today: date
    scope: str
    region: str | None = None
    employer: str | None = None


def last_sampled() -> Any:
    return (
        select(func.max(TubeMember.sampled_at))
        .where(TubeMember.person_id == Person.id)
        .correlate(Person)
        .scalar_subquery()
    )


def overdue_rows(session: Session, query: OverdueQuery) -> Sequence[Any]:
    """(person, employer, last sampled) of current members last sampled before the cutoff."""
    last = last_sampled()
    statement = (
        select(Person, KeyGroupMembership.employer, last)
        .join(KeyGroupMembership, KeyGroupMembership.person_id == Person.id)
        .where(KeyGroupMembership.group.in_(query.registry_groups), _current(query.today))
        .where(Person.status == PersonStatus.ACTIVE, within(Person.grid_code, query.scope))
        .where(or_(last.is_(None), last < query.cutoff))
        .order_by(Person.id, KeyGroupMembership.id)
    )
    if query.region:
        statement = statement.where(within(Person.grid_code, query.region))
    if query.employer:
        statement = statement.where(KeyGroupMembership.employer == query.employer)
    return session.execute(statement).all()


def prefix_of(code: str) -> str:
    return scope_prefix(code)
