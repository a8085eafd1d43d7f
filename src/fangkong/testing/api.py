"""``/api/v1/testing``: the routers of the testing sub-packages, in one."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.testing.campaigns import api as campaigns
from fangkong.testing.citizen import api as citizen
from fangkong.testing.results import api as results
from fangkong.testing.sampling import api as sampling

router = APIRouter()
for _part in (sampling, results, campaigns, citizen):
    router.include_router(_part.router)
