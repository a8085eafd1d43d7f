"""Exports (导出): one row per request to write a list to an XLSX or CSV file.

``status``: ``awaiting_approval`` (personal data above the approval threshold, until a superior
decides) → ``queued`` → ``running`` → ``ready`` (the file is at ``file_name`` under the export
directory until ``expires_at``) | ``failed`` (``error`` says why; no file is offered) ;
``denied`` by the superior; ``expired`` once the file has been deleted. ``params`` are the
list's filters as the requester gave them; ``region_code`` is the requester's jurisdiction,
which the rows are read in. ``rows_total`` is the estimate at request time, ``rows_done`` the
progress of the writer.

Rows hold filters, counts and who asked, never the exported rows; the files are deleted by the
``exports.expire`` job, so the table itself is kept as the record of who exported what.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, JSONType, region_code_type
from fangkong.models.retention import NotPurged, retention

KEPT = N_(
    "export requests record who exported which filters, not the rows; "
    "the files are deleted when they expire"
)


class ExportStatus(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    DENIED = "denied"
    EXPIRED = "expired"


class Export(Base):
    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(8))  # xlsx | csv
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    region_code: Mapped[str] = mapped_column(region_code_type())
    # None: asked from the command line (``fangkong exports request``), by the operator.
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=ExportStatus.QUEUED)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    personal: Mapped[bool] = mapped_column(Boolean, default=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_exports_requester", "requested_by", "id"),
        Index("ix_exports_status", "status", "id"),
        retention(NotPurged(KEPT)),
    )
