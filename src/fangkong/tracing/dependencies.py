"""Permission aliases of the tracing routes (API: bearer token; pages: the web session)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

TracingRead = Annotated[Principal, Depends(BearerPrincipal(Perm.TRACING_READ))]
TracingManage = Annotated[Principal, Depends(BearerPrincipal(Perm.TRACING_MANAGE))]
TracingPublish = Annotated[Principal, Depends(BearerPrincipal(Perm.TRACING_PUBLISH))]
TracingReadPage = Annotated[Principal, Depends(web_require(Perm.TRACING_READ))]
TracingManagePage = Annotated[Principal, Depends(web_require(Perm.TRACING_MANAGE))]
TracingPublishPage = Annotated[Principal, Depends(web_require(Perm.TRACING_PUBLISH))]
