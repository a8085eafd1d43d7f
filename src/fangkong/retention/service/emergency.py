"""The end-of-emergency switch (应急响应结束): set, undo while the countdown runs, read.

Only city administrators hold the permission, and the state is city-wide, so there is no
jurisdiction to scope: the one row is the whole deployment's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.policy import service as policy
from fangkong.retention import errors, repository, rules
from fangkong.retention.rules import local_today


@dataclass(frozen=True)
class Emergency:
    """Where the countdown stands: ``final_on`` is the first day personal data is purged."""

    ended_on: date | None
    final_on: date | None
    countdown_days: int
    can_undo: bool
    changed_by: str | None


def current(session: Session, *, settings: Settings) -> Emergency:
    state = repository.emergency_state(session)
    days = rules.countdown_days(policy.active_edition(session, default=settings.policy))
    ended_on = state.ended_on if state else None
    final_on = ended_on + timedelta(days=days) if ended_on else None
    can_undo = final_on is not None and local_today(settings) < final_on
    by = state.changed_by if state else None
    return Emergency(ended_on, final_on, days, can_undo, by)


def end(session: Session, *, actor: Principal, settings: Settings, ended_on: date) -> Emergency:
    """Declare the emergency ended on ``ended_on``; the final countdown starts from that day."""
    before = current(session, settings=settings)
    if before.ended_on is not None:
        raise errors.AlreadyEnded(f"ended on {before.ended_on.isoformat()}")
    today = local_today(settings)
    if ended_on > today:
        raise errors.EndInFuture(f"{ended_on.isoformat()} is after {today.isoformat()}")
    if ended_on + timedelta(days=before.countdown_days) <= today:
        raise errors.EndTooLongAgo(f"countdown of {before.countdown_days} days")
    return _save(session, actor, settings, before, ended_on)


def undo(session: Session, *, actor: Principal, settings: Settings) -> Emergency:
    """Withdraw the end of the emergency, while no after-emergency rule has acted yet."""
    before = current(session, settings=settings)
    if before.ended_on is None:
        raise errors.NotEnded()
    if not before.can_undo:
        raise errors.CountdownOver(f"personal data purged from {before.final_on}")
    return _save(session, actor, settings, before, None)


def _save(
    session: Session, actor: Principal, settings: Settings, before: Emergency, ended_on: date | None
) -> Emergency:
    repository.save_ended_on(session, ended_on, actor.username)
    after = current(session, settings=settings)
    audit.record(
        session,
        actor=actor,
        action="emergency.end" if ended_on else "emergency.undo_end",
        object_type="emergency",
        object_id=repository.STATE_ID,
        region_code=actor.region_code,
        before={"ended_on": before.ended_on, "final_on": before.final_on},
        after={"ended_on": after.ended_on, "final_on": after.final_on},
    )
    return after


def today(settings: Settings) -> date:
    """Today in the deployment's time zone (the date forms and commands default to)."""
    return local_today(settings)
