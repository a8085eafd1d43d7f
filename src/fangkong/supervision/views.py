"""The pages of Supervision (督导): the parts' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.supervision.companies import views as companies
from fangkong.supervision.inspections import inspection_views
from fangkong.supervision.inspections import views as inspections
from fangkong.supervision.video import views as video

router = APIRouter()
for _part in (companies, inspections, inspection_views, video):
    router.include_router(_part.router)
