"""Typed permission aliases of the sentinel routes (bearer-token API and signed-in pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from fangkong.auth.dependencies import BearerPrincipal, WebPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.errors import PermissionDenied
from fangkong.core.principal import Principal

SaleIdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
VisitIdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
SentinelRead = Annotated[Principal, Depends(BearerPrincipal(Perm.SENTINEL_READ))]
SentinelReport = Annotated[Principal, Depends(BearerPrincipal(Perm.SENTINEL_REPORT))]
SentinelManage = Annotated[Principal, Depends(BearerPrincipal(Perm.SENTINEL_MANAGE))]
SentinelPage = Annotated[Principal, Depends(web_require(Perm.SENTINEL_READ))]
SentinelManagePage = Annotated[Principal, Depends(web_require(Perm.SENTINEL_MANAGE))]
SentinelReportPage = Annotated[Principal, Depends(web_require(Perm.SENTINEL_REPORT))]


def _sites_reader(principal: WebPrincipal) -> Principal:
    """Who sees the sites page: readers, and the operators who report at their own sites."""
    if not (principal.can(Perm.SENTINEL_READ) or principal.can(Perm.SENTINEL_REPORT)):
        raise PermissionDenied()
    return principal


SentinelSitesPage = Annotated[Principal, Depends(_sites_reader)]
