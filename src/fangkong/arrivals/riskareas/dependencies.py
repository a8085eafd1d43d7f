"""The import's body, JSON or multipart, read before the (synchronous) route runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from fangkong.arrivals.riskareas import errors
from fangkong.arrivals.riskareas.importer import MAX_UPLOAD_BYTES
from fangkong.arrivals.riskareas.schemas import ImportBody, Mode
from fangkong.core.errors import InvalidInput

MODES = ("snapshot", "changes")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    mode: Mode
    as_of: str | None


def _invalid(exc: ValidationError) -> InvalidInput:
    found = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
             for e in exc.errors()]  # fmt: skip
    return InvalidInput(errors=found)


async def import_payload(request: Request) -> ImportBody | Upload:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            return ImportBody.model_validate_json(await request.body())
        except ValidationError as exc:
            raise _invalid(exc) from exc
    form = await request.form()
    file: Any = form.get("file")
    mode = str(form.get("mode") or "snapshot")
    as_of = str(form.get("as_of") or "").strip() or None
    if not isinstance(file, UploadFile) or mode not in MODES or len(as_of or "") > 40:
        raise InvalidInput(errors=[{"field": "body.file", "message": "a file, mode and as_of",
                                    "type": "missing"}])  # fmt: skip
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise errors.EmptyImport("too large")
    return Upload(file.filename or "", data, mode, as_of)  # type: ignore[arg-type]


ImportPayload = Annotated[ImportBody | Upload, Depends(import_payload)]
