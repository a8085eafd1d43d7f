"""Writing an export's file, in the request (small ones) or in a worker (the rest).

A worker claims a queued export (``queued`` → ``running``, one conditional update), then
reads the list one keyset chunk at a time, each chunk in its own short transaction (SQLite
takes its write lock at BEGIN, so one long read would stall every writer), appends it to
``<id>.<format>.part`` and records ``rows_done`` in another short transaction. At the end the
file is renamed and the export is ``ready``; any failure deletes the part file and leaves the
export ``failed`` with the error, so a half file is never offered for download.

The rows are read as the requester (their current role and jurisdiction): an account
deactivated since, or one that lost the list's permission, fails the export.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fangkong.auth.permissions import permissions_of
from fangkong.config import Settings
from fangkong.core import clock, i18n
from fangkong.core.principal import Principal
from fangkong.db import Database
from fangkong.exports import kinds, repository
from fangkong.exports.service import operator, params_of
from fangkong.exports.writers import Cell, open_writer
from fangkong.models.exports import Export, ExportStatus

log = logging.getLogger(__name__)
CHUNK_ROWS = 5_000
MAX_ERROR = 500


class RequesterGone(Exception):
    """The requester's account is inactive or may no longer read the list."""


def requester_of(session: Session, export: Export) -> Principal:
    """Who the rows are read as: the requester now, or the operator of the command line."""
    if export.requested_by is None:
        return operator(export.region_code)
    user = repository.user(session, export.requested_by)
    if user is None or not user.is_active:
        raise RequesterGone("the requester's account is no longer active")
    return Principal(
        id=user.id,
        username=user.username,
        role=user.role,
        region_code=user.region_code,
        permissions=permissions_of(user.role),
        locale=user.locale,
    )


def _shown_as(shown: dict[str, str]) -> Callable[[Any], Cell]:
    return lambda value: shown.get(value, value)


def _listed_as(shown: dict[str, str], joiner: str) -> Callable[[Any], Cell]:
    return lambda values: joiner.join(shown.get(v, v) for v in values or ())


def _local_instant(value: datetime | None) -> str | None:
    """An instant in ISO 8601 in the platform's time zone, to the second (a naive value from
    the database is UTC)."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(clock.LOCAL_TZ).isoformat(timespec="seconds")


def _converters(kind: kinds.ExportKind, locale: str) -> list[tuple[int, Callable[[Any], Cell]]]:
    """Per converted column, how a value becomes a cell in the requester's language."""
    yes = i18n.gettext(locale, kind.yes)
    joiner = "、" if locale.startswith("zh") else ", "

    def shown(mapping: Mapping[str, str]) -> dict[str, str]:
        return {value: i18n.gettext(locale, msgid) for value, msgid in mapping.items()}

    found: list[tuple[int, Callable[[Any], Cell]]] = [
        (column, _shown_as(shown(mapping))) for column, mapping in kind.labels.items()
    ]
    found += [(column, _listed_as(shown(mapping), joiner))
              for column, mapping in kind.label_lists.items()]  # fmt: skip
    found += [(column, lambda v: yes if v else "") for column in kind.booleans]
    found += [(column, lambda v: None if v is None else v.isoformat()) for column in kind.dates]
    found += [(column, _local_instant) for column in kind.instants]
    return found


def _formatter(
    kind: kinds.ExportKind, locale: str
) -> Callable[[Sequence[kinds.Row]], list[list[Cell]]]:
    """Rows to cells: labels translated (lists of codes joined), booleans as "yes" or empty,
    dates in ISO 8601; the other columns pass as they are (one conversion per converted
    column, not per cell)."""
    converters = _converters(kind, locale)

    def rows(chunk: Sequence[kinds.Row]) -> list[list[Cell]]:
        out = []
        for row in chunk:
            cells = list(row)
            for column, convert in converters:
                cells[column] = convert(cells[column])
            out.append(cells)
        return out

    return rows


