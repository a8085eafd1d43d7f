"""JSON routes of people, households, counts, ledgers and the personal-data access log."""

from fastapi import APIRouter

from fangkong.people.api import households, ledger, registry

router = APIRouter()
for part in (registry.router, households.router, ledger.router):
    router.include_router(part)
