"""Fever-clinic visits as a list to export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    FeverVisitParams,
)
from fangkong.exports.kinds.base import ExportKind, through
from fangkong.sentinel import service as visits


def _visit_filter(session: Session, p: FeverVisitParams) -> visits.VisitFilter:
    return visits.VisitFilter(day=p.day, region=p.region)


_visit_count, _visit_chunk = through(_visit_filter, visits.count_for_export, visits.export_rows)
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
