"""Permission aliases of the cases routes (API: bearer token; pages: the web session)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

CasesRead = Annotated[Principal, Depends(BearerPrincipal(Perm.CASES_READ))]
CasesManage = Annotated[Principal, Depends(BearerPrincipal(Perm.CASES_MANAGE))]
CasesReadPage = Annotated[Principal, Depends(web_require(Perm.CASES_READ))]
CasesManagePage = Annotated[Principal, Depends(web_require(Perm.CASES_MANAGE))]
