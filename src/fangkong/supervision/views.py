"""The pages of Supervision (督导): the parts' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.supervision.inspections import views as inspections
from fangkong.supervision.video import views as video

router = APIRouter()
for _part in (inspections, video):
    router.include_router(_part.router)
