"""JSON routes of ``tracing.trajectories`` (to be built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
