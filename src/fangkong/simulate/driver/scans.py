"""A day's visits as scan check-ins, through the scans' bulk ingest (one CSV per day): each
visit is a scan at its venue at its first minute, by person id."""

from __future__ import annotations

import csv
import io
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
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(("venue_id", "person_id", "scanned_at"))
    writer.writerows(
        (venue_ids[v], person_ids[p], (midnight + timedelta(minutes=m)).isoformat())
        for p, v, m in zip(
            visits.person.tolist(), visits.venue.tolist(), visits.start.tolist(), strict=True
        )
    )
    text.seek(0)
    report = ingest.ingest(session, settings, actor=actor, stream=text, fmt="csv",
                           now=clock.now())  # fmt: skip
    return report.accepted
