"""Typed auth aliases of the scan routes, and the per-process hot-path state on ``app.state``.

Every dependency of the entry check is ``async`` (the bearer principal, the hot path): a plain
``def`` dependency would cost a thread-pool hop per request (ARCHITECTURE.md, "Hot paths").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import State

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal
from fangkong.healthcode.reader import CodeReader
from fangkong.scans.hotpath import HotPath
from fangkong.scans.limits import ScanLimits

EntryCheck = Annotated[Principal, Depends(BearerPrincipal(Perm.ENTRY_CHECK))]
ScansRead = Annotated[Principal, Depends(BearerPrincipal(Perm.SCANS_READ))]
ScansIngest = Annotated[Principal, Depends(BearerPrincipal(Perm.SCANS_INGEST))]
ScannerPage = Annotated[Principal, Depends(web_require(Perm.ENTRY_CHECK))]


async def get_hotpath(request: Request) -> HotPath:
    return hotpath_for(request.app.state)


def hotpath_for(state: State) -> HotPath:
    """The app's hot-path state, made on first use (one per worker process and per test app).
    The entry check calls it directly: each dependency level costs a request ~20 us."""
    hotpath: HotPath | None = getattr(state, "scans_hotpath", None)
    if hotpath is None:
        db, settings = state.db, state.settings
        hotpath = HotPath(db, settings, CodeReader(db.bind, settings))
        state.scans_hotpath = hotpath
        state.shutdown_hooks.append(hotpath.aclose)
    return hotpath


async def get_limits(request: Request) -> ScanLimits:
    return limits_for(request.app.state)


def limits_for(state: State) -> ScanLimits:
    limits: ScanLimits | None = getattr(state, "scans_limits", None)
    if limits is None:
        limits = ScanLimits.from_settings(state.settings)
        state.scans_limits = limits
    return limits


HotPathDep = Annotated[HotPath, Depends(get_hotpath)]
LimitsDep = Annotated[ScanLimits, Depends(get_limits)]
