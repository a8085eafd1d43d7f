"""Photos of inspections: checked (at most ``MAX_PHOTO_BYTES``, a JPEG, PNG or WebP by its
bytes, whatever the file was called), written under the ``supervision_photo_dir`` setting
with a random name, and served only to a reader of the inspection's jurisdiction.

The file is written before the row is flushed: a transaction that then fails leaves an
unreferenced file, never a row without its file."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models.supervision import InspectionPhoto
from fangkong.supervision import errors
from fangkong.supervision.audit_trail import record
from fangkong.supervision.inspections import repository
from fangkong.supervision.inspections.service import get_inspection
from fangkong.supervision.labels import Aspect

MAX_PHOTO_BYTES = 5 * 1024 * 1024
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"))


def sniff(data: bytes) -> tuple[str, str]:
    """(media type, extension) of the image the bytes are."""
    if len(data) > MAX_PHOTO_BYTES:
        raise errors.PhotoTooLarge()
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    for magic, media_type, extension in SIGNATURES:
        if data.startswith(magic):
            return media_type, extension
    raise errors.PhotoType()


def add_photo(
    session: Session, *, actor: Principal, settings: Settings, inspection_id: int,
    data: bytes, aspect: Aspect | None = None,
) -> InspectionPhoto:  # fmt: skip
    inspection = get_inspection(session, actor=actor, inspection_id=inspection_id)
    media_type, extension = sniff(data)
    name = f"{secrets.token_hex(16)}.{extension}"
    folder = Path(settings.supervision_photo_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    photo = InspectionPhoto(
        inspection_id=inspection.id, aspect=aspect.value if aspect else None, file_name=name,
        media_type=media_type, size=len(data), region_code=inspection.region_code,
        uploaded_by=actor.id,
    )  # fmt: skip
    session.add(photo)
    session.flush()
    after = {"inspection_id": inspection.id, "aspect": photo.aspect, "size": photo.size}
    record(session, actor, "inspection.photo_add", photo, after=after)
    return photo


def open_photo(
    session: Session, *, actor: Principal, settings: Settings, photo_id: int
) -> tuple[bytes, str]:
    photo = repository.photo(session, actor, photo_id)
    if photo is None:
        raise errors.PhotoNotFound()
    path = Path(settings.supervision_photo_dir) / photo.file_name
    try:
        return path.read_bytes(), photo.media_type
    except FileNotFoundError:
        raise errors.PhotoNotFound() from None


def photo_ids(session: Session, inspection_id: int) -> list[int]:
    return [p.id for p in repository.photos_of(session, inspection_id)]
