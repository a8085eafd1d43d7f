"""The sweep: every run recomputes a batch of codes computed under another edition; once a
day, after the edition's ``sweep_local_time`` (Asia/Shanghai), it ends the facts and manual
changes whose ``until`` has passed and recomputes their people. Running it twice does nothing
more."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.healthcode import repository
from fangkong.healthcode.service.codes import current_edition, recompute, recompute_stale_editions
from fangkong.models.healthcode import SweepState
from fangkong.policy.schema import Edition

# Codes of another edition recomputed per run: a switch over a whole city is spread over runs
# (each a transaction of bounded size); readers of the card see the new edition at once, and
# ``fangkong health-code recompute`` does all of them in one go.
EDITION_BATCH = 20_000


def due_day(edition: Edition, now: datetime) -> date:
    """The latest local day whose sweep time has come."""
    local = now.astimezone(clock.LOCAL_TZ)
    if local.time() >= edition.health_code.sweep_local_time:
        return local.date()
    return local.date() - timedelta(days=1)


def expire(session: Session, edition: Edition, now: datetime) -> int:
    """End facts and manual changes past ``until``; recompute their people."""
    people: set[int] = set()
    for fact in repository.facts_due(session, now):
        fact.ended_at, fact.ended_by = now, "sweep"
        people.add(fact.person_id)
    for change in repository.manuals_due(session, now):
        change.ended_at = now
        people.add(change.person_id)
    session.flush()
    for person_id in sorted(people):
        recompute(session, person_id, edition=edition, cause="sweep", now=now)
    return len(people)


def sweep(session: Session, settings: Settings) -> dict[str, Any]:
    now = clock.now()
    edition = current_edition(session, settings.policy)
    outcome: dict[str, Any] = {
        "edition": edition.id,
        "edition_recomputed": recompute_stale_editions(session, edition, EDITION_BATCH),
        "daily": False,
        "expired_people": 0,
    }
    day = due_day(edition, now)
    state = repository.sweep_state(session)
    if state is not None and state.last_day >= day:
        return outcome
    outcome["expired_people"] = expire(session, edition, now)
    outcome["daily"] = True
    if state is None:
        session.add(SweepState(id=repository.SWEEP_STATE_ID, last_day=day, ran_at=now))
    else:
        state.last_day, state.ran_at = day, now
    session.flush()
    return outcome
