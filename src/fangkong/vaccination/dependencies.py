"""Request-scoped helpers of the vaccination routes: the permission aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal

VaccinationRead = Annotated[Principal, Depends(BearerPrincipal(Perm.VACCINATION_READ))]
VaccinationManage = Annotated[Principal, Depends(BearerPrincipal(Perm.VACCINATION_MANAGE))]
VaccinationPage = Annotated[Principal, Depends(web_require(Perm.VACCINATION_READ))]
VaccinationForm = Annotated[Principal, Depends(web_require(Perm.VACCINATION_MANAGE))]
