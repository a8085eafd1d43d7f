"""The body of the care import commands (``fangkong care volunteers import``, ``fangkong
care needs import``): check the file, run the import as the system, print the report."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from fangkong.care.volunteers.schemas import VolunteerImportReport
from fangkong.config import Settings
from fangkong.core import console
from fangkong.core.principal import SYSTEM, Principal


class ImportPath(Protocol):
    """An importer's ``import_path``."""

    def __call__(
        self, session: Session, *, actor: Principal, settings: Settings, path: Path
    ) -> VolunteerImportReport: ...


def run(import_path: ImportPath, file: Path, *, dry_run: bool, as_json: bool) -> None:
    console.existing_file(file)
    settings = console.settings()
    report = console.bulk_write(
        lambda session: import_path(session, actor=SYSTEM, settings=settings, path=file),
        dry_run=dry_run,
    )
    report.dry_run = dry_run
    console.print_rows_report(report, f"inserted {report.inserted}, updated {report.updated}, "
                              f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
                              f"{console.dry(report)}", as_json=as_json)  # fmt: skip
