"""Permission aliases of the reports routes (API: bearer token; pages: the web session) and
the ``region`` query parameter (a region code inside the caller's jurisdiction)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_CODE_PATTERN

ReportsRead = Annotated[Principal, Depends(BearerPrincipal(Perm.REPORTS_READ))]
ReportsReadPage = Annotated[Principal, Depends(web_require(Perm.REPORTS_READ))]
RegionQuery = Annotated[str | None, Query(pattern=REGION_CODE_PATTERN)]
