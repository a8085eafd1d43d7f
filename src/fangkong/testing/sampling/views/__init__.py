"""Pages of sampling under ``/testing``: the sampler's phone page and the public queue board
(``sampler``), the officers' site pages (``sites``)."""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.testing.sampling.views import sampler, sites

router = APIRouter(include_in_schema=False)
router.include_router(sampler.router)
router.include_router(sites.router)
