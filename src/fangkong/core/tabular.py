"""Streaming reader for the CSV and XLSX files offices upload (one row at a time)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import IO, Any

from fangkong.core.errors import N_, InvalidInput


class UnreadableFile(InvalidInput):
    code = "import.unreadable_file"
    title = N_("The file cannot be read; upload a CSV (UTF-8) or XLSX file with a header row.")


class MissingColumns(InvalidInput):
    code = "import.missing_columns"
    title = N_("The file lacks required columns.")


class UnknownColumns(InvalidInput):
    code = "import.unknown_columns"
    title = N_("The file has columns this import does not know.")


Row = dict[str, str]


def _header_map(
    header: list[Any], aliases: Mapping[str, str], required: AbstractSet[str], strict: bool
) -> list[str | None]:
    names = [
        aliases.get(str(h).strip().lower(), aliases.get(str(h).strip())) if h else None
        for h in header
    ]
    if strict:
        unknown = [str(h).strip() for h, n in zip(header, names, strict=True) if n is None and h]
        if any(unknown):
            raise UnknownColumns(", ".join(u for u in unknown if u))
    missing = required - {n for n in names if n}
    if missing:
        raise MissingColumns(", ".join(sorted(missing)))
    return names


def _rows(
    raw: Iterator[list[Any]],
    aliases: Mapping[str, str],
    required: AbstractSet[str],
    strict: bool = False,
    text: bool = False,
) -> Iterator[tuple[int, Row]]:
    header = next(raw, None)
    if header is None:
        raise UnreadableFile()
    names = _header_map(list(header), aliases, required, strict)
    if text and all(names):
        # CSV cells are always strings: the same rows, built without a Python-level loop
        # (bulk imports read a million of them).
        yield from _text_rows(raw, [n for n in names if n])
    else:
        yield from _any_rows(raw, names)


def _any_rows(raw: Iterator[list[Any]], names: list[str | None]) -> Iterator[tuple[int, Row]]:
    for number, values in enumerate(raw, start=2):
        row = {
            n: ("" if v is None else str(v).strip())
            for n, v in zip(names, values, strict=False)
            if n
        }
        if any(row.values()):
            yield number, row


def _text_rows(raw: Iterator[list[str]], names: list[str]) -> Iterator[tuple[int, Row]]:
    for number, values in enumerate(raw, start=2):
        row = dict(zip(names, map(str.strip, values), strict=False))
        if any(row.values()):
            yield number, row


def read_csv(
    stream: IO[str], aliases: Mapping[str, str], required: AbstractSet[str], *, strict: bool = False
) -> Iterator[tuple[int, Row]]:
    """Rows of a CSV text stream. ``strict``: a header the aliases do not know refuses the file
    (``UnknownColumns``) instead of being ignored."""
    return _rows(_csv_records(stream), aliases, required, strict, text=True)


def _csv_records(stream: IO[str]) -> Iterator[list[str]]:
    """CSV records; a malformed file (e.g. a field over the csv module's limit) is bad input."""
    try:
        yield from csv.reader(stream)
    except csv.Error as exc:
        raise UnreadableFile(str(exc)) from exc


def read_file(
    path: Path, aliases: Mapping[str, str], required: AbstractSet[str], *, strict: bool = False
) -> Iterator[tuple[int, Row]]:
    """Yield ``(line_number, row)`` with canonical column names; the header is line 1.

    The file is streamed (CSV line by line, XLSX in openpyxl's read-only mode), never read whole.
    """
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, aliases, required, strict)
    return _read_csv_path(path, aliases, required, strict)


def _read_csv_path(
    path: Path, aliases: Mapping[str, str], required: AbstractSet[str], strict: bool
) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            yield from read_csv(stream, aliases, required, strict=strict)
    except UnicodeDecodeError as exc:
        raise UnreadableFile() from exc


def read_upload(
    filename: str,
    data: bytes,
    aliases: Mapping[str, str],
    required: AbstractSet[str],
    *,
    strict: bool = False,
) -> Iterator[tuple[int, Row]]:
    """Rows of an uploaded CSV (UTF-8) or XLSX file held in memory."""
    if not data:
        raise UnreadableFile()
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(io.BytesIO(data), aliases, required, strict)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile() from exc
    return read_csv(io.StringIO(text), aliases, required, strict=strict)


def _read_xlsx(
    path: Path | IO[bytes],
    aliases: Mapping[str, str],
    required: AbstractSet[str],
    strict: bool = False,
) -> Iterator[tuple[int, Row]]:
    from openpyxl import load_workbook  # noqa: PLC0415 - only a workbook needs it (~0.3 s)

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile() from exc
    try:
        sheet = workbook.worksheets[0]
        records = (list(r) for r in sheet.iter_rows(values_only=True))
        yield from _rows(records, aliases, required, strict)
    finally:
        workbook.close()


def template_csv(headers: Iterable[str], example: Iterable[object]) -> bytes:
    """An import template: the header and an example row, UTF-8 with a byte-order mark so
    that Excel shows the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow(example)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(headers: Iterable[str], example: Iterable[object], *, title: str) -> bytes:
    """The same as one XLSX sheet named ``title``."""
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    sheet.append(list(example))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
