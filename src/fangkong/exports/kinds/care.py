"""Care requests as a list to export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.care import kinds as care_kinds
from fangkong.care.requests import service as care_requests
from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    CareRequestParams,
)
from fangkong.exports.kinds.base import ExportKind, through


def _care_filter(session: Session, p: CareRequestParams) -> care_requests.RequestFilter:
    return care_requests.RequestFilter(
        status=p.status, kind=p.kind.value if p.kind else None, channel=p.channel,
        region=p.region, overdue_at=clock.now() if p.overdue else None,
    )  # fmt: skip


_care_count, _care_chunk = through(
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
