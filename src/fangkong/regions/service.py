"""Verbs of the regions domain: look up, create, rename, import, assign grid workers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.errors import DomainError, NotFound
from fangkong.core.iterables import batched
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.tabular import Row, UnreadableFile, read_upload
from fangkong.models import GridAssignment, Region, RegionLevel, User
from fangkong.regions import errors, repository
from fangkong.regions.schemas import (
    NAME_PATTERN,
    ImportReport,
    RegionCreate,
    RegionRename,
    RejectedRow,
)

CODE_LENGTH = {RegionLevel.STREET: 9, RegionLevel.COMMUNITY: 12, RegionLevel.GRID: 15}
PARENT_LEVEL = {
    RegionLevel.STREET: RegionLevel.DISTRICT,
    RegionLevel.COMMUNITY: RegionLevel.STREET,
    RegionLevel.GRID: RegionLevel.COMMUNITY,
}
LEVEL_NAMES = {
    "street": RegionLevel.STREET,
    "街道": RegionLevel.STREET,
    "乡镇": RegionLevel.STREET,
    "community": RegionLevel.COMMUNITY,
    "社区": RegionLevel.COMMUNITY,
    "村": RegionLevel.COMMUNITY,
    "grid": RegionLevel.GRID,
    "网格": RegionLevel.GRID,
}
IMPORT_COLUMNS = {
    "code": "code",
    "代码": "code",
    "区划代码": "code",
    "name": "name",
    "名称": "name",
    "level": "level",
    "级别": "level",
    "层级": "level",
    "parent_code": "parent_code",
    "上级代码": "parent_code",
}
IMPORT_BATCH = 1000
IMPORT_REQUIRED = frozenset({"code", "name", "level", "parent_code"})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME = 64


def require_region(session: Session, *, actor: Principal, code: str) -> Region:
    """A region inside the actor's jurisdiction, for use as an input (unknown → 422)."""
    region = repository.get_readable(session, actor, code)
    if region is None:
        raise errors.UnknownRegion()
    return region


def get_region(session: Session, *, actor: Principal, code: str) -> Region:
    """A region inside the actor's jurisdiction, for display (unknown → 404)."""
    region = repository.get_readable(session, actor, code)
    if region is None:
        raise NotFound()
    return region


def child_counts(session: Session, regions: Sequence[Region]) -> dict[str, int]:
    return repository.child_counts(session, [r.code for r in regions])


def children(
    session: Session,
    *,
    actor: Principal,
    parent: str | None,
    page: PageParams,
    q: str | None = None,
) -> tuple[Sequence[Region], str | None]:
    """Children of ``parent``; without a parent, the actor's own region as the tree's root."""
    if parent is None:
        return [get_region(session, actor=actor, code=actor.region_code)], None
    get_region(session, actor=actor, code=parent)
    return repository.children_page(session, actor, parent, page, q)


def search(
    session: Session, *, actor: Principal, page: PageParams, q: str | None, level: str | None
) -> tuple[Sequence[Region], str | None]:
    return repository.search_page(session, actor, page, q, level)


def check_new(
    actor: Principal, code: str, level: RegionLevel, parent: Region | None, parent_code: str
) -> None:
    """Raise the first rule a new region breaks (shared by the form, the API and imports)."""
    if level not in CODE_LENGTH:
        raise errors.LevelNotImportable()
    if len(code) != CODE_LENGTH[level] or not (code.isascii() and code.isdigit()):
        raise errors.BadCodeForLevel()
    if parent_code != code[:-3]:
        raise errors.WrongParent()
    if not actor.covers(code):
        raise errors.OutsideJurisdiction()
    if parent is None:
        raise errors.UnknownParent()
    if parent.level != PARENT_LEVEL[level]:
        raise errors.WrongParent()


def create_region(session: Session, *, actor: Principal, data: RegionCreate) -> Region:
    # Jurisdiction first: "exists" for another district's code would leak that it exists.
    parent = repository.get_readable(session, actor, data.parent_code)
    check_new(actor, data.code, data.level, parent, data.parent_code)
    if repository.existing(session, [data.code]):
        raise errors.RegionExists()
    return _add(session, actor, data)


def _add(session: Session, actor: Principal, data: RegionCreate) -> Region:
    region = Region(code=data.code, name=data.name, level=data.level, parent_code=data.parent_code)
    session.add(region)
    session.flush()
    after = {"name": data.name, "level": data.level.value, "parent_code": data.parent_code}
    audit.record(
        session,
        actor=actor,
        action="region.create",
        object_type="region",
        object_id=data.code,
        region_code=data.code,
        after=after,
    )
    return region


