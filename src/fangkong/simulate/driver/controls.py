"""The next day's ``Controls`` read back from the platform: people with an open placement or an
open case (a case is isolated or in hospital, and its placement ends ``transferred``) and the
residents of a sealed zone declared over addresses are isolated; the grids inside a sealed
zone declared over a region are locked; the venues the platform has closed now (暂停营业,
``venues.service.closed_venue_ids``) are closed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service as zones
from fangkong.cases.registry import service as cases
from fangkong.core.principal import Principal
from fangkong.quarantine.placements import service as placements
from fangkong.simulate.driver.caselist import every_case
from fangkong.simulate.driver.city import City
from fangkong.simulate.outbreak import Controls
from fangkong.venues import service as venues

OPEN_CASE_STATUSES = ("pending", "active")


def read_controls(
    session: Session, *, actor: Principal, city: City, venue_ids: Sequence[int] = ()
) -> Controls:
    """``venue_ids``: the platform's id of each model venue (by model index)."""
    index_of = {int(pid): i for i, pid in enumerate(city.population.ids.tolist())}
    sealed_regions, sealed_people = zones.sealed_now(session, actor=actor)
    people = set(placements.people_placed(session, actor=actor)) | set(sealed_people)
    people |= open_case_people(session, actor=actor)
    isolated = sorted(index_of[p] for p in people if p in index_of)
    locked = [i for i, code in enumerate(city.grid_codes)
              if any(code.startswith(region) for region in sealed_regions)]  # fmt: skip
    venue_index = {venue_id: i for i, venue_id in enumerate(venue_ids)}
    closed = [venue_index[v] for v in venues.closed_venue_ids(session, actor=actor)
              if v in venue_index]  # fmt: skip
    return Controls.of(isolated=isolated, locked_grids=locked, closed_venues=closed)


def open_case_people(session: Session, *, actor: Principal) -> set[int]:
    """People with a pending or active case (every page of the case list)."""
    wheres = [cases.CaseFilter(status=status) for status in OPEN_CASE_STATUSES]
    return {row.person_id for where in wheres
            for row in every_case(session, actor=actor, where=where)}  # fmt: skip
