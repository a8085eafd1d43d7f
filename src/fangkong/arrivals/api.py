"""``/api/v1/risk-areas``, ``/zones``, ``/arrivals``, ``/trips``: the sub-packages' routers."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.arrivals.intake import api as intake
from fangkong.arrivals.riskareas import api as riskareas
from fangkong.arrivals.screening import api as screening
from fangkong.arrivals.zones import api as zones

router = APIRouter()
for _part in (riskareas, zones, intake, screening):
    router.include_router(_part.router)
