"""What the issue-11 extras of a simulated city read: its people and districts, the day, the
actor, and a random generator per domain seeded from the city's seed (same seed on an empty
database, same rows).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models import Person, Region

ACTOR = replace(SYSTEM, username="simulate.city")
COMMUNITY_DIGITS = 12


class Resident(NamedTuple):
    """The columns of a person the extras read (a tuple: twenty thousand are made at once)."""

    id: int
    name: str
    grid_code: str
    birth_date: date
    elderly_alone: bool
    disabled: bool

    @property
    def community_code(self) -> str:
        return self.grid_code[:COMMUNITY_DIGITS]


@dataclass(frozen=True, slots=True)
class World:
    """What every domain's generator reads: the city as written, the day, the actor."""

    settings: Settings
    seed: int
    today: date
    residents: list[Resident]  # by id
    district_names: dict[str, str]
    grids: list[str]  # of the residents, sorted
    actor: Principal = ACTOR

    def rng(self, domain: str) -> random.Random:
        return random.Random(f"{self.seed}:{domain}")

    @property
    def past_day(self) -> date:
        """The last day that lies in the past both for the city and the clock (verbs refuse
        dates after the clock's today)."""
        return min(self.today, clock.local_today())

    @property
    def communities(self) -> list[str]:
        return sorted({grid[:COMMUNITY_DIGITS] for grid in self.grids})

    def at(self, day: date, hour: int, minute: int) -> datetime:
        """A local time on ``day`` as an aware UTC instant."""
        return datetime.combine(day, time(hour, minute), clock.LOCAL_TZ).astimezone(UTC)

    def age(self, resident: Resident) -> int:
        born, today = resident.birth_date, self.today
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass
class ExtrasSummary:
    vaccinated: int = 0
    doses: int = 0
    sentinel_sites: int = 0
    fever_visits: int = 0
    drug_sales: int = 0
    property_companies: int = 0
    property_communities: int = 0
    inspections: int = 0
    video_points: int = 0
    volunteers: int = 0
    care_needs: int = 0
    pairings: int = 0
    care_teams: int = 0
    care_requests: int = 0


def read_world(session: Session, *, settings: Settings, seed: int, today: date) -> World:
    rows = session.execute(
        select(
            Person.id, Person.name, Person.grid_code, Person.birth_date, Person.elderly_alone,
            Person.disabled,
        ).order_by(Person.id)
    ).all()  # fmt: skip
    residents = [Resident._make(row) for row in rows]
    grids = sorted({r.grid_code for r in residents})
    districts = sorted({grid[:6] for grid in grids})
    names = session.execute(select(Region.code, Region.name).where(Region.code.in_(districts)))
    return World(settings, seed, today, residents, {code: name for code, name in names}, grids)


def days_before(day: date, low: int, high: int, rng: random.Random) -> date:
    return day - timedelta(days=rng.randint(low, high))


MOST_CALLS = 100  # rows of a kind written one verb call at a time, at most (big cities)


def scaled(people: int, per: int, *, at_least: int = 1) -> int:
    """One per ``per`` residents, never fewer than ``at_least`` nor more than ``MOST_CALLS``
    (each is a verb call of a few milliseconds)."""
    return min(MOST_CALLS, max(at_least, people // per))
