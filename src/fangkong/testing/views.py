"""``/testing`` pages: the routers of the testing sub-packages, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.testing.campaigns import views as campaigns
from fangkong.testing.citizen import views as citizen
from fangkong.testing.results import views as results
from fangkong.testing.sampling import views as sampling

router = APIRouter()
for _part in (sampling, results, campaigns, citizen):
    router.include_router(_part.router)
