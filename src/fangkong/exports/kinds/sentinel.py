"""Sentinel lists to export: fever-clinic visits, four-drug sales (buyers masked) and the
sentinel sites (fever clinics and pharmacies)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.exports.filters import DrugSaleParams, FeverVisitParams, SentinelSiteParams
from fangkong.exports.kinds.base import ExportKind, through
from fangkong.sentinel import service as sentinel
from fangkong.sentinel.schemas import DRUG_LABELS, SITE_KIND_LABELS, SYMPTOM_LABELS


def _visit_filter(session: Session, p: FeverVisitParams | DrugSaleParams) -> sentinel.VisitFilter:
    return sentinel.VisitFilter(day=p.day, region=p.region)


def _site_filter(session: Session, p: SentinelSiteParams) -> sentinel.SiteFilter:
    return sentinel.SiteFilter(kind=p.kind, region=p.region)


_visit_count, _visit_chunk = through(_visit_filter, sentinel.count_for_export, sentinel.export_rows)
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
    label_lists={5: {k.value: v for k, v in SYMPTOM_LABELS.items()}},
    booleans=frozenset({7, 8}),
    instants=frozenset({4}),
)

_sale_count, _sale_chunk = through(
    _visit_filter, sentinel.count_sales_for_export, sentinel.sale_export_rows
)
DRUG_SALES = ExportKind(
    name="drug_sales",
    label=N_("Four-drug sales"),
    permission=Perm.SENTINEL_READ,
    headers=(
        N_("Sale id"),
        N_("Name"),
        N_("ID number"),
        N_("Drug class"),
        N_("Quantity"),
        N_("Pharmacy"),
        N_("Sold at"),
        N_("Health code marked"),
        N_("Contacted"),
        N_("Grid code"),
    ),
    count=_sale_count,
    chunk=_sale_chunk,
    params=DrugSaleParams,
    labels={3: {k.value: v for k, v in DRUG_LABELS.items()}},
    booleans=frozenset({7, 8}),
    instants=frozenset({6}),
)

_site_count, _site_chunk = through(
    _site_filter, sentinel.count_sites_for_export, sentinel.site_export_rows
)
SENTINEL_SITES = ExportKind(
    name="sentinel_sites",
    label=N_("Sentinel sites"),
    permission=Perm.SENTINEL_READ,
    headers=(
        N_("Venue id"),
        N_("Name"),
        N_("Kind"),
        N_("Region code"),
        N_("Address"),
        N_("Registered at"),
    ),
    count=_site_count,
    chunk=_site_chunk,
    params=SentinelSiteParams,
    personal=False,
    labels={2: {k.value: v for k, v in SITE_KIND_LABELS.items()}},
    instants=frozenset({5}),
)
