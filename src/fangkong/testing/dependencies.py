"""Permission aliases of the testing routes (API: bearer token; pages: the web session)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

TestingRead = Annotated[Principal, Depends(BearerPrincipal(Perm.TESTING_READ))]
TestingManage = Annotated[Principal, Depends(BearerPrincipal(Perm.TESTING_MANAGE))]
TestingSample = Annotated[Principal, Depends(BearerPrincipal(Perm.TESTING_SAMPLE))]
TestingResults = Annotated[Principal, Depends(BearerPrincipal(Perm.TESTING_RESULTS))]
TestingReadPage = Annotated[Principal, Depends(web_require(Perm.TESTING_READ))]
TestingManagePage = Annotated[Principal, Depends(web_require(Perm.TESTING_MANAGE))]
TestingSamplePage = Annotated[Principal, Depends(web_require(Perm.TESTING_SAMPLE))]
TestingResultsPage = Annotated[Principal, Depends(web_require(Perm.TESTING_RESULTS))]
