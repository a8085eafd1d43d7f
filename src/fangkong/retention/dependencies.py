"""Typed auth aliases of the emergency routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

EmergencyManage = Annotated[Principal, Depends(BearerPrincipal(Perm.EMERGENCY_MANAGE))]
EmergencyPage = Annotated[Principal, Depends(web_require(Perm.EMERGENCY_MANAGE))]
