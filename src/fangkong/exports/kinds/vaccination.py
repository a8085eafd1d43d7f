"""Vaccination outreach lists to export."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    OutreachParams,
)
from fangkong.exports.kinds.base import NAME_AND_NUMBERS, ExportKind, through
from fangkong.vaccination import service as vaccination


def _outreach_filter(session: Session, p: OutreachParams) -> vaccination.OutreachFilter:
    return vaccination.OutreachFilter(grid=p.grid, on=p.on or vaccination.today(), reason=p.reason)


_outreach_count, _outreach_chunk = through(
    _outreach_filter, vaccination.count_for_export, vaccination.export_rows
)
VACCINATION_OUTREACH = ExportKind(
    name="vaccination_outreach",
    label=N_("Vaccination outreach"),
    permission=Perm.VACCINATION_READ,
    headers=(
        N_("Person id"),
        *NAME_AND_NUMBERS,
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
