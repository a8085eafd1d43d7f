"""The JSON routes of Quarantine (隔离管控): the sub-packages' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.quarantine.placements import api as placements
from fangkong.quarantine.sites import api as sites

router = APIRouter()
for _part in (sites, placements):
    router.include_router(_part.router)
