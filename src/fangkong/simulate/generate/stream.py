"""The city as one stream of messages, and its child-process side (``produce``)."""

from __future__ import annotations

import pickle
import random
import traceback
from collections.abc import Generator
from typing import BinaryIO

from fangkong.models import RegionLevel
from fangkong.simulate.generate.constants import EARLIEST_TODAY_YEAR, MAX_PEOPLE
from fangkong.simulate.generate.households import Builder
from fangkong.simulate.generate.messages import (
    CityError,
    CitySpec,
    Failure,
    Message,
    Regions,
    Summary,
)
from fangkong.simulate.generate.people import Residents
from fangkong.simulate.generate.plan import plan_city
from fangkong.simulate.generate.workers import draw_workers


def generate(spec: CitySpec) -> Generator[Message]:
    """The city as messages: ``Regions``, ``Batch``es, ``Workers``, then the ``Summary``."""
    if not 1 <= spec.people <= MAX_PEOPLE:
        raise CityError(f"people must be between 1 and {MAX_PEOPLE}")
    if spec.today.year < EARLIEST_TODAY_YEAR:  # the oldest (99) must be born from 1900 on
        raise CityError(f"today must be in {EARLIEST_TODAY_YEAR} or later")
    rng = random.Random(spec.seed)
    plan = plan_city(rng, spec)
    yield Regions(plan.regions)
    residents = Residents(rng, spec)
    builder = Builder(residents, spec)
    for district, grids in plan.districts:
        residents.new_district()
        for grid in grids:
            yield from builder.add_grid(grid, district)
    yield builder.take()
    workers = draw_workers(rng, plan, residents, spec)
    yield workers
    yield Summary(
        districts=len(plan.districts),
        streets=plan.count(RegionLevel.STREET),
        communities=plan.count(RegionLevel.COMMUNITY),
        grids=plan.count(RegionLevel.GRID),
        households=builder.households,
        people=builder.people,
        key_group_members=builder.memberships,
        grid_workers=len(workers.users),
    )


def produce(spec: CitySpec, out: BinaryIO) -> None:
    """Child-process side: write every message of ``generate(spec)`` to ``out``, pickled."""
    try:
        for message in generate(spec):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except CityError as exc:
        pickle.dump(Failure(str(exc), bad_input=True), out)
    except Exception:  # reported to the parent, which raises it
        pickle.dump(Failure(traceback.format_exc(), bad_input=False), out)
    out.flush()
