"""The registry of exportable lists: kind → permission, filters, headers, a count and chunks.

Each kind reads through its own domain's service (the list's scoping and filters), one
keyset-paginated chunk at a time, so that no export ever holds the list in memory. Personal
numbers appear only in their masked forms (``id_number_masked``, ``phone_masked``); the lists
that show masked names (cases, contacts, placements, trips) export them masked too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from fangkong.arrivals.intake import labels as trip_labels
from fangkong.arrivals.intake import service as trips
from fangkong.auth.permissions import Perm
from fangkong.care import kinds as care_kinds
from fangkong.care.requests import service as care_requests
from fangkong.cases.registry import labels as case_labels
from fangkong.cases.registry import service as cases
from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.exports.errors import UnknownKind
from fangkong.exports.filters import (
    CareRequestParams,
    CaseParams,
    ContactParams,
    ExportParams,
    FeverVisitParams,
    InspectionProblemParams,
    ListFilters,
    OutreachParams,
    PlacementParams,
    TripParams,
)
from fangkong.people import service as people
from fangkong.people.labels import SEX_LABELS
from fangkong.quarantine.placements import labels as placement_labels
from fangkong.quarantine.placements import service as placements
from fangkong.sentinel import service as visits
from fangkong.supervision import labels as supervision_labels
from fangkong.supervision.inspections import service as inspections
from fangkong.tracing.contacts import labels as contact_labels
from fangkong.tracing.contacts import service as contacts
from fangkong.vaccination import service as vaccination

Row = Sequence[Any]
Key = list[Any] | None
# (session, actor, params, after, limit) -> (rows, key of the last row or None at the end);
# ``params`` is an instance of the kind's ``params`` model.
ChunkFunc = Callable[[Session, Principal, Any, Key, int], tuple[Sequence[Row], Key]]
CountFunc = Callable[[Session, Principal, Any], int]


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    permission: Perm
    headers: tuple[str, ...]  # msgids, translated in the requester's language
    count: CountFunc
    chunk: ChunkFunc
    params: type[ListFilters] = ExportParams  # the list's filters
    personal: bool = True
    # Coded columns shown by their label (column index -> value -> msgid).
    labels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    # Columns of booleans (shown as "yes" or empty), of dates (ISO 8601) and of instants
    # (ISO 8601 in the platform's time zone, Asia/Shanghai).
    booleans: frozenset[int] = frozenset()
    dates: frozenset[int] = frozenset()
    instants: frozenset[int] = frozenset()
    # Cells that are booleans are written as this text ("是" / "").
    yes: str = N_("yes")

    def validated(self, params: BaseModel | Mapping[str, Any]) -> ListFilters:
        """The kind's filters from a request's params or an export's stored JSON."""
        raw = params.model_dump(exclude_unset=True) if isinstance(params, BaseModel) else params
        return self.params.model_validate(raw)


def _people_filter(params: ExportParams) -> people.PersonFilter:
    return people.PersonFilter(
        q=params.q, region=params.region, key_group=params.key_group, flags=tuple(params.flags)
    )


def _people_count(session: Session, actor: Principal, params: ExportParams) -> int:
    return people.count_people(session, actor=actor, where=_people_filter(params))


def _people_chunk(
    session: Session, actor: Principal, params: ExportParams, after: Key, limit: int
) -> tuple[Sequence[Row], Key]:
    where = _people_filter(params)
    return people.people_rows(session, actor=actor, where=where, after=after, limit=limit)


PEOPLE = ExportKind(
    name="people",
    label=N_("People"),
    permission=Perm.PEOPLE_READ,
    headers=(
        N_("Person id"),
        N_("Name"),
        N_("Sex"),
        N_("Birth date"),
        N_("ID number"),
        N_("Phone"),
        N_("Grid code"),
        N_("Migrant"),
        N_("From abroad"),
    ),
    count=_people_count,
    chunk=_people_chunk,
    params=ExportParams,
    labels={2: SEX_LABELS},
    booleans=frozenset({7, 8}),
    dates=frozenset({3}),
)


def _through(
    where: Callable[[Session, Any], Any], count: Callable[..., int], rows: Callable[..., Any]
) -> tuple[CountFunc, ChunkFunc]:
    """A kind's count and chunk functions: the domain's export functions given the list's
    filter (built from the export's params, with the session for policy thresholds)."""

    def counted(session: Session, actor: Principal, params: Any) -> int:
        return count(session, actor=actor, where=where(session, params))

    def chunk(
        session: Session, actor: Principal, params: Any, after: Key, limit: int
    ) -> tuple[Sequence[Row], Key]:
        found: tuple[Sequence[Row], Key] = rows(
            session, actor=actor, where=where(session, params), after=after, limit=limit
        )
        return found

    return counted, chunk


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


