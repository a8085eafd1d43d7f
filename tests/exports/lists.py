"""The four lists beside people (cases, contacts, placements, trips) made for the export
tests: one row of each per resident of the export world, the first Daoli resident's rows
distinct (a confirmed case, a secondary contact, home isolation, a high-risk trip) so that a
filter keeps exactly one row; and the lists' filters the tests use."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from arrivals.world import make_trip
from outbreak_world import at, make_case, make_contact, make_placement

# kind -> (a filter that keeps the first Daoli resident's row only, the column of the name)
NARROW: dict[str, dict[str, Any]] = {
    "cases": {"kind": "confirmed"},
    "contacts": {"degree": "secondary"},
    "placements": {"measure": "home_isolation"},
    "trips": {"grade": "high"},
}
NEW_KINDS = tuple(NARROW)
# kind -> a filter value the list refuses
BAD_FILTERS: dict[str, dict[str, Any]] = {
    "cases": {"status": "asleep"},
    "contacts": {"case": 0},
    "placements": {"measure": "banished"},
    "trips": {"arrived_from": "yesterday"},
}
# kind -> the filter naming a region prefix (an officer may name only their own)
REGION_FILTER = {"cases": "district", "contacts": "district", "placements": "grid",
                 "trips": "region"}  # fmt: skip


def make_lists(session: Session, residents: list[Any]) -> dict[str, list[Any]]:
    """A case, a contact (of that case), a placement and a trip for each resident."""
    made: dict[str, list[Any]] = {kind: [] for kind in NEW_KINDS}
    for index, person in enumerate(residents):
        first = index == 0
        case = make_case(session, person, kind="confirmed" if first else "asymptomatic",
                         onset_on=at(2).date() if first else None)  # fmt: skip
        made["cases"].append(case)
        degree = "secondary" if first else "close"
        made["contacts"].append(make_contact(session, person, case, degree=degree))
        measure = "home_isolation" if first else "centralized"
        made["placements"].append(make_placement(session, person, measure=measure))
        trip = make_trip(session, person, grade="high" if first else "none")
        trip.affected_county = first
        made["trips"].append(trip)
    session.flush()
    return made
