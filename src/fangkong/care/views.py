"""The pages of Care (民生保障): the parts' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.care.requests import views as requests_views
from fangkong.care.teams import views as teams_views
from fangkong.care.volunteers import views as volunteers_views

router = APIRouter()
for _part in (requests_views, volunteers_views, teams_views):
    router.include_router(_part.router)
