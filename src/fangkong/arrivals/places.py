"""Places of origin: China's county-level divisions by GB/T 2260 code (``gb2260.csv``).

The list holds one row per county-level division (a district, county or county-level city)
with its province and prefecture names as the national risk-area list and arrival reports
print them; a prefecture with no counties (东莞市) and the three regions listed whole (台湾省,
香港, 澳门) are one row each. Source: the administrative division codes published by the
Ministry of Civil Affairs (codes as of 2020).

``find`` resolves a province, city and district as people write them: the full name
(黑龙江省, 哈尔滨市, 道里区) or the short one (黑龙江, 哈尔滨, 道里). An origin ``find``
does not know is refused by its callers (``arrival.unknown_origin``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Suffixes a short name leaves off, longest first so "自治县" goes before "县".
_SUFFIXES = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|区|县|旗|盟)$"
)


@dataclass(frozen=True)
class Place:
    code: str  # GB/T 2260 county-level code, six digits
    province: str
    city: str
    district: str

    @property
    def label(self) -> str:
        return label(self.province, self.city, self.district)


def label(province: str, city: str, district: str) -> str:
    """The place as one name, a municipality's once: 北京市 北京市 朝阳区 → 北京市朝阳区."""
    return "".join(dict.fromkeys((province, city, district)))


def short(name: str) -> str:
    """The name without its administrative suffix, for matching (哈尔滨市 → 哈尔滨)."""
    name = name.strip().replace(" ", "")
    stripped = _SUFFIXES.sub("", name)
    return stripped or name


Names = tuple[str, str, str]


@cache
def _table() -> tuple[dict[str, Place], dict[Names, Place], dict[Names, Place]]:
    """By code; by full names; by short names (where two share short names, e.g. 临夏市 and
    临夏县, the short key is ambiguous and left out: such places need their full names)."""
    by_code: dict[str, Place] = {}
    by_full: dict[Names, Place] = {}
    by_short: dict[Names, Place | None] = {}
    with resources.files(__package__).joinpath("gb2260.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            place = Place(row["code"], row["province"], row["city"], row["district"])
            by_code[place.code] = place
            by_full[(place.province, place.city, place.district)] = place
            key = (short(place.province), short(place.city), short(place.district))
            by_short[key] = None if key in by_short else place
    unambiguous = {key: place for key, place in by_short.items() if place is not None}
    return by_code, by_full, unambiguous


def by_code(code: str) -> Place | None:
    return _table()[0].get(code)


def find(province: str, city: str, district: str) -> Place | None:
    """The county-level place these names denote, or None. A municipality's city may be given
    as the province again (北京市 北京市 东城区) or left empty."""
    _, by_full, by_short = _table()
    province, city, district = (
        part.strip().replace(" ", "") for part in (province, city, district)
    )
    exact = by_full.get((province, city or province, district))
    if exact is not None:
        return exact
    key_province, key_district = short(province), short(district)
    key_city = short(city) if city else key_province
    return by_short.get((key_province, key_city, key_district)) or by_short.get(
        (key_province, key_province, key_district)
    )


def all_places() -> list[Place]:
    return list(_table()[0].values())
