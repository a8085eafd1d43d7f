"""Key-group schedules (重点人群): the edition's groups with their member counts, the members
overdue for a test, summaries, the export and the daily overdue marking.

A member is overdue when their last sampling (any tube) is more than the group's
``frequency_days`` ago, or they were never sampled. A person in a group through two registry
groups (cold chain and port) is listed once per edition group. The list is sorted in Python
(key-group members are tens of thousands in a city, not millions) and paged by a keyset cursor
over the sort key, so pages stay stable while results arrive.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock, events
from fangkong.core.errors import N_
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams, decode_cursor_values
from fangkong.core.principal import SYSTEM, Principal
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import FactRaised
from fangkong.people import service as people
from fangkong.policy.schema import Edition
from fangkong.policy.schema import KeyGroup as EditionGroup
from fangkong.policy.types import Reason
from fangkong.testing.campaigns import errors, repository
from fangkong.testing.campaigns.repository import OverdueQuery
from fangkong.testing.campaigns.schemas import (
    KeyGroupOut,
    OverdueCount,
    OverdueMember,
    OverdueSummary,
)
from fangkong.testing.campaigns.service.coverage import workbook


def key_groups(session: Session, *, actor: Principal) -> list[KeyGroupOut]:
    today = clock.local_today()
    return [
        KeyGroupOut(
            id=g.id, name_zh=g.name_zh, name_en=g.name_en, frequency_days=g.frequency_days,
            required=g.required, registry_groups=list(g.registry_groups),
            members=_members_of(session, actor, g, today),
        )
        for g in healthcode.current_edition(session).key_groups
    ]  # fmt: skip


def _members_of(session: Session, actor: Principal, group: EditionGroup, today: date) -> int:
    if not group.registry_groups:
        return 0
    return repository.key_group_members(session, actor.region_code, group.registry_groups, today)


def _groups(edition: Edition, group: str | None) -> list[EditionGroup]:
    if group is None:
        return [g for g in edition.key_groups if g.registry_groups]
    found = [g for g in edition.key_groups if g.id == group]
    if not found:
        raise errors.UnknownKeyGroup(group)
    return found if found[0].registry_groups else []


def _days_overdue(last: datetime | None, frequency_days: int, now: datetime) -> int | None:
    if last is None:
        return None
    return (now - last - timedelta(days=frequency_days)).days


def _members(
    session: Session, group: EditionGroup, query: OverdueQuery, now: datetime
) -> list[OverdueMember]:
    seen: dict[int, OverdueMember] = {}
    for person, employer, last in repository.overdue_rows(session, query):
        if person.id in seen:
            continue
        seen[person.id] = OverdueMember(
            person_id=person.id, name=mask_person_name(person.name),
            id_number=person.id_number_masked, phone=person.phone_masked, group=group.id,
            employer=employer, grid_code=person.grid_code, last_sampled_at=last,
            days_overdue=_days_overdue(last, group.frequency_days, now),
        )  # fmt: skip
    return list(seen.values())


def _sort_key(member: OverdueMember, frequency_days: dict[str, int]) -> list[Any]:
    """Most overdue first: never sampled, then by the instant the next test was due."""
    if member.last_sampled_at is None:
        return [0, 0, member.group, member.person_id]
    due = member.last_sampled_at + timedelta(days=frequency_days[member.group])
    return [1, int(due.timestamp()), member.group, member.person_id]


def all_overdue(
    session: Session, actor: Principal, *, group: str | None = None, employer: str | None = None,
    region: str | None = None, edition: Edition | None = None,
) -> list[OverdueMember]:  # fmt: skip
    if region and not actor.covers(region):
        raise errors.KeyGroupRegionOutOfScope(region)
    now, today = clock.now(), clock.local_today()
    found: list[OverdueMember] = []
    groups = _groups(edition or healthcode.current_edition(session), group)
    for g in groups:
        query = OverdueQuery(
            registry_groups=g.registry_groups, cutoff=now - timedelta(days=g.frequency_days),
            today=today, scope=actor.region_code, region=region, employer=employer,
        )  # fmt: skip
        found += _members(session, g, query, now)
    frequency = {g.id: g.frequency_days for g in groups}
    return sorted(found, key=lambda m: _sort_key(m, frequency))


def due_on(session: Session, *, actor: Principal, day: date) -> list[int]:
    """The people inside the actor's jurisdiction due for a key-group test on the local
    ``day``: never sampled, or last sampled on ``day`` minus the group's frequency or earlier
    (calendar days: a member of a daily group sampled yesterday at any hour is due today,
    where the overdue list counts from the instant of the last sampling). Ids in order, each
    once, whatever the number of groups."""
    found: set[int] = set()
    for g in _groups(healthcode.current_edition(session), None):
        first_not_due = day - timedelta(days=g.frequency_days - 1)
        query = OverdueQuery(
            registry_groups=g.registry_groups, today=day, scope=actor.region_code,
            cutoff=datetime.combine(first_not_due, time(0), clock.LOCAL_TZ),
        )  # fmt: skip
        found.update(person.id for person, _, _ in repository.overdue_rows(session, query))
    return sorted(found)


def _encode(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def overdue(
    session: Session, *, actor: Principal, page: PageParams, group: str | None = None,
    employer: str | None = None, region: str | None = None,
) -> tuple[list[OverdueMember], str | None]:  # fmt: skip
    members = all_overdue(session, actor, group=group, employer=employer, region=region)
    frequency = {g.id: g.frequency_days for g in healthcode.current_edition(session).key_groups}
    if page.cursor is not None:
        after = decode_cursor_values(page.cursor, [int, int, str, int])
        members = [m for m in members if _sort_key(m, frequency) > after]
    if len(members) <= page.limit:
        return members, None
    members = members[: page.limit]
    return members, _encode(_sort_key(members[-1], frequency))


def _counts(values: Sequence[str], names: dict[str, str]) -> list[OverdueCount]:
    return [
        OverdueCount(key=key, name=names.get(key, key), overdue=n)
        for key, n in Counter(values).most_common()
    ]


def overdue_summary(
    session: Session, *, actor: Principal, group: str | None = None, region: str | None = None
) -> OverdueSummary:
    """Overdue members per employer and per region one level below ``region`` (or the actor's)."""
    members = all_overdue(session, actor, group=group, region=region)
    prefix = repository.prefix_of(region or actor.region_code)
    digits = 6 if len(prefix) < 6 else min(len(prefix) + 3, 15)
    regions = [m.grid_code[:digits] for m in members]
    names = repository.region_names(session, sorted(set(regions)), english=False)
    return OverdueSummary(
        total=len(members),
        by_employer=_counts([m.employer or "" for m in members], {}),
        by_region=_counts(regions, names),
    )


OVERDUE_COLUMNS = (
    N_("Key group"), N_("Name"), N_("ID number"), N_("Phone"), N_("Employer"), N_("Grid"),
    N_("Last sampled"), N_("Days overdue"),
)  # fmt: skip


def overdue_xlsx(
    session: Session, *, actor: Principal, gettext: Callable[[str], str], group: str | None = None,
    employer: str | None = None, region: str | None = None,
) -> bytes:  # fmt: skip
    members = all_overdue(session, actor, group=group, employer=employer, region=region)
    people.log_export(session, actor, region or actor.region_code)
    never = gettext(N_("never"))
    rows = [
        [m.group, m.name, m.id_number, m.phone or "", m.employer or "", m.grid_code,
         m.last_sampled_at.astimezone(clock.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
         if m.last_sampled_at else never,
         never if m.days_overdue is None else m.days_overdue]
        for m in members
    ]  # fmt: skip
    header = [gettext(c) for c in OVERDUE_COLUMNS]
    return workbook(gettext(N_("Overdue key-group members")), header, rows)


def mark_overdue(session: Session, *, today: date | None = None) -> dict[str, Any]:
    """The daily marking: overdue members of ``required`` groups get the overdue fact (raising
    it again only keeps it); a negative NAT ends it through the health-code engine."""
    edition = healthcode.current_edition(session)
    raised: dict[str, int] = {}
    for group in (g for g in edition.key_groups if g.required and g.registry_groups):
        members = all_overdue(session, SYSTEM, group=group.id, edition=edition)
        for m in members:
            fact = FactRaised(
                m.person_id, Reason.KEY_GROUP_OVERDUE, "testing", f"key_group:{group.id}"
            )
            events.publish(session, fact)
        raised[group.id] = len(members)
    return {
        "edition": edition.id,
        "raised": raised,
        "on": (today or clock.local_today()).isoformat(),
    }
