"""Live coverage of a round per region level, and the people not yet sampled (不落一人).

Figures are counted per grid in three grouped statements and summed to the level asked in
Python (a city has a few thousand grids). The target is the live resident count of
``grid_counts``, so people registered after the round began count; ``target_population`` on
the round stays the figure at creation (or at the last refresh).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fangkong.core.errors import N_
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.scoping import covers
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.testing.campaigns import errors, repository
from fangkong.testing.campaigns.repository import Area
from fangkong.testing.campaigns.schemas import (
    LEVEL_DIGITS,
    Coverage,
    CoverageRow,
    Level,
    UntestedPerson,
)
from fangkong.testing.campaigns.service.rounds import get_campaign, regions_of

EXPORT_LIMIT = 100_000
Figures = list[int]  # target, sampled, tested, positive


def _area(session: Session, actor: Principal, campaign_id: int, region: str | None) -> Area:
    campaign = get_campaign(session, actor=actor, campaign_id=campaign_id)
    return Area(
        regions=tuple(regions_of(session, campaign)), scope=actor.region_code, region=region
    )


def per_grid(session: Session, campaign_id: int, area: Area) -> dict[str, Figures]:
    grids: defaultdict[str, Figures] = defaultdict(lambda: [0, 0, 0, 0])
    for code, n in repository.residents_by_grid(session, area).items():
        grids[code][0] = n
    for code, (sampled, tested, positive) in repository.members_by_grid(
        session, campaign_id, area
    ).items():
        grids[code][1:] = [sampled, tested, positive]
    return grids


def _percent(sampled: int, target: int) -> float:
    return round(100.0 * sampled / target, 2) if target else 0.0


def _row(code: str, name: str, figures: Figures) -> CoverageRow:
    target, sampled, tested, positive = figures
    return CoverageRow(
        code=code, name=name, target=target, sampled=sampled, tested=tested,
        positive=positive, coverage=_percent(sampled, target),
    )  # fmt: skip


def _rolled_up(grids: dict[str, Figures], digits: int) -> dict[str, Figures]:
    rolled: defaultdict[str, Figures] = defaultdict(lambda: [0, 0, 0, 0])
    for code, figures in grids.items():
        total = rolled[code[:digits]]
        for i, value in enumerate(figures):
            total[i] += value
    return rolled


def coverage(
    session: Session, *, actor: Principal, campaign_id: int, level: Level,
    region: str | None = None, english: bool = False,
) -> Coverage:  # fmt: skip
    """Target, sampled, tested, positive and coverage % per region of ``level``, and totals."""
    if region and not (actor.covers(region) or covers(region, actor.region_code)):
        raise errors.RegionOutOfScope(region)
    area = _area(session, actor, campaign_id, region)
    rolled = _rolled_up(per_grid(session, campaign_id, area), LEVEL_DIGITS[level])
    names = repository.region_names(session, sorted(rolled), english)
    rows = [_row(code, names.get(code, code), rolled[code]) for code in sorted(rolled)]
    totals = [sum(r[i] for r in rolled.values()) for i in range(4)]
    total_name = names.get(region or "", "") if region else ""
    return Coverage(
        campaign_id=campaign_id, level=level, region=region, rows=rows,
        totals=_row(region or "", total_name, totals),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sampled:
    target: int
    sampled: int
    coverage: float  # percent


def sampled_totals(
    session: Session, *, actor: Principal, campaign_id: int, region: str | None = None
) -> Sampled:
    """Target, sampled and coverage % of the round over the area, equal to ``coverage``'s
    totals, without its join of every member to its tube (tested and positive): the command
    dashboard's figures."""
    if region and not (actor.covers(region) or covers(region, actor.region_code)):
        raise errors.RegionOutOfScope(region)
    area = _area(session, actor, campaign_id, region)
    target = sum(repository.residents_by_grid(session, area).values())
    sampled = repository.sampled_in(session, campaign_id, area)
    return Sampled(target=target, sampled=sampled, coverage=_percent(sampled, target))


def _untested_area(session: Session, actor: Principal, campaign_id: int, grid: str | None) -> Area:
    if grid and not actor.covers(grid):
        raise errors.GridOutOfScope()
    return _area(session, actor, campaign_id, grid)


def masked(person: Person) -> UntestedPerson:
    return UntestedPerson(
        person_id=person.id, name=mask_person_name(person.name),
        id_number=person.id_number_masked, phone=person.phone_masked,
        grid_code=person.grid_code, address=person.address,
    )  # fmt: skip


def untested(
    session: Session, *, actor: Principal, campaign_id: int, grid: str | None, page: PageParams
) -> tuple[list[UntestedPerson], str | None]:
    """The residents of the round's regions (inside the actor's grid or jurisdiction) with no
    member row in the round, masked, by person id."""
    area = _untested_area(session, actor, campaign_id, grid)
    rows, cursor = repository.untested_page(session, campaign_id, area, page)
    return [masked(p) for p in rows], cursor


UNTESTED_COLUMNS = (N_("Grid"), N_("Name"), N_("ID number"), N_("Phone"), N_("Address"))


def untested_xlsx(
    session: Session, *, actor: Principal, campaign_id: int, grid: str | None,
    gettext: Callable[[str], str],
) -> bytes:  # fmt: skip
    area = _untested_area(session, actor, campaign_id, grid)
    found = [masked(p) for p in repository.untested_all(session, campaign_id, area, EXPORT_LIMIT)]
    people.log_export(session, actor, grid or actor.region_code)
    rows = [[p.grid_code, p.name, p.id_number, p.phone or "", p.address or ""] for p in found]
    return workbook(gettext(N_("Not yet tested")), [gettext(c) for c in UNTESTED_COLUMNS], rows)


def workbook(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook needs it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
