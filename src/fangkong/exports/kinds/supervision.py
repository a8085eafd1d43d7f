"""Inspection problems as a list to export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    InspectionProblemParams,
)
from fangkong.exports.kinds.base import ExportKind, through
from fangkong.supervision import labels as supervision_labels
from fangkong.supervision.inspections import service as inspections


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