def rename_region(session: Session, *, actor: Principal, code: str, data: RegionRename) -> Region:
    region = get_region(session, actor=actor, code=code)
    before = {"name": region.name, "name_en": region.name_en}
    region.name = data.name
    if data.name_en is not None:
        region.name_en = data.name_en
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="region.rename",
        object_type="region",
        object_id=code,
        region_code=code,
        before=before,
        after={"name": region.name, "name_en": region.name_en},
    )
    return region


def import_regions(
    session: Session, *, actor: Principal, rows: Iterable[tuple[int, Row]]
) -> ImportReport:
    """Add or rename streets, communities and grids; every rejected row gets its reason.

    Rows are read in batches, so a parent may appear earlier in the same file. Accepted rows
    are flushed in the caller's transaction; the caller commits once (or rolls back on a dry run).
    """
    importer = _Importer(session=session, actor=actor)
    for batch in batched(rows, IMPORT_BATCH):
        importer.add_batch(batch)
    return importer.report


def import_upload(
    session: Session, *, actor: Principal, filename: str, data: bytes
) -> ImportReport:
    """Import an uploaded CSV or XLSX file (at most ``MAX_UPLOAD_BYTES``)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile()
    rows = read_upload(filename, data, IMPORT_COLUMNS, IMPORT_REQUIRED)
    return import_regions(session, actor=actor, rows=rows)


@dataclass
class _Importer:
    session: Session
    actor: Principal
    report: ImportReport = field(default_factory=ImportReport)
    known: dict[str, Region] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def add_batch(self, batch: tuple[tuple[int, Row], ...]) -> None:
        codes = {r.get("code", "") for _, r in batch} | {r.get("parent_code", "") for _, r in batch}
        self.known.update(repository.existing(self.session, codes - self.known.keys()))
        for line, row in batch:
            try:
                self.add_row(row)
            except DomainError as exc:
                self.report.rejected.append(RejectedRow(row=line, code=exc.code, message=exc.title))
        self.session.flush()

    def add_row(self, row: Row) -> None:
        level = LEVEL_NAMES.get(row.get("level", "").strip().lower())
        if level is None:
            raise errors.InvalidLevel()
        name = row.get("name", "")
        if not 1 <= len(name) <= MAX_NAME or not re.fullmatch(NAME_PATTERN, name):
            raise errors.InvalidName()
        data = RegionCreate.model_construct(
            code=row.get("code", ""), name=name, level=level, parent_code=row.get("parent_code", "")
        )
        if data.code in self.seen:
            raise errors.DuplicateInFile()
        parent = self.known.get(data.parent_code)
        visible = parent if parent and self.actor.covers(parent.code) else None
        check_new(self.actor, data.code, data.level, visible, data.parent_code)
        self.seen.add(data.code)
        self.upsert(data)

    def upsert(self, data: RegionCreate) -> None:
        current = self.known.get(data.code)
        if current is None:
            self.known[data.code] = _add(self.session, self.actor, data)
            self.report.created += 1
        elif current.name == data.name:
            self.report.unchanged += 1
        else:
            rename = RegionRename(name=data.name)
            rename_region(self.session, actor=self.actor, code=data.code, data=rename)
            self.report.updated += 1


def workers(session: Session, *, actor: Principal, grid_code: str) -> Sequence[User]:
    get_region(session, actor=actor, code=grid_code)
    return repository.workers_of(session, grid_code)


def worker_candidates(session: Session, *, actor: Principal, grid_code: str) -> Sequence[User]:
    """Who may be assigned to the grid: active grid workers placed at it or above it."""
    if get_region(session, actor=actor, code=grid_code).level != RegionLevel.GRID:
        return []
    return repository.grid_worker_candidates(session, actor, grid_code)


def assign_worker(session: Session, *, actor: Principal, grid_code: str, user_id: int) -> None:
    grid = get_region(session, actor=actor, code=grid_code)
    if grid.level != RegionLevel.GRID:
        raise errors.NotAGrid()
    user = repository.user_in_scope(session, actor, user_id)
    if (
        user is None
        or user.role != repository.GRID_WORKER
        or not grid.code.startswith(user.region_code)
    ):
        raise errors.NotAGridWorker()
    if repository.assignment(session, grid_code, user_id) is None:
        session.add(GridAssignment(grid_code=grid_code, user_id=user_id))
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="grid.assign_worker",
            object_type="region",
            object_id=grid_code,
            region_code=grid_code,
            after={"user_id": user_id},
        )


def unassign_worker(session: Session, *, actor: Principal, grid_code: str, user_id: int) -> None:
    get_region(session, actor=actor, code=grid_code)
    found = repository.assignment(session, grid_code, user_id)
    if found is None:
        raise NotFound()
    session.delete(found)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grid.unassign_worker",
        object_type="region",
        object_id=grid_code,
        region_code=grid_code,
        before={"user_id": user_id},
    )
