"""Cases, contacts, placements and arrivals' trips as lists to export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.intake import labels as trip_labels
from fangkong.arrivals.intake import service as trips
from fangkong.auth.permissions import Perm
from fangkong.cases.registry import labels as case_labels
from fangkong.cases.registry import service as cases
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    CaseParams,
    ContactParams,
    PlacementParams,
    TripParams,
)
from fangkong.exports.kinds.base import NAME_AND_NUMBERS, ExportKind, through
from fangkong.quarantine.placements import labels as placement_labels
from fangkong.quarantine.placements import service as placements
from fangkong.tracing.contacts import labels as contact_labels
from fangkong.tracing.contacts import service as contacts


def _case_filter(session: Session, p: CaseParams) -> cases.CaseFilter:
    return cases.CaseFilter(
        kind=p.kind, status=p.status, channel=p.channel, district=p.district,
        cluster_id=p.cluster_id, reported_from=p.reported_from, reported_to=p.reported_to,
        case_no=p.case_no,
    )  # fmt: skip


def _contact_filter(session: Session, p: ContactParams) -> contacts.ContactFilter:
    return contacts.ContactFilter(
        degree=p.degree, status=p.status, reason=p.reason, district=p.district, grid=p.grid,
        case_id=p.case,
    )  # fmt: skip


def _placement_filter(session: Session, p: PlacementParams) -> placements.PlacementFilter:
    return placements.PlacementFilter(
        measure=p.measure, status=p.status, site_id=p.site_id, grid=p.grid,
        due_for_release=p.due_for_release,
        fever_from=placements.fever_from(session) if p.fever else None,
    )  # fmt: skip


def _trip_filter(session: Session, p: TripParams) -> trips.TripFilter:
    return trips.TripFilter(
        grade=p.grade, measure=p.measure, channel=p.channel, status=p.status,
        arrived_from=p.arrived_from, arrived_to=p.arrived_to, region=p.region, name=p.name,
    )  # fmt: skip


_case_count, _case_chunk = through(_case_filter, cases.count_for_export, cases.export_rows)
CASES = ExportKind(
    name="cases",
    label=N_("Cases"),
    permission=Perm.CASES_READ,
    headers=(
        N_("Case number"),
        *NAME_AND_NUMBERS,
        N_("Kind"),
        N_("Severity"),
        N_("Status"),
        N_("Detection channel"),
        N_("Local"),
        N_("Sampled at"),
        N_("Onset date"),
        N_("Confirmed at"),
        N_("Reported on"),
        N_("Placement"),
        N_("Hospital or site"),
        N_("Region code"),
    ),
    count=_case_count,
    chunk=_case_chunk,
    params=CaseParams,
    labels={
        4: case_labels.KIND_LABELS,
        5: case_labels.SEVERITY_LABELS,
        6: case_labels.STATUS_LABELS,
        7: case_labels.CHANNEL_LABELS,
        13: case_labels.PLACEMENT_LABELS,
    },
    booleans=frozenset({8}),
    dates=frozenset({10, 12}),
    instants=frozenset({9, 11}),
)

_contact_count, _contact_chunk = through(
    _contact_filter, contacts.count_for_export, contacts.export_rows
)
CONTACTS = ExportKind(
    name="contacts",
    label=N_("Close contacts"),
    permission=Perm.TRACING_READ,
    headers=(
        N_("Contact id"),
        *NAME_AND_NUMBERS,
        N_("Degree"),
        N_("Status"),
        N_("First exposure"),
        N_("Last exposure"),
        N_("Grid code"),
        N_("Notified at"),
        N_("Closed at"),
    ),
    count=_contact_count,
    chunk=_contact_chunk,
    params=ContactParams,
    labels={4: contact_labels.DEGREES, 5: contact_labels.STATUSES},
    instants=frozenset({6, 7, 9, 10}),
)

_placement_count, _placement_chunk = through(
    _placement_filter, placements.count_for_export, placements.export_rows
)
PLACEMENTS = ExportKind(
    name="placements",
    label=N_("Quarantine placements"),
    permission=Perm.QUARANTINE_READ,
    headers=(
        N_("Placement id"),
        *NAME_AND_NUMBERS,
        N_("Measure"),
        N_("Basis"),
        N_("Status"),
        N_("Starts at"),
        N_("Ends at"),
        N_("Days"),
        N_("Grid code"),
        N_("Released at"),
        N_("Certificate number"),
    ),
    count=_placement_count,
    chunk=_placement_chunk,
    params=PlacementParams,
    labels={
        4: placement_labels.MEASURE_LABELS,
        5: placement_labels.BASIS_LABELS,
        6: placement_labels.STATUS_LABELS,
    },
    instants=frozenset({7, 8, 11}),
)

_trip_count, _trip_chunk = through(_trip_filter, trips.count_for_export, trips.export_rows)
TRIPS = ExportKind(
    name="trips",
    label=N_("Arrival trips"),
    permission=Perm.ARRIVALS_READ,
    headers=(
        N_("Trip id"),
        *NAME_AND_NUMBERS,
        N_("Province"),
        N_("City"),
        N_("District"),
        N_("Area"),
        N_("Departed on"),
        N_("Arrived at"),
        N_("Grade"),
        N_("Affected county"),
        N_("Measure"),
        N_("Measure ends at"),
        N_("Grid code"),
        N_("Status"),
    ),
    count=_trip_count,
    chunk=_trip_chunk,
    params=TripParams,
    labels={10: trip_labels.GRADES, 12: trip_labels.MEASURES, 15: trip_labels.STATUSES},
    booleans=frozenset({11}),
    dates=frozenset({8}),
    instants=frozenset({9, 13}),
)
