"""Verbs of exports: request, list, approve or deny, download, expire.

Who may do what (docs/exports.md):

- any role holding ``exports.request`` asks for a list it may read (the kind's own read
  permission), inside its own jurisdiction; the rows are read as that user when written;
- an export of personal data whose estimate exceeds ``export_approval_rows`` waits
  (``awaiting_approval``) for a superior: a user holding ``exports.approve`` whose role
  outranks the requester's (``ROLE_RANK``: city > district > street > the rest) and whose
  jurisdiction covers the requester's. City admins have nobody above them, so another city
  admin decides for them (four eyes). Nobody decides their own export;
- only the requester downloads the file, and only while it is ``ready``: the approver
  allows the requester's export and does not receive the data themselves.

Every request, decision, download and expiry writes an audit row. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.auth.permissions import OTHER_RANK, ROLE_RANK, Perm, Role
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.exports import errors, kinds, repository
from fangkong.exports.filters import ListFilters
from fangkong.exports.schemas import ExportCreate, ExportDecision
from fangkong.models.exports import Export, ExportStatus

FORMATS = ("xlsx", "csv")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
OBJECT = "export"


def operator(region_code: str | None = None) -> Principal:
    """The operator at the command line: every list, the city or ``region_code``; no approval
    (``requested_by`` is None), since whoever runs commands holds the database anyway."""
    return Principal(
        id=None,
        username="cli",
        role="system",
        region_code=region_code or SYSTEM.region_code,
        permissions=frozenset(str(p) for p in Perm),
    )


def _rank(role: str) -> int:
    try:
        return ROLE_RANK.get(Role(role), OTHER_RANK)
    except ValueError:
        return OTHER_RANK


def outranks(approver_role: str, requester_role: str) -> bool:
    """May a user of ``approver_role`` decide an export of ``requester_role``?"""
    mine, theirs = _rank(approver_role), _rank(requester_role)
    return mine < theirs or mine == theirs == 0


def decidable_roles(approver_role: str) -> list[str]:
    return [str(role) for role in Role if outranks(approver_role, role)]


def _check_request(actor: Principal, data: ExportCreate) -> tuple[kinds.ExportKind, ListFilters]:
    kind = kinds.kind_of(data.kind)
    if data.format not in FORMATS:
        raise errors.UnknownFormat(data.format[:8])
    if not actor.can(kind.permission):
        raise errors.ListNotAllowed()
    params = kind.validated(data.params)
    if any(not actor.covers(region) for region in params.regions()):
        raise errors.RegionOutOfScope()
    return kind, params


def request_export(
    session: Session, settings: Settings, *, actor: Principal, data: ExportCreate
) -> Export:
    """Record the request with its estimate; it is queued, or awaits a superior's approval."""
    kind, params = _check_request(actor, data)
    total = kind.count(session, actor, params)
    waits = kind.personal and actor.id is not None and total > settings.export_approval_rows
    export = Export(
        kind=kind.name,
        format=data.format,
        params=params.model_dump(mode="json", exclude_defaults=True),
        region_code=actor.region_code,
        requested_by=actor.id,
        status=ExportStatus.AWAITING_APPROVAL if waits else ExportStatus.QUEUED,
        rows_total=total,
        rows_done=0,
        personal=kind.personal,
        created_at=clock.now(),
    )
    session.add(export)
    session.flush()
    _audit(session, actor, "export.request", export)
    return export


def _audit(session: Session, actor: Principal, action: str, export: Export) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type=OBJECT,
        object_id=export.id,
        region_code=export.region_code,
        after={
            "kind": export.kind,
            "format": export.format,
            "status": export.status,
            "rows_total": export.rows_total,
            "rows_done": export.rows_done,
            "requested_by": export.requested_by,
            "params": str(export.params),
        },
    )


def params_of(export: Export) -> ListFilters:
    """The export's filters, as its kind's filter model."""
    return kinds.kind_of(export.kind).validated(export.params)


def list_mine(
    session: Session, *, actor: Principal, page: PageParams
) -> tuple[Sequence[Export], str | None]:
    return repository.mine_page(session, actor, page)


