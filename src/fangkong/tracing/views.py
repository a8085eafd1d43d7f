"""The pages of Tracing (流调溯源): the sub-packages' routers, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.tracing.contacts import views as contacts
from fangkong.tracing.public import views as public
from fangkong.tracing.trajectories import views as trajectories

router = APIRouter()
for _part in (trajectories, contacts, public):
    router.include_router(_part.router)
