"""Routes of intake (filled in by the sub-package)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
