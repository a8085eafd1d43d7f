"""Supervision lists to export: inspection problems, property companies, video points (none
of them personal)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.config import Settings
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.exports.filters import (
    InspectionProblemParams,
    PropertyCompanyParams,
    VideoPointParams,
)
from fangkong.exports.kinds.base import ExportKind, through
from fangkong.supervision import labels as supervision_labels
from fangkong.supervision.companies import service as companies
from fangkong.supervision.inspections import service as inspections
from fangkong.supervision.video import service as video

# The red and black lists' names, for the companies' list column.
LIST_NAMES = {"red": N_("Red list"), "black": N_("Black list")}


def _problem_filter(session: Session, p: InspectionProblemParams) -> inspections.ProblemFilter:
    return inspections.ProblemFilter(status=p.status, overdue=p.overdue, region=p.region)


_problem_count, _problem_chunk = through(
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


def _company_filter(session: Session, p: PropertyCompanyParams) -> companies.CompanyFilter:
    return companies.CompanyFilter(q=p.q, region=p.region)


def _company_rows(session: Session, *, actor: Principal, **chunk: Any) -> Any:
    """The list column needs the deployment's black-list line (a setting)."""
    return companies.export_rows(session, actor=actor, settings=Settings(), **chunk)


_company_count, _company_chunk = through(_company_filter, companies.count_for_export, _company_rows)
PROPERTY_COMPANIES = ExportKind(
    name="property_companies",
    label=N_("Property companies"),
    permission=Perm.SUPERVISION_READ,
    headers=(
        N_("Company id"),
        N_("Property company"),
        N_("Unified social credit code"),
        N_("Region code"),
        N_("Credit score"),
        N_("Communities"),
        N_("Red or black list (last 30 days)"),
    ),
    count=_company_count,
    chunk=_company_chunk,
    params=PropertyCompanyParams,
    personal=False,
    labels={6: LIST_NAMES},
)


def _point_filter(session: Session, p: VideoPointParams) -> video.PointFilter:
    return video.PointFilter(
        status=p.status, community_id=p.community_id, zone_id=p.zone_id, region=p.region
    )


_point_count, _point_chunk = through(_point_filter, video.count_for_export, video.export_rows)
VIDEO_POINTS = ExportKind(
    name="video_points",
    label=N_("Video points"),
    permission=Perm.SUPERVISION_READ,
    headers=(
        N_("Point id"),
        N_("Name"),
        N_("Community"),
        N_("Zone id"),
        N_("State"),
        N_("Checked at"),
    ),
    count=_point_count,
    chunk=_point_chunk,
    params=VideoPointParams,
    personal=False,
    labels={4: supervision_labels.POINT_STATUS_NAMES},
    instants=frozenset({5}),
)
