"""HTML pages of the people domain (Jinja2 templates under ``templates/people/``).

A sub-package rather than one ``views.py``: ten pages would pass the 400-line limit. Routers are
included in this order because FastAPI does not fall through: the fixed paths
(``/people/new``, ``/people/access-log`` …) must come before ``/people/{person_id}``.
"""

from __future__ import annotations

from fastapi import APIRouter

from fangkong.people.views import households, overview, person, records, registry

router = APIRouter(include_in_schema=False)
for _module in (records, registry, person, households, overview):
    router.include_router(_module.router)

__all__ = ["router"]
