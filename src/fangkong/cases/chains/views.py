"""Pages of ``cases.chains`` (to be built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
