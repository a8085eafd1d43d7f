"""JSON routes (filled in by this domain)."""

from fastapi import APIRouter

router = APIRouter()