def awaiting_my_decision(
    session: Session, *, actor: Principal, page: PageParams
) -> tuple[Sequence[Export], str | None]:
    if not actor.can(Perm.EXPORTS_APPROVE):
        return [], None
    return repository.awaiting_page(session, actor, decidable_roles(actor.role), page)


def latest(session: Session, *, limit: int) -> Sequence[Export]:
    """The newest exports of everyone (the operator's command line)."""
    return repository.latest(session, limit)


def get_any(session: Session, export_id: int) -> Export:
    """An export by id, for the operator's command line."""
    export = repository.get(session, export_id)
    if export is None:
        raise errors.ExportNotFound()
    return export


def _may_decide(session: Session, actor: Principal, export: Export) -> bool:
    if not actor.can(Perm.EXPORTS_APPROVE) or export.requested_by is None:
        return False
    requester = repository.user(session, export.requested_by)
    return (
        requester is not None
        and export.requested_by != actor.id
        and actor.covers(export.region_code)
        and outranks(actor.role, requester.role)
    )


def get_export(session: Session, *, actor: Principal, export_id: int) -> Export:
    """The requester's export, or one the actor may decide; anything else is not found."""
    export = repository.get(session, export_id)
    if export is None:
        raise errors.ExportNotFound()
    if export.requested_by == actor.id and actor.id is not None:
        return export
    if export.status == ExportStatus.AWAITING_APPROVAL and _may_decide(session, actor, export):
        return export
    raise errors.ExportNotFound()


def _decision_target(session: Session, actor: Principal, export_id: int) -> Export:
    export = repository.get(session, export_id)
    visible = export is not None and (
        export.requested_by == actor.id or actor.covers(export.region_code)
    )
    if export is None or not visible:
        raise errors.ExportNotFound()
    if export.requested_by == actor.id:
        raise errors.SelfApproval()
    if not _may_decide(session, actor, export):
        raise errors.NotSuperior()
    if export.status != ExportStatus.AWAITING_APPROVAL:
        raise errors.NotAwaitingApproval()
    return export


def decide(
    session: Session, *, actor: Principal, export_id: int, approve: bool, data: ExportDecision
) -> Export:
    """A superior approves (the export is queued) or denies it, with a note; audited."""
    export = _decision_target(session, actor, export_id)
    export.status = ExportStatus.QUEUED if approve else ExportStatus.DENIED
    export.approved_by = actor.id
    export.decided_at = clock.now()
    export.decision_note = data.note or None
    session.flush()
    _audit(session, actor, "export.approve" if approve else "export.deny", export)
    return export


def file_path(settings: Settings, export: Export) -> Path:
    return Path(settings.export_dir) / (export.file_name or "")


def download(
    session: Session, settings: Settings, *, actor: Principal, export_id: int
) -> tuple[Path, Export]:
    """The ready file of the actor's own export; the download is audited."""
    export = repository.get(session, export_id)
    if export is None or export.requested_by != actor.id or actor.id is None:
        raise errors.ExportNotFound()
    path = file_path(settings, export)
    if export.status != ExportStatus.READY or not export.file_name or not path.is_file():
        raise errors.NotReady()
    _audit(session, actor, "export.download", export)
    return path, export


def download_name(export: Export) -> str:
    stamp = (export.finished_at or export.created_at).strftime("%Y%m%d-%H%M")
    return f"{export.kind}-{export.id}-{stamp}.{export.format}"


def expire(session: Session, settings: Settings, *, actor: Principal) -> dict[str, int]:
    """Delete the files past ``expires_at`` (marked ``expired``) and fail exports whose writer
    vanished (``running`` for longer than files are kept); audited one row per export."""
    now = clock.now()
    expired = 0
    for export in repository.past_expiry(session, now):
        file_path(settings, export).unlink(missing_ok=True)
        export.status = ExportStatus.EXPIRED
        _audit(session, actor, "export.expire", export)
        expired += 1
    stale = repository.stale_running(session, now - timedelta(hours=settings.export_keep_hours))
    for export in stale:
        export.status = ExportStatus.FAILED
        export.error = "interrupted: the writer stopped before the end"
        export.finished_at = now
        _audit(session, actor, "export.fail", export)
    session.flush()
    return {"expired": expired, "failed_stale": len(stale)}
