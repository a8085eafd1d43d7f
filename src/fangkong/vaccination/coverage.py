"""Coverage (接种率) by district × age band × dose.

On the day of the maintained counts (``vaccination_counts``) coverage sums a few thousand
rows; on any other day (or before the first recount) it groups ``vaccination_status`` and
``people`` live, which is exact for any day but reads every person. Both fold into cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.core.scoping import scope_prefix
from fangkong.vaccination import repository
from fangkong.vaccination.rules import AGE_BANDS
from fangkong.vaccination.schemas import Coverage, CoverageCell

MAX_DOSES = 4  # the report's dose columns: at least 1, 2, 3, 4 doses
Cells = dict[tuple[str, str], CoverageCell]


def coverage(session: Session, *, actor: Principal, region: str | None, on: date) -> Coverage:
    scope = scope_prefix(region) if region else scope_prefix(actor.region_code)
    cells: Cells = {}
    taken = repository.counted(session)
    if taken is not None and taken[0] == on:
        for row in repository.count_groups(session, actor, scope):
            _add(cells, row[:5], row[5], population=True)
    else:
        for district, band, people in repository.population_groups(session, actor, scope, on):
            _add(cells, (district, band, 0, False, False), people, population=True)
        for row in repository.vaccinated_groups(session, actor, scope, on):
            _add(cells, row[:5], row[5], population=False)
    return Coverage(on=on, region=region or actor.region_code, cells=_ordered(session, cells))


def recount(session: Session, *, actor: Principal, on: date | None = None) -> date:
    """Rebuild the maintained counts for ``on`` (today by default); audited."""
    day = on or clock.local_today()
    repository.recount(session, day, clock.now())
    session.flush()
    audit.record(
        session, actor=actor, action="vaccination.recount", object_type="vaccination_counts",
        object_id=day.isoformat(), after={"counted_on": day.isoformat()},
    )  # fmt: skip
    return day


def _ordered(session: Session, cells: Cells) -> list[CoverageCell]:
    names = repository.region_names(session, sorted({d for d, _ in cells}))
    order = {key: i for i, (key, _, _) in enumerate(AGE_BANDS)}
    ordered = sorted(cells.values(), key=lambda c: (c.district, order[c.band]))
    for cell in ordered:
        cell.district_name = names.get(cell.district, cell.district)
    return ordered


def _cell(cells: Cells, district: str, band: str) -> CoverageCell:
    key = (district, band)
    if key not in cells:
        by_dose = dict.fromkeys(range(1, MAX_DOSES + 1), 0)
        cells[key] = CoverageCell(
            district=district, district_name=district, band=band, population=0,
            vaccinated=0, complete=0, boosted=0, by_dose=by_dose,
        )  # fmt: skip
    return cells[key]


def _add(cells: Cells, key: Sequence[Any], people: int, *, population: bool) -> None:
    """``people`` in state ``key`` = (district, band, doses, complete, boosted); ``population``:
    they also count in the denominator (the live path counts it apart)."""
    district, band, doses, complete, boosted = key
    if band is None or not people:
        return
    cell = _cell(cells, district, band)
    cell.population += int(people) if population else 0
    if doses:
        cell.vaccinated += int(people)
        cell.complete += int(people) if complete else 0
        cell.boosted += int(people) if boosted else 0
        for number in range(1, min(doses, MAX_DOSES) + 1):
            cell.by_dose[number] += int(people)
