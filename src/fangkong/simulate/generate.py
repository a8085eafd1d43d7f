"""The synthetic city as a stream of rows, drawn from one ``random.Random(seed)``.

``generate`` reads no database and writes none: it takes a ``CitySpec`` (what the database
already holds: districts, next free ids) and yields the region tree, then batches of
households, people and key-group memberships, then the grid workers, then the ``Summary``.
The draws happen in a fixed order (tree, then households grid by grid, then workers), so the
same spec gives the same city wherever the stream is consumed. Personal data is sealed with
the platform's ``Protector``, as a registration through the API would seal it.
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import random
import traceback
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from fangkong.auth.permissions import Role
from fangkong.models import IdType, KeyGroup, PersonStatus, RegionLevel
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.people.validation import is_under_three
from fangkong.simulate import names

Row = tuple[Any, ...]

# --- sizes of the tree ----------------------------------------------------------------------
# The seeds give no people-per-grid figure: the Harbin notice of 5 March 2022 (seeds/003) only
# says grids are drawn "根据社区服务管理实际,以及网格员工作承载能力" (by the community's needs
# and what one grid worker can carry). 350 people (about 145 households of 2.4) is the middle
# of the usual 300-400; grids vary by ±25 % around it.
PEOPLE_PER_GRID = 350
GRID_SPREAD = 0.25
GRIDS_PER_COMMUNITY = 8  # a community of about 2,800 people
# seeds/000: the six main urban districts hold "101个街道办事处" (101 streets). With about
# 5.5 million people there, 18 communities of 8 grids per street gives ~109 streets at full
# scale, close to that figure.
COMMUNITIES_PER_STREET = 18
SIZE_SPREAD = 0.4  # communities per street and grids per community vary by ±40 %
MAX_CHILD = 999  # three digits per level

# Rough resident populations in 10,000s (rounded, around the 2020 census; only proportions
# matter). They add up to about ten million: "千万人口的特大型城市" (seeds/001).
DISTRICT_WEIGHTS = {
    "230102": 116, "230103": 150, "230104": 88, "230108": 22, "230109": 51, "230110": 121,
    "230111": 60, "230112": 46, "230113": 60, "230123": 25, "230124": 17, "230125": 45,
    "230126": 45, "230127": 19, "230128": 16, "230129": 17, "230183": 44, "230184": 70,
}  # fmt: skip
# The six main urban districts have streets (街道) and communities (社区); the rest are drawn
# as towns (镇) and villages (村).
URBAN = frozenset({"230102", "230103", "230104", "230108", "230109", "230110"})

# --- people ---------------------------------------------------------------------------------
# Age pyramid, Harbin 2020 census: about 10 % aged 0-14, 66 % 15-59, 24 % 60 and over.
# (first age, last age, per cent of the population)
AGE_BANDS = (
    (0, 4, 2.8), (5, 9, 3.5), (10, 14, 3.7),
    (15, 19, 4.0), (20, 24, 5.2), (25, 29, 6.6), (30, 34, 8.4), (35, 39, 7.6),
    (40, 44, 7.2), (45, 49, 8.6), (50, 54, 9.6), (55, 59, 8.8),
    (60, 64, 7.6), (65, 69, 6.4), (70, 74, 4.4), (75, 79, 2.8), (80, 84, 1.7),
    (85, 89, 0.8), (90, 99, 0.3),
)  # fmt: skip
ADULT = 18
ELDERLY = 60
EARLIEST_TODAY_YEAR = idcard.EARLIEST_BIRTH_DATE.year + AGE_BANDS[-1][1] + 1
# Persons per household, Harbin 2020 census mean about 2.4 (this table: 2.41).
HOUSEHOLD_SIZES = ((1, 26), (2, 33), (3, 24), (4, 10), (5, 5), (6, 2))
COUPLE_SHARE = 0.8  # households of two or more with the head's spouse in them
FAMILY_SURNAME = 0.8  # other members bearing the father's (else the head's) surname
MIGRANT_SHARE = 0.10  # whole households registered in another province (外来人员)
# Registration codes of migrants: districts of neighbouring and large provinces' capitals.
MIGRANT_REGISTRATIONS = (
    ("220102", 20), ("210102", 18), ("370102", 12), ("150102", 10), ("410102", 10),
    ("130102", 8), ("110101", 5), ("120101", 4), ("140105", 4), ("320102", 3),
    ("340102", 3), ("420102", 3),
)  # fmt: skip
DISABLED = 0.015
PREGNANT = 0.005  # of women aged 20-40
CHRONIC = 0.15  # of people aged 60 and over
FROM_ABROAD = 0.002
KEY_GROUP = 0.03  # of people aged 18-59
KEY_GROUP_WEIGHTS = (
    (KeyGroup.DELIVERY, 14), (KeyGroup.TRANSPORT, 14), (KeyGroup.SERVICE, 18),
    (KeyGroup.MEDICAL, 12), (KeyGroup.SCHOOL, 10), (KeyGroup.MARKET, 9),
    (KeyGroup.CONSTRUCTION, 10), (KeyGroup.COLD_CHAIN, 5), (KeyGroup.ELDERLY_CARE, 4),
    (KeyGroup.QUARANTINE_SITE, 2), (KeyGroup.PORT, 2),
)  # fmt: skip
NO_WORKER = 0.04  # grids without a grid worker
TWO_WORKERS = 0.16  # grids with two
BATCH_PEOPLE = 10_000
MAX_PEOPLE = 20_000_000

PERSON_COLUMNS = (
    "id", "name", "id_type", "id_number_enc", "id_number_hash", "id_number_masked",
    "phone_enc", "phone_hash", "phone_masked", "sex", "birth_date", "registration_code",
    "address", "grid_code", "household_id", "elderly_alone", "disabled", "pregnant",
    "chronic_disease", "under_three", "migrant", "from_abroad", "match_key", "status",
    "created_at", "updated_at",
)  # fmt: skip
HOUSEHOLD_COLUMNS = ("id", "grid_code", "ref", "address", "head_id", "created_at", "updated_at")
MEMBERSHIP_COLUMNS = (
    "id", "person_id", "group", "employer", "start_date", "end_date", "created_at",
)  # fmt: skip
RESIDENT_ID = IdType.RESIDENT_ID.value
ACTIVE = PersonStatus.ACTIVE.value


class CityError(Exception):
    """The database cannot take this city (no districts, no codes left, too many people)."""


@dataclass(frozen=True)
class District:
    code: str
    name: str
    first_street: int  # streets are numbered after those the district already has


@dataclass(frozen=True)
class CitySpec:
    """Everything ``generate`` needs: the request and what the database already holds."""

    people: int
    seed: int
    today: date
    now: datetime  # created_at of every row
    data_key: bytes = field(repr=False)
    districts: tuple[District, ...]
    first_person: int
    first_household: int
    first_membership: int
    first_user: int


@dataclass
class Summary:
    districts: int = 0
    streets: int = 0
    communities: int = 0
    grids: int = 0
    households: int = 0
    people: int = 0
    key_group_members: int = 0
    grid_workers: int = 0


@dataclass
class Regions:
    rows: list[dict[str, Any]]  # code, name, name_en, level, parent_code


@dataclass
class Batch:
    households: list[Row] = field(default_factory=list)  # HOUSEHOLD_COLUMNS, head_id None
    people: list[Row] = field(default_factory=list)  # PERSON_COLUMNS
    memberships: list[Row] = field(default_factory=list)  # MEMBERSHIP_COLUMNS
    heads: list[tuple[int, int]] = field(default_factory=list)  # (household id, person id)


@dataclass
class Workers:
    users: list[dict[str, Any]]
    assignments: list[dict[str, Any]]


Message = Regions | Batch | Workers | Summary


def generate(spec: CitySpec) -> Generator[Message]:
    """The city as messages: ``Regions``, ``Batch``es, ``Workers``, then the ``Summary``."""
    if not 1 <= spec.people <= MAX_PEOPLE:
        raise CityError(f"people must be between 1 and {MAX_PEOPLE}")
    if spec.today.year < EARLIEST_TODAY_YEAR:  # the oldest (99) must be born from 1900 on
        raise CityError(f"today must be in {EARLIEST_TODAY_YEAR} or later")
    rng = random.Random(spec.seed)
    plan = plan_city(rng, spec)
    yield Regions(plan.regions)
    residents = _Residents(rng, spec)
    builder = _Builder(residents, spec)
    for district, grids in plan.districts:
        residents.new_district()
        for grid in grids:
            yield from builder.add_grid(grid, district)
    yield builder.take()
    workers = _workers(rng, plan, residents, spec)
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


# --- the region tree ------------------------------------------------------------------------


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


# --- people ---------------------------------------------------------------------------------


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _age_weights() -> list[float]:
    weights = [0.0] * (AGE_BANDS[-1][1] + 1)
    for first, last, share in AGE_BANDS:
        for age in range(first, last + 1):
            weights[age] = share / (last - first + 1)
    return weights


def member_weights() -> tuple[list[float], list[float]]:
    """Age weights of household heads (adults) and of the other members, chosen so that
    everyone together follows the pyramid: heads and spouses take their share of each adult
    age, the other members (children, grown-up children, parents) the rest."""
    everyone = _age_weights()
    adults = [w if age >= ADULT else 0.0 for age, w in enumerate(everyone)]
    total = sum(w for _, w in HOUSEHOLD_SIZES)
    mean_size = sum(s * w for s, w in HOUSEHOLD_SIZES) / total
    couples = sum(w for s, w in HOUSEHOLD_SIZES if s > 1) / total
    partners = (1 + couples * COUPLE_SHARE) / mean_size  # heads and spouses per person
    scale = partners * sum(everyone) / sum(adults)
    others = [max(0.0, w - a * scale) for w, a in zip(everyone, adults, strict=True)]
    return adults, others


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Member:
    age: int
    sex: idcard.Sex
    surname: str | None  # None: draw one


class _Residents:
    """Draws households and people, seals their numbers and keeps ID numbers unique."""

    def __init__(self, rng: random.Random, spec: CitySpec) -> None:
        self.rng, self.today, self.now = rng, spec.today, spec.now
        self.protector = Protector(spec.data_key)
        heads, others = member_weights()
        self.head_ages, self.other_ages = _cumulative(heads), _cumulative(others)
        # the latest birth date that makes someone exactly ``age`` today, as an ordinal
        self.anchors = [_years_before(spec.today, age).toordinal() for age in range(len(heads))]
        self.surnames = [s for s, _ in names.SURNAMES]
        self.surname_weights = _cumulative([w for _, w in names.SURNAMES])
        self.sizes = [s for s, _ in HOUSEHOLD_SIZES]
        self.size_weights = _cumulative([w for _, w in HOUSEHOLD_SIZES])
        self.migrant_codes = [c for c, _ in MIGRANT_REGISTRATIONS]
        self.migrant_weights = _cumulative([w for _, w in MIGRANT_REGISTRATIONS])
        self.groups = [g.value for g, _ in KEY_GROUP_WEIGHTS]
        self.group_weights = _cumulative([w for _, w in KEY_GROUP_WEIGHTS])
        # Numbers of different districts differ in their first six digits, so a district's
        # set is dropped when the next begins; migrants' numbers are kept for the whole run.
        self.local_numbers: set[str] = set()
        self.migrant_numbers: set[str] = set()

    def new_district(self) -> None:
        self.local_numbers.clear()

    def household_size(self) -> int:
        return self.rng.choices(self.sizes, cum_weights=self.size_weights)[0]

    def registration(self, district: str) -> tuple[str, bool]:
        if self.rng.random() < MIGRANT_SHARE:
            code = self.rng.choices(self.migrant_codes, cum_weights=self.migrant_weights)[0]
            return code, True
        return district, False

    def members(self, size: int) -> list[Member]:
        """The head first, then perhaps a spouse, then others mostly of the family name."""
        rng = self.rng
        head = Member(self._age(self.head_ages), _sex(rng), self.surname())
        members = [head]
        father = head.surname if head.sex == idcard.MALE else None
        if size > 1 and rng.random() < COUPLE_SHARE:
            age = min(len(self.anchors) - 1, max(ADULT, head.age + rng.randint(-4, 4)))
            spouse = Member(age, _other_sex(head.sex), self.surname())
            father = father or spouse.surname
            members.append(spouse)
        family = father or head.surname
        while len(members) < size:
            surname = family if rng.random() < FAMILY_SURNAME else None
            members.append(Member(self._age(self.other_ages), _sex(rng), surname))
        return members

    def _age(self, cumulative: list[float]) -> int:
        return bisect.bisect(cumulative, self.rng.random() * cumulative[-1])

    def birth_date(self, age: int) -> date:
        return date.fromordinal(self.anchors[age] - self.rng.randrange(365))

    def id_number(self, registration: str, birth: date, sex: idcard.Sex, migrant: bool) -> str:
        seen = self.migrant_numbers if migrant else self.local_numbers
        while True:
            number = idcard.synthesize(
                self.rng, region_code=registration, birth_date=birth, sex=sex
            )
            if number not in seen:
                seen.add(number)
                return number

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]

    def name(self, sex: idcard.Sex, surname: str | None) -> str:
        rng = self.rng
        family = surname or self.surname()
        pool = names.MALE_CHARS if sex == idcard.MALE else names.FEMALE_CHARS
        first = rng.choice(pool if rng.random() < 0.7 else names.NEUTRAL_CHARS)
        if rng.random() < 0.25:
            return family + first
        return family + first + rng.choice(pool)

    def phone(self, age: int) -> str | None:
        rng = self.rng
        if age < 12 or (age < ADULT and rng.random() < 0.5) or (age >= 80 and rng.random() < 0.25):
            return None
        return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"

    def key_group(self, membership_id: int, person_id: int) -> Row:
        rng = self.rng
        group = rng.choices(self.groups, cum_weights=self.group_weights)[0]
        employer = rng.choice(names.COMPANY_STEMS) + rng.choice(names.EMPLOYER_SUFFIXES[group])
        start = self.today - timedelta(days=rng.randrange(30, 5 * 365))
        return (membership_id, person_id, group, employer, start, None, self.now)


def _sex(rng: random.Random) -> idcard.Sex:
    return idcard.MALE if rng.random() < 0.5 else idcard.FEMALE


def _other_sex(sex: idcard.Sex) -> idcard.Sex:
    return idcard.FEMALE if sex == idcard.MALE else idcard.MALE


@dataclass(frozen=True)
class _Home:
    household_id: int
    grid_code: str
    address: str
    registration: str
    migrant: bool
    alone: bool


class _Builder:
    """Turns households into rows; hands out a ``Batch`` every ``BATCH_PEOPLE`` people."""

    def __init__(self, residents: _Residents, spec: CitySpec) -> None:
        self.residents = residents
        self.next_person = spec.first_person
        self.next_household = spec.first_household
        self.next_membership = spec.first_membership
        self.households = self.people = self.memberships = 0
        self.batch = Batch()

    def add_grid(self, grid: GridPlan, district: str) -> Iterator[Batch]:
        left = grid.people
        for index in itertools.count():
            if left <= 0:
                return
            size = min(left, self.residents.household_size())
            self._add_household(grid, index, size, district)
            left -= size
            if len(self.batch.people) >= BATCH_PEOPLE:
                yield self.take()

    def take(self) -> Batch:
        batch, self.batch = self.batch, Batch()
        return batch

    def _add_household(self, grid: GridPlan, index: int, size: int, district: str) -> None:
        now = self.residents.now
        registration, migrant = self.residents.registration(district)
        address = household_address(grid, index)
        home = _Home(self.next_household, grid.code, address, registration, migrant, size == 1)
        self.batch.households.append(
            (home.household_id, grid.code, f"{index + 1:04d}", address, None, now, now)
        )
        self.batch.heads.append((home.household_id, self.next_person))
        for member in self.residents.members(size):
            self._add_person(member, home)
        self.next_household += 1
        self.households += 1

    def _add_person(self, member: Member, home: _Home) -> None:
        residents, rng = self.residents, self.residents.rng
        person_id, age = self.next_person, member.age
        birth = residents.birth_date(age)
        number = residents.id_number(home.registration, birth, member.sex, home.migrant)
        name = residents.name(member.sex, member.surname)
        phone = residents.phone(age)
        sealed_id = residents.protector.seal_id(RESIDENT_ID, number)
        sealed_phone = residents.protector.seal_phone(phone) if phone else (None, None, None)
        self.batch.people.append(
            (
                person_id, name, RESIDENT_ID, *sealed_id, *sealed_phone, member.sex, birth,
                number[:6], home.address, home.grid_code, home.household_id,
                home.alone and age >= ELDERLY,
                rng.random() < DISABLED,
                member.sex == idcard.FEMALE and 20 <= age <= 40 and rng.random() < PREGNANT,
                age >= ELDERLY and rng.random() < CHRONIC,
                is_under_three(birth, residents.today),
                home.migrant,
                rng.random() < FROM_ABROAD,
                residents.protector.match_key(name, birth, phone),
                ACTIVE, residents.now, residents.now,
            )
        )  # fmt: skip
        if ADULT <= age < ELDERLY and rng.random() < KEY_GROUP:
            self.batch.memberships.append(residents.key_group(self.next_membership, person_id))
            self.next_membership += 1
            self.memberships += 1
        self.next_person += 1
        self.people += 1


# --- grid workers ---------------------------------------------------------------------------


def _workers(rng: random.Random, plan: CityPlan, residents: _Residents, spec: CitySpec) -> Workers:
    """Most grids get one worker, some two, a few none. The password hash ``!`` never
    verifies: an officer sets a password before a worker can log in."""
    workers = Workers([], [])
    user_id = spec.first_user
    for grid in plan.grids():
        draw = rng.random()
        count = 0 if draw < NO_WORKER else 2 if draw < NO_WORKER + TWO_WORKERS else 1
        for number in range(1, count + 1):
            username = f"gw{grid.code}" if number == 1 else f"gw{grid.code}-{number}"
            display_name = residents.name(_sex(rng), None)
            workers.users.append(_worker(user_id, username, display_name, grid.code, spec.now))
            workers.assignments.append(
                {"grid_code": grid.code, "user_id": user_id, "created_at": spec.now}
            )
            user_id += 1
    return workers


def _worker(
    user_id: int, username: str, display_name: str, grid_code: str, now: datetime
) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": username,
        "display_name": display_name,
        "password_hash": "!",
        "role": Role.GRID_WORKER.value,
        "region_code": grid_code,
        "locale": None,
        "totp_secret": None,
        "totp_last_step": 0,
        "is_active": True,
        "is_demo": False,
        "token_epoch": 0,
        "created_at": now,
        "updated_at": now,
        "last_login_at": None,
    }


# --- in a child process ---------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """What went wrong in the child: a ``CityError`` (bad input) or a traceback."""

    text: str
    bad_input: bool


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
