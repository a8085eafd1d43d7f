"""A day's visits as scan check-ins, through the scans' bulk ingest (``ingest_visits``, one
call per day): each visit is a scan at its venue at its first minute, by person id."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.scans import ingest
from fangkong.simulate.outbreak.outputs import Visits


def feed_visits(
    session: Session,
    settings: Settings,
    *,
    actor: Principal,
    visits: Visits,
    ids: tuple[list[int], list[int]],
    midnight: datetime,
) -> int:
    """Ingest the visits (``ids``: person ids, venue ids by model index); scans accepted."""
    if not len(visits):
        return 0
    person_ids, venue_ids = ids
    starts = visits.start.tolist()
    at = {minute: midnight + timedelta(minutes=minute) for minute in set(starts)}
    columns = (
        [venue_ids[v] for v in visits.venue.tolist()],
        [person_ids[p] for p in visits.person.tolist()],
        [at[minute] for minute in starts],
    )
    report = ingest.ingest_visits(session, settings, actor=actor, visits=columns,
                                  now=clock.now())  # fmt: skip
    return report.accepted
