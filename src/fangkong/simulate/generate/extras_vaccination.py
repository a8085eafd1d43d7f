"""Vaccination of a simulated city: the vaccine products (if there are none), doses for most
residents of eligible age, their status rows, then the maintained counts rebuilt.

Adults are mostly vaccinated, children less; most series are complete and some adults have
their booster. The first dose falls after the campaign opened and after the person turned
the eligible age, never after the day of the city. Doses, their status rows and their audit
rows go in by the city's bulk writer (tens of thousands of rows), audited by one row for the
load (a row per dose would double the time of ``make demo``'s city); ``vaccination.rules``
computes each status as the dose verbs would, and ``vaccination.service.recount`` rebuilds
the counts.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.models import Base
from fangkong.models.vaccination import Dose, VaccinationStatus, Vaccine
from fangkong.policy import service as policy
from fangkong.simulate import bulk
from fangkong.simulate.generate.extras_world import ExtrasSummary, Resident, World
from fangkong.vaccination import rules
from fangkong.vaccination import service as vaccination
from fangkong.vaccination.schemas import VaccineCreate

# The products created on an empty table: (code, name, series doses, share of first doses).
PRODUCTS = (
    ("INACT-VERO", "新冠病毒灭活疫苗（Vero细胞）", 2, 0.78),
    ("RECOMB-CHO", "重组新冠病毒蛋白疫苗（CHO细胞）", 3, 0.12),
    ("ADV5", "重组新冠病毒疫苗（5型腺病毒载体）", 1, 0.10),
)
CAMPAIGN_OPENED = date(2021, 3, 1)  # first doses for the public
CAMPAIGN_DAYS = 300  # first doses spread over this many days after the opening
VACCINATED_SHARE = {"3-11": 0.75, "12-17": 0.88, "18-59": 0.93, "60-79": 0.85, "80+": 0.65}
COMPLETE_SHARE = 0.9  # of those vaccinated, series complete
BOOSTED_SHARE = 0.55  # of adults with a complete series, boosted
CHUNK_PEOPLE = 50_000  # residents whose rows are drawn, then written, at a time
CHILD_BANDS = frozenset({"3-11", "12-17"})
SERIES_GAP_DAYS = (21, 56)
BOOSTER_GAP_DAYS = (180, 330)
DOSE_COLUMNS = (
    "person_id", "vaccine_id", "dose_number", "given_on", "site", "batch", "region_code",
    "recorded_by", "created_at",
)  # fmt: skip
STATUS_COLUMNS = (
    "person_id", "grid_code", "birth_date", "doses", "series_doses", "complete", "boosted",
    "last_dose_on", "booster_due_on",
)  # fmt: skip


TABLES = Base.metadata.tables


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    code: str
    series_doses: int
    share: float


@dataclass(frozen=True, slots=True)
class Plan:
    """What every resident's doses are drawn from."""

    items: list[Product]
    cumulative: list[float]  # of the shares, for ``Random.choices``
    bands: list[tuple[str, date, date | None]]  # ``rules.band_bounds`` of the city's day
    booster_interval_days: int  # of the active edition
    now: datetime
    sites: dict[str, str]  # the vaccination site (接种点) of each district


def build(session: Session, world: World, summary: ExtrasSummary) -> None:
    found = _products(session, world)
    if not found:
        return
    edition = policy.active_edition(session, default=world.settings.policy)
    plan = Plan(
        found, list(accumulate(p.share for p in found)), rules.band_bounds(world.today),
        edition.vaccination.booster_interval_days, clock.now(),
        {code: f"{name}社区卫生服务中心" for code, name in world.district_names.items()},
    )  # fmt: skip
    rng = world.rng("vaccination")
    with bulk.writer_for(session) as writer:
        for start in range(0, len(world.residents), CHUNK_PEOPLE):
            chunk = world.residents[start : start + CHUNK_PEOPLE]
            doses, statuses = _rows(rng, world, plan, chunk)
            writer.write(TABLES[Dose.__tablename__], DOSE_COLUMNS, doses)
            writer.write(TABLES[VaccinationStatus.__tablename__], STATUS_COLUMNS, statuses)
            summary.vaccinated += len(statuses)
            summary.doses += len(doses)
        writer.finish([TABLES[Dose.__tablename__]])
    audit.record(
        session, actor=world.actor, action="vaccination.dose_load", object_type="vaccination_dose",
        object_id="simulate.city", after={"doses": summary.doses, "people": summary.vaccinated},
    )  # fmt: skip
    vaccination.recount(session, actor=world.actor, on=world.today)


