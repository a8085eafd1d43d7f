"""The JSON routes of Tracing (流调溯源): the sub-packages' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.tracing.contacts import api as contacts
from fangkong.tracing.public import api as public
from fangkong.tracing.trajectories import api as trajectories

router = APIRouter()
for _part in (trajectories, contacts, public):
    router.include_router(_part.router)
