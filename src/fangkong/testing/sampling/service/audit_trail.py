"""The audit rows of sampling: sites and tubes (member changes name the person by id only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.principal import Principal
from fangkong.models.testing import SamplingSite, Tube

SITE_FIELDS = (
    "name", "region_code", "address", "opens_at", "closes_at", "capacity_per_hour",
    "queue_status", "queue_length", "active",
)  # fmt: skip
TUBE_FIELDS = ("barcode", "kind", "capacity", "purpose", "site_id", "campaign_id", "status",
               "member_count")  # fmt: skip


def site_snapshot(site: SamplingSite) -> dict[str, Any]:
    return {name: getattr(site, name) for name in SITE_FIELDS}


def tube_snapshot(tube: Tube) -> dict[str, Any]:
    return {name: getattr(tube, name) for name in TUBE_FIELDS}


def record_site(
    session: Session,
    actor: Principal,
    action: str,
    site: SamplingSite,
    *,
    before: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="sampling_site", object_id=site.id,
        region_code=site.region_code, before=before, after=site_snapshot(site),
    )  # fmt: skip


def record_tube(
    session: Session,
    actor: Principal,
    action: str,
    tube: Tube,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="tube", object_id=tube.id,
        region_code=tube.region_code, before=before, after=after or tube_snapshot(tube),
    )  # fmt: skip
