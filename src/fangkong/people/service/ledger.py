"""The grid ledger (台账), the seven counts of any region and the grid-worker load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from asgi_correlation_id import correlation_id
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.errors import NotFound
from fangkong.core.principal import Principal
from fangkong.models import (
    Household,
    Person,
    PersonAccess,
)
from fangkong.people import counts, repository, validation
from fangkong.people.schemas import GridLoad
from fangkong.regions import service as regions

# --- counts, load and ledger ------------------------------------------------------------


def grid_workers(session: Session, *, actor: Principal, grid_code: str) -> list[str]:
    return [user.username for user in regions.workers(session, actor=actor, grid_code=grid_code)]


def log_export(session: Session, actor: Principal, region_code: str) -> None:
    """An export of a ledger is an access to every record in it: one row says who and where."""
    session.add(
        PersonAccess(
            at=clock.now(),
            user_id=actor.id,
            username=actor.username,
            action="export_ledger",
            region_code=region_code,
            request_id=correlation_id.get(),
        )
    )


def recount_grids(session: Session, grid_codes: Iterable[str]) -> int:
    return counts.recount_grids(session, grid_codes)


def set_control_counts(session: Session, values: dict[str, tuple[int, int]]) -> int:
    """The quarantine domain's two counts per grid: (home isolated or monitored, positives and
    centrally isolated)."""
    return counts.set_control_counts(session, values)


def recount_all(session: Session, *, today: date | None = None) -> int:
    return counts.recount_grids(session, counts.populated_grids(session), today=today)


def nightly_recount(session: Session, *, today: date) -> dict[str, int]:
    """Children who turned three lose the flag; then every grid is recounted for ``today``."""
    aged_out = repository.clear_under_three(
        session, born_before=validation.third_birthday_cutoff(today)
    )
    grids = recount_all(session, today=today)
    return {"aged_out": aged_out, "grids": grids}


def region_counts(session: Session, *, actor: Principal, region_code: str) -> dict[str, int]:
    if not actor.covers(region_code):
        raise NotFound()
    return counts.region_totals(session, region_code)


Load = GridLoad  # the service answers the API's body: one shape for one thing
COUNT_KEYS = ("households", *counts.METRICS)


def worker_load(
    session: Session, *, actor: Principal, region_code: str, max_households: int
) -> list[Load]:
    """Households and people per grid worker in every grid; over ``max_households`` is flagged."""
    if not actor.covers(region_code):
        raise NotFound()
    loads = []
    for code, name, workers, households, residents in repository.grid_load(
        session, actor, region_code
    ):
        per_household = households / workers if workers else None
        loads.append(
            Load(
                grid_code=code,
                grid_name=name,
                workers=workers,
                households=households,
                residents=residents,
                households_per_worker=per_household,
                people_per_worker=residents / workers if workers else None,
                overloaded=per_household is not None and per_household > max_households,
                unstaffed=workers == 0 and households > 0,
            )
        )
    return loads


@dataclass
class LedgerEntry:
    person: Person
    key_groups: list[str]
    is_head: bool


@dataclass
class GridLedger:
    grid_code: str
    grid_name: str
    households: list[tuple[Household, list[LedgerEntry]]]
    without_household: list[LedgerEntry]


def ledger(session: Session, *, actor: Principal, grid_code: str) -> GridLedger:
    """台账: the grid's households with their members, then people in no household."""
    region = repository.grid(session, grid_code)
    if region is None or not actor.covers(grid_code):
        raise NotFound()
    households = list(repository.grid_households(session, grid_code))
    by_household = repository.members_of(session, [h.id for h in households])
    loose = list(repository.grid_people_without_household(session, grid_code))
    everyone = [p.id for ms in by_household.values() for p in ms] + [p.id for p in loose]
    groups = repository.key_group_people(session, everyone, clock.local_today())

    def entry(person: Person, head_id: int | None) -> LedgerEntry:
        return LedgerEntry(person, groups.get(person.id, []), person.id == head_id)

    return GridLedger(
        grid_code=grid_code,
        grid_name=region.name,
        households=[(h, [entry(p, h.head_id) for p in by_household[h.id]]) for h in households],
        without_household=[entry(p, None) for p in loose],
    )