_NAME_AND_NUMBERS = (N_("Name"), N_("ID number"), N_("Phone"))
_case_count, _case_chunk = _through(_case_filter, cases.count_for_export, cases.export_rows)
CASES = ExportKind(
    name="cases",
    label=N_("Cases"),
    permission=Perm.CASES_READ,
    headers=(
        N_("Case number"),
        *_NAME_AND_NUMBERS,
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

_contact_count, _contact_chunk = _through(
    _contact_filter, contacts.count_for_export, contacts.export_rows
)
CONTACTS = ExportKind(
    name="contacts",
    label=N_("Close contacts"),
    permission=Perm.TRACING_READ,
    headers=(
        N_("Contact id"),
        *_NAME_AND_NUMBERS,
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

_placement_count, _placement_chunk = _through(
    _placement_filter, placements.count_for_export, placements.export_rows
)
PLACEMENTS = ExportKind(
    name="placements",
    label=N_("Quarantine placements"),
    permission=Perm.QUARANTINE_READ,
    headers=(
        N_("Placement id"),
        *_NAME_AND_NUMBERS,
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

_trip_count, _trip_chunk = _through(_trip_filter, trips.count_for_export, trips.export_rows)
TRIPS = ExportKind(
    name="trips",
    label=N_("Arrival trips"),
    permission=Perm.ARRIVALS_READ,
    headers=(
        N_("Trip id"),
        *_NAME_AND_NUMBERS,
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


def _visit_filter(session: Session, p: FeverVisitParams) -> visits.VisitFilter:
    return visits.VisitFilter(day=p.day, region=p.region)


_visit_count, _visit_chunk = _through(_visit_filter, visits.count_for_export, visits.export_rows)
FEVER_VISITS = ExportKind(
    name="fever_visits",
    label=N_("Fever-clinic visits"),
    permission=Perm.SENTINEL_READ,
    headers=(
        N_("Visit id"),
        N_("Name"),
        N_("ID number"),
        N_("Clinic"),
        N_("Visited at"),
        N_("Symptoms"),
        N_("Temperature"),
        N_("NAT at first visit"),
        N_("Health code marked"),
        N_("Grid code"),
    ),
    count=_visit_count,
    chunk=_visit_chunk,
    params=FeverVisitParams,
    booleans=frozenset({7, 8}),
    instants=frozenset({4}),
)


def _problem_filter(session: Session, p: InspectionProblemParams) -> inspections.ProblemFilter:
    return inspections.ProblemFilter(status=p.status, overdue=p.overdue, region=p.region)


_problem_count, _problem_chunk = _through(
    _problem_filter, inspections.count_for_export, inspections.export_rows
)
INSPECTION_PROBLEMS = ExportKind(
    name="inspection_problems",
    label=N_("Inspection problems"),
    permission=Perm.SUPERVISION_READ,
    headers=(
        N_("Problem id"),
        N_("Community"),
        N_("Region code"),
        N_("Property company"),
        N_("Aspect"),
        N_("Finding"),
        N_("Inspected on"),
        N_("Deadline"),
        N_("State"),
        N_("Verified at"),
    ),
    count=_problem_count,
    chunk=_problem_chunk,
    params=InspectionProblemParams,
    personal=False,
    labels={4: supervision_labels.ASPECT_NAMES, 8: supervision_labels.FINDING_STATUS_NAMES},
    dates=frozenset({6, 7}),
    instants=frozenset({9}),
)


def _outreach_filter(session: Session, p: OutreachParams) -> vaccination.OutreachFilter:
    return vaccination.OutreachFilter(grid=p.grid, on=p.on or vaccination.today(), reason=p.reason)


_outreach_count, _outreach_chunk = _through(
    _outreach_filter, vaccination.count_for_export, vaccination.export_rows
)
VACCINATION_OUTREACH = ExportKind(
    name="vaccination_outreach",
    label=N_("Vaccination outreach"),
    permission=Perm.VACCINATION_READ,
    headers=(
        N_("Person id"),
        *_NAME_AND_NUMBERS,
        N_("Birth date"),
        N_("Grid code"),
        N_("Reason"),
        N_("Doses"),
        N_("Booster due on"),
    ),
    count=_outreach_count,
    chunk=_outreach_chunk,
    params=OutreachParams,
    labels={6: vaccination.REASON_LABELS},
    dates=frozenset({4, 8}),
)


def _care_filter(session: Session, p: CareRequestParams) -> care_requests.RequestFilter:
    return care_requests.RequestFilter(
        status=p.status, kind=p.kind.value if p.kind else None, channel=p.channel,
        region=p.region, overdue_at=clock.now() if p.overdue else None,
    )  # fmt: skip


_care_count, _care_chunk = _through(
    _care_filter, care_requests.count_for_export, care_requests.export_rows
)
CARE_REQUESTS = ExportKind(
    name="care_requests",
    label=N_("Care requests"),
    permission=Perm.CARE_READ,
    headers=(
        N_("Request id"),
        N_("Kind"),
        N_("Emergency"),
        N_("Name"),
        N_("Phone"),
        N_("Grid code"),
        N_("Community"),
        N_("Zone"),
        N_("Request"),
        N_("Status"),
        N_("Asked at"),
        N_("Due"),
        N_("Closed at"),
        N_("Volunteer id"),
    ),
    count=_care_count,
    chunk=_care_chunk,
    params=CareRequestParams,
    labels={1: care_kinds.KIND_LABELS, 7: care_kinds.ZONE_LABELS, 9: care_kinds.STATUS_LABELS},
    booleans=frozenset({2}),
    instants=frozenset({10, 11, 12}),
)

KINDS: dict[str, ExportKind] = {
    k.name: k
    for k in (PEOPLE, CASES, CONTACTS, PLACEMENTS, TRIPS, FEVER_VISITS, INSPECTION_PROBLEMS)
} | {VACCINATION_OUTREACH.name: VACCINATION_OUTREACH, CARE_REQUESTS.name: CARE_REQUESTS}


def kind_of(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name[:32]) from None


def names() -> Sequence[str]:
    return tuple(KINDS)