def _part(settings: Settings, export: Export) -> tuple[Path, Path]:
    folder = Path(settings.export_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{export.id}.{export.format}"
    return folder / (name + ".part"), folder / name


ReadChunk = Callable[[kinds.Key], tuple[Sequence[kinds.Row], kinds.Key]]


def _write(
    settings: Settings,
    export: Export,
    locale: str,
    read: ReadChunk,
    progress: Callable[[int], None],
) -> str:
    """Write every chunk to the part file, rename it, and return the file's name."""
    kind = kinds.kind_of(export.kind)
    part, final = _part(settings, export)
    format_rows = _formatter(kind, locale)
    title = i18n.gettext(locale, kind.label)
    writer = open_writer(part, export.format, sheet_title=title)
    try:
        writer.write_header([i18n.gettext(locale, h) for h in kind.headers])
        done = 0
        for chunk in _chunks(read):
            writer.write_rows(format_rows(chunk))
            done += len(chunk)
            progress(done)
        writer.close()
    except BaseException:
        writer_close_quietly(writer)
        part.unlink(missing_ok=True)
        raise
    part.replace(final)
    return final.name


def writer_close_quietly(writer: Any) -> None:
    try:
        writer.close()
    except Exception:  # the first error is the one reported
        log.debug("closing a failed export's writer failed too", exc_info=True)


def _chunks(read: ReadChunk) -> Iterator[Sequence[kinds.Row]]:
    after: kinds.Key = None
    while True:
        rows, after = read(after)
        if rows:
            yield rows
        if after is None:
            return


def _finish(settings: Settings, export: Export, file_name: str, rows_done: int) -> None:
    now = clock.now()
    export.status = ExportStatus.READY
    export.file_name = file_name
    export.rows_done = rows_done
    export.finished_at = now
    export.expires_at = now + timedelta(hours=settings.export_keep_hours)


def _fail(export: Export, error: BaseException) -> None:
    export.status = ExportStatus.FAILED
    export.error = (f"{type(error).__name__}: {error}")[:MAX_ERROR]
    export.finished_at = clock.now()
    export.file_name = None


def write_inline(session: Session, settings: Settings, export: Export) -> None:
    """Write a small export at once, in the caller's transaction (the request's)."""
    actor = requester_of(session, export)
    kind = kinds.kind_of(export.kind)
    params = params_of(export)
    export.status = ExportStatus.RUNNING
    export.started_at = clock.now()
    done = [0]

    def read(after: kinds.Key) -> tuple[Sequence[kinds.Row], kinds.Key]:
        return kind.chunk(session, actor, params, after, CHUNK_ROWS)

    def progress(rows: int) -> None:
        done[0] = rows

    try:
        name = _write(settings, export, _locale(actor), read, progress)
    except Exception as exc:  # any failure is the export's, recorded
        _fail(export, exc)
    else:
        _finish(settings, export, name, done[0])
    session.flush()


def _locale(actor: Principal) -> str:
    return i18n.choose(actor.locale)


def run(db: Database, settings: Settings, export_id: int) -> str | None:
    """Claim and write one queued export in the background; its final status (None when
    another worker claimed it first)."""
    with db.transaction() as session:
        if not repository.claim(session, export_id, clock.now()):
            return None
    try:
        name, done = _run_claimed(db, settings, export_id)
    except Exception as exc:  # recorded on the export, logged
        log.warning("export %s failed: %s", export_id, exc)
        with db.transaction() as session:
            export = _load(session, export_id)
            _fail(export, exc)
        return ExportStatus.FAILED
    with db.transaction() as session:
        _finish(settings, _load(session, export_id), name, done)
    return ExportStatus.READY


def _load(session: Session, export_id: int) -> Export:
    export = repository.get(session, export_id)
    assert export is not None  # claimed by this worker, never deleted
    return export


def _run_claimed(db: Database, settings: Settings, export_id: int) -> tuple[str, int]:
    with db.transaction() as session:
        export = _load(session, export_id)
        actor = requester_of(session, export)
        kind = kinds.kind_of(export.kind)
        params = params_of(export)
        session.expunge(export)
    if not actor.can(kind.permission):
        raise RequesterGone("the requester may no longer read this list")
    done = [0]

    def read(after: kinds.Key) -> tuple[Sequence[kinds.Row], kinds.Key]:
        with db.transaction() as chunk_session:
            return kind.chunk(chunk_session, actor, params, after, CHUNK_ROWS)

    def progress(rows: int) -> None:
        done[0] = rows
        with db.transaction() as progress_session:
            repository.set_progress(progress_session, export_id, rows)

    return _write(settings, export, _locale(actor), read, progress), done[0]


def run_queued(db: Database, settings: Settings, *, limit: int = 100) -> list[tuple[int, str]]:
    """Write the queued exports, oldest first; (id, final status) of each one written."""
    with db.transaction() as session:
        ids = list(repository.queued_ids(session, limit))
    results = []
    for export_id in ids:
        status = run(db, settings, export_id)
        if status is not None:
            results.append((export_id, status))
    return results
