"""The JSON routes of Care (民生保障) under ``/api/v1/care``:
the parts' routers, in one.
"""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.care.needs import api as needs_api
from fangkong.care.requests import api as requests_api
from fangkong.care.teams import api as teams_api
from fangkong.care.volunteers import api as volunteers_api

router = APIRouter()
for _part in (requests_api, volunteers_api, needs_api, teams_api):
    router.include_router(_part.router)
