"""Permission aliases and path parameters of the export routes."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import Depends, Path
from fastapi.responses import FileResponse

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal
from fangkong.exports import service
from fangkong.models.exports import Export

ExportsRequest = Annotated[Principal, Depends(BearerPrincipal(Perm.EXPORTS_REQUEST))]
ExportsApprove = Annotated[Principal, Depends(BearerPrincipal(Perm.EXPORTS_APPROVE))]
ExportsRequestPage = Annotated[Principal, Depends(web_require(Perm.EXPORTS_REQUEST))]
ExportsApprovePage = Annotated[Principal, Depends(web_require(Perm.EXPORTS_APPROVE))]
ExportIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


def export_file(path: FilePath, export: Export) -> FileResponse:
    """A ready export's file, for the API and the page alike (never cached)."""
    return FileResponse(
        path,
        media_type=service.MEDIA_TYPES[export.format],
        filename=service.download_name(export),
        headers={"Cache-Control": "no-store"},
    )
