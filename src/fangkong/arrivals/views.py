"""Pages of arrivals and zones: the routers of the sub-packages, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.arrivals.intake import views as intake
from fangkong.arrivals.riskareas import views as riskareas
from fangkong.arrivals.screening import views as screening
from fangkong.arrivals.zones import views as zones

router = APIRouter()
for _part in (riskareas, zones, intake, screening):
    router.include_router(_part.router)
