"""Each exportable list's filters: the same ones as the list's API and page, one model a kind.

A request's ``params`` is validated against its kind's model when the export is asked for
(``schemas.ExportCreate``), so a bad filter is refused before anything is recorded; the
export keeps the validated filters (JSON) and reads them back when it is written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fangkong.care.kinds import RequestKind
from fangkong.cases.registry.schemas import CaseStatus, Channel, Kind
from fangkong.core.fields import MAX_ID, MAX_INT_ID, UtcDatetime
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.models import KeyGroup
from fangkong.people.schemas import FlagName
from fangkong.quarantine.placements.schemas import PlacedMeasure, PlacementStatus
from fangkong.sentinel.schemas import SiteKind
from fangkong.tracing.contacts.schemas import Degree, LinkReason, Status

Prefix = Annotated[str | None, Field(pattern=REGION_PREFIX_PATTERN)]
RecordId = Annotated[int | None, Field(ge=1, le=MAX_ID)]
# The arrivals list's vocabularies (the trip list's query parameters).
TripGrade = Literal["high", "medium", "low", "none"]
TripMeasure = Literal["none", "self_monitor", "home_isolation", "home_monitoring", "centralized"]
TripChannel = Literal["self", "pushed", "checkpoint", "officer"]
TripStatus = Literal["open", "screened", "closed"]


class ListFilters(BaseModel):
    """Filters of one list; ``regions()`` names the region prefixes the requester must cover."""

    model_config = ConfigDict(extra="forbid")

    def regions(self) -> tuple[str, ...]:
        return ()


class ExportParams(ListFilters):
    """The people list's filters: name prefix, region prefix, key group, flags."""

    q: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    region: Prefix = None
    key_group: KeyGroup | None = None
    flags: Annotated[list[FlagName], Field(max_length=7)] = []

    @field_validator("q")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """A name prefix of printable characters (no control characters, no lone surrogates,
        nothing the index range of a prefix cannot follow)."""
        if value is not None and not value.isprintable():
            raise ValueError("the name prefix holds characters that cannot be searched")
        return value

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class CaseParams(ListFilters):
    """The case list's filters (``GET /api/v1/cases``)."""

    kind: Kind | None = None
    status: CaseStatus | None = None
    channel: Channel | None = None
    district: Prefix = None
    cluster_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    reported_from: date | None = None
    reported_to: date | None = None
    case_no: Annotated[str | None, Field(pattern=r"^[0-9-]{1,32}$")] = None

    def regions(self) -> tuple[str, ...]:
        return (self.district,) if self.district else ()


class ContactParams(ListFilters):
    """The contact list's filters (``GET /api/v1/contacts``)."""

    degree: Degree | None = None
    status: Status | None = None
    reason: LinkReason | None = None
    district: Prefix = None
    grid: Prefix = None
    case: RecordId = None

    def regions(self) -> tuple[str, ...]:
        return tuple(p for p in (self.district, self.grid) if p)


class PlacementParams(ListFilters):
    """The placement list's filters (``GET /api/v1/quarantine/placements``)."""

    measure: PlacedMeasure | None = None
    status: PlacementStatus | None = None
    site_id: Annotated[int | None, Field(ge=1, le=MAX_INT_ID)] = None
    grid: Prefix = None
    due_for_release: bool = False
    fever: bool = False

    def regions(self) -> tuple[str, ...]:
        return (self.grid,) if self.grid else ()


class TripParams(ListFilters):
    """The arrival trip list's filters (``GET /api/v1/trips``)."""

    grade: TripGrade | None = None
    measure: TripMeasure | None = None
    channel: TripChannel | None = None
    status: TripStatus | None = None
    arrived_from: UtcDatetime | None = None
    arrived_to: UtcDatetime | None = None
    region: Prefix = None
    name: Annotated[str | None, Field(min_length=1, max_length=20)] = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class FeverVisitParams(ListFilters):
    """The fever-clinic visit list's filters (``GET /api/v1/sentinel/visits``)."""

    day: date | None = None
    region: Prefix = None  # the clinic's region-code prefix

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class DrugSaleParams(ListFilters):
    """The four-drug sale list's filters (``GET /api/v1/sentinel/sales``)."""

    day: date | None = None
    region: Prefix = None  # the pharmacy's region-code prefix

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class SentinelSiteParams(ListFilters):
    """The sentinel site list's filters (``GET /api/v1/sentinel/sites``)."""

    kind: SiteKind | None = None
    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class InspectionProblemParams(ListFilters):
    """The inspection problems list's filters (``GET /api/v1/supervision/problems``)."""

    status: Literal["open", "rectified", "not_rectified"] | None = None
    overdue: bool = False
    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class PropertyCompanyParams(ListFilters):
    """The property company list's filters (``GET /api/v1/supervision/companies``)."""

    q: Annotated[
        str | None, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")
    ] = None
    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class VideoPointParams(ListFilters):
    """The video-point list's filters (``GET /api/v1/supervision/video-points``)."""

    status: Literal["online", "offline", "broken"] | None = None
    community_id: Annotated[int | None, Field(ge=1, le=MAX_INT_ID)] = None
    zone_id: Annotated[int | None, Field(ge=1, le=MAX_INT_ID)] = None
    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class CareRequestParams(ListFilters):
    """The care request list's filters (``GET /api/v1/care/requests``)."""

    status: Literal["new", "assigned", "in_progress", "done", "refused"] | None = None
    kind: RequestKind | None = None
    channel: Literal["livelihood", "pairing"] | None = None
    region: Prefix = None
    overdue: bool = False
    escalated: bool = False

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class VolunteerParams(ListFilters):
    """The volunteer list's filters (``GET /api/v1/care/volunteers``)."""

    active: bool | None = None
    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class CarePairingParams(ListFilters):
    """The pairing list's filters (``GET /api/v1/care/pairings``)."""

    active: bool | None = None


class CareTeamParams(ListFilters):
    """The responsibility team list's filters (``GET /api/v1/care/teams``)."""

    region: Prefix = None

    def regions(self) -> tuple[str, ...]:
        return (self.region,) if self.region else ()


class OutreachParams(ListFilters):
    """The vaccination outreach list's filters (``GET /api/v1/vaccination/outreach``)."""

    grid: Annotated[str, Field(pattern=REGION_PREFIX_PATTERN)]
    reason: Literal["incomplete", "booster_due", "unvaccinated"] | None = None
    on: date | None = None

    def regions(self) -> tuple[str, ...]:
        return (self.grid,)


FILTERS: dict[str, type[ListFilters]] = {
    "people": ExportParams,
    "cases": CaseParams,
    "contacts": ContactParams,
    "placements": PlacementParams,
    "trips": TripParams,
    "fever_visits": FeverVisitParams,
    "drug_sales": DrugSaleParams,
    "sentinel_sites": SentinelSiteParams,
    "inspection_problems": InspectionProblemParams,
    "property_companies": PropertyCompanyParams,
    "video_points": VideoPointParams,
    "care_requests": CareRequestParams,
    "volunteers": VolunteerParams,
    "care_pairings": CarePairingParams,
    "care_teams": CareTeamParams,
    "vaccination_outreach": OutreachParams,
}
AnyFilters = (
    ExportParams
    | CaseParams
    | ContactParams
    | PlacementParams
    | TripParams
    | FeverVisitParams
    | DrugSaleParams
    | SentinelSiteParams
    | InspectionProblemParams
    | PropertyCompanyParams
    | VideoPointParams
    | CareRequestParams
    | VolunteerParams
    | CarePairingParams
    | CareTeamParams
    | OutreachParams
)
