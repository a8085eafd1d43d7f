"""The region tree: streets, communities and grids under the districts, and their sizes."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fangkong.models import RegionLevel
from fangkong.simulate import names
from fangkong.simulate.generate.constants import (
    COMMUNITIES_PER_STREET,
    DISTRICT_WEIGHTS,
    GRID_SPREAD,
    GRIDS_PER_COMMUNITY,
    MAX_CHILD,
    PEOPLE_PER_GRID,
    SIZE_SPREAD,
    URBAN,
)
from fangkong.simulate.generate.messages import CityError, CitySpec, District


@dataclass(frozen=True)
class GridPlan:
    code: str
    people: int
    address: str  # what its households' addresses start with
    rural: bool


@dataclass
class CityPlan:
    regions: list[dict[str, Any]] = field(default_factory=list)
    districts: list[tuple[str, list[GridPlan]]] = field(default_factory=list)  # (code, grids)

    def count(self, level: RegionLevel) -> int:
        return sum(1 for r in self.regions if r["level"] == level.value)

    def grids(self) -> Iterator[GridPlan]:
        for _, grids in self.districts:
            yield from grids


def plan_city(rng: random.Random, spec: CitySpec) -> CityPlan:
    """Streets, communities and grids under the districts, sized to ``spec.people``."""
    districts = sorted(
        (d for d in spec.districts if d.code in DISTRICT_WEIGHTS), key=lambda d: d.code
    )
    if not districts:
        raise CityError("no districts in the regions table; run `fangkong db upgrade`")
    shares = apportion(spec.people, [DISTRICT_WEIGHTS[d.code] for d in districts])
    plan = CityPlan()
    for district, residents in zip(districts, shares, strict=True):
        if residents:
            _plan_district(plan, rng, district, residents)
    return plan


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders get the rest)."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _split(
    rng: random.Random, total: int, parts: int, spread: float, *, minimum: int = 1
) -> list[int]:
    """``total`` in ``parts`` of at least ``minimum`` each, sizes varying by about ``spread``."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    return [minimum + n for n in apportion(total - parts * minimum, weights)]


@dataclass(frozen=True)
class _Street:
    code: str
    name: str
    district_name: str
    rural: bool


def _plan_district(plan: CityPlan, rng: random.Random, district: District, residents: int) -> None:
    rural = district.code not in URBAN
    grids = max(1, round(residents / PEOPLE_PER_GRID))
    communities = min(grids, max(1, round(grids / GRIDS_PER_COMMUNITY)))
    streets = min(communities, max(1, round(communities / COMMUNITIES_PER_STREET)))
    if district.first_street + streets - 1 > MAX_CHILD:
        raise CityError(f"district {district.code} has no street codes left")
    people = iter(_split(rng, residents, grids, GRID_SPREAD, minimum=0))
    grid_counts = iter(_split(rng, grids, communities, SIZE_SPREAD))
    sizes = _split(rng, communities, streets, SIZE_SPREAD)
    planned: list[GridPlan] = []
    for offset, (size, stem) in enumerate(zip(sizes, _place_names(rng, streets), strict=True)):
        name, name_en = _street_name(stem, rural)
        code = f"{district.code}{district.first_street + offset:03d}"
        street = _Street(code, name, district.name, rural)
        plan.regions.append(_region(street.code, district.code, RegionLevel.STREET, name, name_en))
        for number, c_stem in enumerate(_place_names(rng, size), start=1):
            grid_count = next(grid_counts)
            community = _plan_community(plan, rng, street, (number, c_stem), grid_count)
            planned.extend(GridPlan(c, next(people), a, rural) for c, a in community)
    plan.districts.append((district.code, planned))


def _plan_community(
    plan: CityPlan,
    rng: random.Random,
    street: _Street,
    stem: tuple[int, tuple[str, str]],
    grids: int,
) -> list[tuple[str, str]]:
    """Add a community and its grids; returns (code, address prefix) of each grid."""
    code = f"{street.code}{stem[0]:03d}"
    name, name_en = _community_name(stem[1], street.rural)
    plan.regions.append(_region(code, street.code, RegionLevel.COMMUNITY, name, name_en))
    planned = []
    for number in range(1, grids + 1):
        grid_code = f"{code}{number:03d}"
        plan.regions.append(
            _region(grid_code, code, RegionLevel.GRID, f"第{number}网格", f"Grid {number}")
        )
        if street.rural:  # a village's grid is one of its groups (村民小组)
            address = f"{street.district_name}{street.name}{name}{number}组"
        else:
            address = f"{street.district_name}{_urban_block(rng)}"
        planned.append((grid_code, address))
    return planned


def _region(code: str, parent: str, level: RegionLevel, name: str, name_en: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "level": level.value,
        "parent_code": parent,
    }


def _place_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` different (Chinese, pinyin) names; plain stems first, then 东/西/... ones."""
    stems, suffixes = names.PLACE_STEMS, names.REPEAT_SUFFIXES
    rounds = -(-count // len(stems))
    if rounds > len(suffixes):
        raise CityError("too many places under one parent")
    picked = rng.sample(range(len(stems) * rounds), count)
    return [
        (
            stems[i % len(stems)][0] + suffixes[i // len(stems)][0],
            stems[i % len(stems)][1] + suffixes[i // len(stems)][1],
        )
        for i in picked
    ]


def _street_name(name: tuple[str, str], rural: bool) -> tuple[str, str]:
    if rural:
        return f"{name[0]}镇", f"{name[1]} Town"
    return f"{name[0]}街道", f"{name[1]} Subdistrict"


def _community_name(name: tuple[str, str], rural: bool) -> tuple[str, str]:
    if rural:
        return f"{name[0]}村", f"{name[1]} Village"
    return f"{name[0]}社区", f"{name[1]} Community"


def _urban_block(rng: random.Random) -> str:
    """A road, a number and a housing compound: where one grid's households live."""
    road = rng.choice(names.PLACE_STEMS)[0] + rng.choice(names.ROAD_KINDS)
    compound = rng.choice(names.PLACE_STEMS)[0] + rng.choice(names.COMPOUND_KINDS)
    return f"{road}{rng.randint(1, 399)}号{compound}"


def household_address(grid: GridPlan, index: int) -> str:
    """A different address for each household of a grid (index from 0)."""
    if grid.rural:
        return f"{grid.address}{index + 1}号"
    building, rest = divmod(index, 36)  # 3 units × 6 floors × 2 flats
    unit, rest = divmod(rest, 12)
    floor, flat = divmod(rest, 2)
    return f"{grid.address}{building + 1}栋{unit + 1}单元{floor + 1}0{flat + 1}室"
