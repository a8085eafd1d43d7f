"""Daily counts of fever-clinic visits by clinic and district, the district alerts (预警),
and the sweep that stops four-drug marks once an edition abolishes registration.

An alert: a district's visits on a day above the edition's ``alert_factor`` × the mean of
its previous ``alert_baseline_days`` days, and at least ``alert_min_visits`` (so that a quiet
district going from 0 to 2 does not alarm). The rule is policy (the edition's ``sentinel``
section); the job recomputes a day idempotently (an alert that no longer holds after late
reports is removed).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import events
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.healthcode.events import FactEnded
from fangkong.models.sentinel import SentinelAlert
from fangkong.policy.schema import Edition, SentinelRules
from fangkong.policy.types import Reason
from fangkong.sentinel import repository
from fangkong.sentinel.schemas import AlertRun, CountRow, DailyCounts
from fangkong.sentinel.service import sale_ref

SWEEP_CHUNK = 1_000


def daily_counts(session: Session, *, actor: Principal, day: date) -> DailyCounts:
    clinics = repository.counts_by_clinic(session, actor, day)
    districts = repository.counts_by_district(session, actor, day)
    names = repository.region_names(session, [row.district for row in districts])
    return DailyCounts(
        day=day,
        by_clinic=[
            CountRow(key=str(r.venue_id), name=r.name, visits=r.visits, nat_taken=r.nat_taken)
            for r in clinics
        ],
        by_district=[
            CountRow(key=r.district, name=names.get(r.district, r.district), visits=r.visits,
                     nat_taken=r.nat_taken)
            for r in districts
        ],
    )  # fmt: skip


def is_alert(rules: SentinelRules, visits: int, baseline: float) -> bool:
    return visits >= rules.alert_min_visits and visits > rules.alert_factor * baseline


def district_series(session: Session, rules: SentinelRules, day: date) -> dict[str, list[int]]:
    """Per district: visits on each baseline day (oldest first), then on ``day``."""
    first = day - timedelta(days=rules.alert_baseline_days)
    series: dict[str, list[int]] = defaultdict(lambda: [0] * (rules.alert_baseline_days + 1))
    for row in repository.district_visits_between(session, first, day):
        series[row.district][(row.visited_on - first).days] = row.visits
    return series


def _in_scope(actor: Principal, district: str) -> bool:
    return actor.covers(district) or actor.region_code.startswith(district)


def compute_alerts(
    session: Session, *, edition: Edition, day: date, actor: Principal = SYSTEM
) -> AlertRun:
    """Store the alerts of ``day`` for every district in the actor's scope (the job: the whole
    city), idempotently."""
    rules, raised = edition.sentinel, 0
    series = {
        district: counts
        for district, counts in district_series(session, rules, day).items()
        if _in_scope(actor, district)
    }
    for district, counts in sorted(series.items()):
        baseline = sum(counts[:-1]) / rules.alert_baseline_days
        existing = repository.alert_on(session, district, day)
        if is_alert(rules, counts[-1], baseline):
            raised += 1
            _keep_alert(session, existing, district, day, counts[-1], baseline, edition)
        elif existing is not None:
            session.delete(existing)
            audit.record(session, actor=SYSTEM, action="sentinel.alert_withdraw",
                         object_type="sentinel_alert", object_id=existing.id,
                         region_code=district)  # fmt: skip
    session.flush()
    return AlertRun(day=day, districts=len(series), alerts=raised)


def _keep_alert(  # noqa: PLR0917 - one alert's fields, named at the one call
    session: Session,
    alert: SentinelAlert | None,
    district: str,
    day: date,
    visits: int,
    baseline: float,
    edition: Edition,
) -> None:
    if alert is None:
        alert = SentinelAlert(district_code=district, day=day)
        session.add(alert)
    elif (alert.visits, alert.baseline) == (visits, round(baseline, 3)):
        return
    alert.visits, alert.baseline = visits, round(baseline, 3)
    alert.factor, alert.edition_id = edition.sentinel.alert_factor, edition.id
    session.flush()
    audit.record(session, actor=SYSTEM, action="sentinel.alert_raise",
                 object_type="sentinel_alert", object_id=alert.id, region_code=district,
                 after={"day": day.isoformat(), "visits": visits,
                        "baseline": alert.baseline})  # fmt: skip


def list_alerts(
    session: Session, *, actor: Principal, day: date | None, page: PageParams
) -> tuple[list[SentinelAlert], str | None]:
    rows, cursor = repository.alerts_page(session, actor, day, page)
    return list(rows), cursor


def end_abolished_marks(session: Session, *, edition: Edition) -> int:
    """Under an edition without four-drug registration, end every sale's yellow fact in force
    (``marked`` is cleared, so the sweep touches each sale once). Returns the sales ended."""
    if edition.sentinel.four_drug_registration:
        return 0
    ended = 0
    while batch := repository.marked_sales(session, SWEEP_CHUNK):
        for sale_id, person_id in batch:
            events.publish(
                session, FactEnded(person_id, Reason.FOUR_DRUG_NO_NAT, sale_ref(sale_id))
            )
        ids = [sale_id for sale_id, _ in batch]
        repository.unmark_sales(session, ids)
        ended += len(ids)
    if ended:
        audit.record(session, actor=SYSTEM, action="sentinel.registration_abolished",
                     object_type="policy", object_id=edition.id,
                     after={"sales_unmarked": ended})  # fmt: skip
    return ended
