"""Permission aliases of the quarantine routes (API: bearer token; pages: the web session)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

QuarantineRead = Annotated[Principal, Depends(BearerPrincipal(Perm.QUARANTINE_READ))]
QuarantineManage = Annotated[Principal, Depends(BearerPrincipal(Perm.QUARANTINE_MANAGE))]
QuarantineCheckIn = Annotated[Principal, Depends(BearerPrincipal(Perm.QUARANTINE_CHECKIN))]
QuarantineReadPage = Annotated[Principal, Depends(web_require(Perm.QUARANTINE_READ))]
QuarantineManagePage = Annotated[Principal, Depends(web_require(Perm.QUARANTINE_MANAGE))]
QuarantineCheckInPage = Annotated[Principal, Depends(web_require(Perm.QUARANTINE_CHECKIN))]
