"""Subscriptions of intake: a change of the national list reclassifies the open trips it
touches; a merge of two people re-points their reports, trips and tasks to the one kept."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.events import RiskAreasChanged
from fangkong.arrivals.intake import service
from fangkong.core.events import subscribe
from fangkong.core.repoint import repoint
from fangkong.healthcode import service as healthcode
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.people.events import PersonMerged


@subscribe(RiskAreasChanged)
def reclassify_touched(session: Session, event: RiskAreasChanged) -> None:
    session.flush()
    edition = healthcode.current_edition(session)
    service.reclassify_open(session, edition, event.county_codes, event.start, event.end)


@subscribe(PersonMerged)
def repoint_merged(session: Session, event: PersonMerged) -> None:
    columns = (ArrivalReport.person_id, Trip.person_id, ArrivalTask.person_id)
    repoint(session, columns, event.merged_id, event.kept_id)
