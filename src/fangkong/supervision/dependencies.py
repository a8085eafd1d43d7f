"""Permission aliases of the supervision routes (API bearer tokens and pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

IntIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
SupervisionRead = Annotated[Principal, Depends(BearerPrincipal(Perm.SUPERVISION_READ))]
SupervisionInspect = Annotated[Principal, Depends(BearerPrincipal(Perm.SUPERVISION_INSPECT))]
SupervisionManage = Annotated[Principal, Depends(BearerPrincipal(Perm.SUPERVISION_MANAGE))]
SupervisionPage = Annotated[Principal, Depends(web_require(Perm.SUPERVISION_READ))]
SupervisionInspectForm = Annotated[Principal, Depends(web_require(Perm.SUPERVISION_INSPECT))]
SupervisionManageForm = Annotated[Principal, Depends(web_require(Perm.SUPERVISION_MANAGE))]
