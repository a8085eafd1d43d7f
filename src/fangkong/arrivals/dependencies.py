"""Permission aliases of the arrivals and zones routes (API: bearer token; pages: the web
session)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

ArrivalsRead = Annotated[Principal, Depends(BearerPrincipal(Perm.ARRIVALS_READ))]
ArrivalsManage = Annotated[Principal, Depends(BearerPrincipal(Perm.ARRIVALS_MANAGE))]
ArrivalsScreen = Annotated[Principal, Depends(BearerPrincipal(Perm.ARRIVALS_SCREEN))]
ArrivalsCheckpoint = Annotated[Principal, Depends(BearerPrincipal(Perm.ARRIVALS_CHECKPOINT))]
RiskAreasManage = Annotated[Principal, Depends(BearerPrincipal(Perm.RISK_AREAS_MANAGE))]
ZonesRead = Annotated[Principal, Depends(BearerPrincipal(Perm.ZONES_READ))]
ZonesManage = Annotated[Principal, Depends(BearerPrincipal(Perm.ZONES_MANAGE))]
ZonesDecide = Annotated[Principal, Depends(BearerPrincipal(Perm.ZONES_DECIDE))]
ArrivalsReadPage = Annotated[Principal, Depends(web_require(Perm.ARRIVALS_READ))]
ArrivalsManagePage = Annotated[Principal, Depends(web_require(Perm.ARRIVALS_MANAGE))]
ArrivalsScreenPage = Annotated[Principal, Depends(web_require(Perm.ARRIVALS_SCREEN))]
ArrivalsCheckpointPage = Annotated[Principal, Depends(web_require(Perm.ARRIVALS_CHECKPOINT))]
RiskAreasManagePage = Annotated[Principal, Depends(web_require(Perm.RISK_AREAS_MANAGE))]
ZonesReadPage = Annotated[Principal, Depends(web_require(Perm.ZONES_READ))]
ZonesManagePage = Annotated[Principal, Depends(web_require(Perm.ZONES_MANAGE))]
ZonesDecidePage = Annotated[Principal, Depends(web_require(Perm.ZONES_DECIDE))]
