"""The JSON routes of Supervision (督导) under ``/api/v1/supervision``:
the parts' routers, in one.
"""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.supervision.companies import api as companies
from fangkong.supervision.inspections import api as inspections
from fangkong.supervision.video import api as video

router = APIRouter()
for _part in (companies, inspections, video):
    router.include_router(_part.router)
