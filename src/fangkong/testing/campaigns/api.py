"""JSON routes under ``/api/v1/testing``."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["testing"])
