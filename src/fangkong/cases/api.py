"""The JSON routes of Cases (阳性感染者): the sub-packages' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.cases.chains import api as chains
from fangkong.cases.registry import api as registry

router = APIRouter()
for _part in (registry, chains):
    router.include_router(_part.router)
