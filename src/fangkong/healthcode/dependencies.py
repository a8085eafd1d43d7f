"""Request-scoped helpers of the health-code routes: who may read, change and decide."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

CodesRead = Annotated[Principal, Depends(BearerPrincipal(Perm.HEALTH_CODE_READ))]
CodesChange = Annotated[Principal, Depends(BearerPrincipal(Perm.HEALTH_CODE_CHANGE))]
CodesAppeals = Annotated[Principal, Depends(BearerPrincipal(Perm.HEALTH_CODE_APPEALS))]
CodesPage = Annotated[Principal, Depends(web_require(Perm.HEALTH_CODE_READ))]
CodesChangePage = Annotated[Principal, Depends(web_require(Perm.HEALTH_CODE_CHANGE))]
CodesAppealsPage = Annotated[Principal, Depends(web_require(Perm.HEALTH_CODE_APPEALS))]
