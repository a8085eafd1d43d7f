"""Permission aliases shared by the care routes: read and manage, for the API and pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

CareRead = Annotated[Principal, Depends(BearerPrincipal(Perm.CARE_READ))]
CareManage = Annotated[Principal, Depends(BearerPrincipal(Perm.CARE_MANAGE))]
CarePage = Annotated[Principal, Depends(web_require(Perm.CARE_READ))]
CareForm = Annotated[Principal, Depends(web_require(Perm.CARE_MANAGE))]