def _rows(
    rng: random.Random, world: World, plan: Plan, residents: Sequence[Resident]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The dose rows and the status rows of some residents."""
    doses: list[tuple[Any, ...]] = []
    statuses: list[tuple[Any, ...]] = []
    for resident in residents:
        dates, product = _course(rng, world, resident, plan)
        if not dates:
            continue
        site = plan.sites.get(resident.grid_code[:6], "社区卫生服务中心")
        doses.extend((resident.id, product.id, n, day, site, _batch(day, product.id, n),
                      resident.grid_code, world.actor.username, plan.now)
                     for n, day in enumerate(dates, 1))  # fmt: skip
        summary = rules.summarize(dates, product.series_doses, plan.booster_interval_days)
        statuses.append(_status_row(resident, summary))
    return doses, statuses


def _products(session: Session, world: World) -> list[Product]:
    """The active products; the three common ones, created through the service, if none."""
    if not vaccination.list_vaccines(session):
        for code, name, series, _ in PRODUCTS:
            data = VaccineCreate(code=code, name=name, series_doses=series)
            vaccination.create_vaccine(session, actor=world.actor, data=data)
    shares = {code: share for code, _, _, share in PRODUCTS}
    found = vaccination.list_vaccines(session, active_only=True)
    return [_product(v, shares.get(v.code, 1 / len(found))) for v in found]


def _product(vaccine: Vaccine, share: float) -> Product:
    return Product(vaccine.id, vaccine.code, vaccine.series_doses, share)


def _course(
    rng: random.Random, world: World, resident: Resident, plan: Plan
) -> tuple[list[date], Product]:
    """The dates of one resident's doses (none: unvaccinated) and the product of the first.
    Draws with ``rng.random()`` alone: ``randint`` and ``choices`` took most of the time."""
    band = _band(resident.birth_date, plan.bands)
    product = plan.items[bisect(plan.cumulative, rng.random() * plan.cumulative[-1])]
    if band is None or rng.random() >= VACCINATED_SHARE[band]:
        return [], product
    eligible = max(CAMPAIGN_OPENED, rules.years_before(resident.birth_date, -rules.ELIGIBLE_AGE))
    day = eligible + timedelta(days=_between(rng, 0, CAMPAIGN_DAYS))
    count = _dose_count(rng, product, adult=band not in CHILD_BANDS)
    dates: list[date] = []
    for number in range(1, count + 1):
        if day > world.today:
            break
        dates.append(day)
        gap = SERIES_GAP_DAYS if number < product.series_doses else BOOSTER_GAP_DAYS
        day += timedelta(days=_between(rng, *gap))
    return dates, product


def _batch(day: date, product_id: int, number: int) -> str:
    """A batch number (批号) of the month's delivery (``strftime`` is slow)."""
    return f"{day.year * 100 + day.month}{product_id:02d}{number}"


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``, faster."""
    return low + int(rng.random() * (high - low + 1))


def _band(born: date, bands: list[tuple[str, date, date | None]]) -> str | None:
    """``rules.band_of`` with the bounds computed once for the city's day."""
    for key, latest, earliest in bands:
        if born <= latest and (earliest is None or born > earliest):
            return key
    return None


def _dose_count(rng: random.Random, product: Product, *, adult: bool) -> int:
    if product.series_doses > 1 and rng.random() >= COMPLETE_SHARE:
        return _between(rng, 1, product.series_doses - 1)
    return product.series_doses + (1 if adult and rng.random() < BOOSTED_SHARE else 0)


def _status_row(resident: Resident, status: rules.Summary) -> tuple[Any, ...]:
    return (
        resident.id, resident.grid_code, resident.birth_date, status.doses,
        status.series_doses, status.complete, status.boosted, status.last_dose_on,
        status.booster_due_on,
    )  # fmt: skip
