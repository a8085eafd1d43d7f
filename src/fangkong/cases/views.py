"""The pages of Cases (阳性感染者): the sub-packages' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.cases.chains import views as chains
from fangkong.cases.registry import views as registry

router = APIRouter()
for _part in (registry, chains):
    router.include_router(_part.router)
