"""Helpers every domain's CLI uses: settings and database, JSON output, errors as exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from fangkong.core import i18n
from fangkong.core.errors import DomainError
from fangkong.core.heap import fewer_collections

if TYPE_CHECKING:
    from fangkong.config import Settings
    from fangkong.db import Database

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)


@cache
def settings() -> Settings:
    from fangkong.config import Settings  # noqa: PLC0415 - read the environment only when used

    return Settings()


@cache
def database() -> Database:
    from fangkong.db import Database, make_engine  # noqa: PLC0415

    return Database(make_engine(settings().database_url))


@contextmanager
def unit_of_work() -> Iterator[Session]:
    with database().transaction() as session:
        yield session


def bulk_write(work: Callable[[Session], R], *, dry_run: bool = False) -> R:
    """A bulk command's one transaction: ``work`` runs in it (with rarer garbage collections,
    ``core.heap``) and its report is returned; a dry run rolls it back (so the report says
    what would be written); a ``DomainError``, or a file that cannot be read, is bad input
    (one line, exit 2) and writes nothing."""
    try:
        with fewer_collections(), unit_of_work() as session:
            report = work(session)
            if dry_run:
                session.rollback()
    except DomainError as exc:
        fail(exc)
    except OSError as exc:  # unreadable (permissions), or gone since it was checked
        bad_input(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))
    return report


def existing_file(path: Path) -> Path:
    if not path.is_file():
        bad_input(f"{path}: no such file")
    return path


def cli_locale() -> str:
    raw = os.environ.get("LANGUAGE") or os.environ.get("LANG") or ""
    return i18n.choose(raw.split(".")[0].split(":")[0])


def fail(error: DomainError) -> NoReturn:
    """One line on stderr and exit code 2: the contract for bad input."""
    locale = cli_locale()
    message = i18n.gettext(locale, error.title)
    detail = f" ({error.detail})" if error.detail else ""
    typer.echo(f"error: {error.code}: {message}{detail}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def bad_input(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """``model`` from the command's options; the first invalid field is bad input."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        bad_input(f"{'.'.join(map(str, first['loc'])) or 'input'}: {first['msg']}")


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_report(report: Any, summary: str, *, as_json: bool, place: bool = False) -> None:
    """A bulk command's report: each refused line (code and message in the CLI's language) on
    stderr, then ``summary``; or the whole report as JSON. ``place``: lines name their place."""
    locale = cli_locale()
    for row in report.rejected_lines:
        row.message = i18n.gettext(locale, row.message)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    for row in report.rejected_lines:
        where = f" {row.place}:" if place else ""
        typer.echo(f"line {row.line}: {row.code}:{where} {row.message}", err=True)
    typer.echo(summary)


def print_rows_report(report: Any, summary: str, *, as_json: bool) -> None:
    """An import's report whose refused rows are ``report.rejected`` (``row``, ``code``,
    ``message``): each on stderr in the CLI's language, then ``summary``; or the whole report
    as JSON."""
    locale = cli_locale()
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    for rejected in report.rejected:
        typer.echo(f"row {rejected.row}: {rejected.code}: {rejected.message}", err=True)
    typer.echo(summary)


def dry(report: Any) -> str:
    """The end of a bulk command's summary line: `` (dry run)`` when nothing was kept."""
    return " (dry run)" if report.dry_run else ""


def is_terminal() -> bool:
    return sys.stderr.isatty()


def write_download(data: bytes, *, output: Path | None, binary: bool) -> None:
    """A file a command makes (an import template): to ``output``, else to stdout — but a
    binary file (XLSX) never to a terminal."""
    if output is not None:
        output.write_bytes(data)
        typer.echo(f"wrote {output}", err=True)
    elif binary and sys.stdout.isatty():
        bad_input("an XLSX file is binary: write it with --output FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
