"""Streaming reader for the CSV and XLSX files offices upload (one row at a time)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from itertools import islice
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from fangkong.core.errors import N_, InvalidInput


class UnreadableFile(InvalidInput):
    code = "import.unreadable_file"
    title = N_("The file cannot be read; upload a CSV (UTF-8) or XLSX file with a header row.")


class MissingColumns(InvalidInput):
    code = "import.missing_columns"
    title = N_("The file lacks required columns.")


Row = dict[str, str]


def _header_map(
    header: list[Any], aliases: Mapping[str, str], required: AbstractSet[str]
) -> list[str | None]:
    names = [
        aliases.get(str(h).strip().lower(), aliases.get(str(h).strip())) if h else None
        for h in header
    ]
    missing = required - {n for n in names if n}
    if missing:
        raise MissingColumns(", ".join(sorted(missing)))
    return names


def _rows(
    raw: Iterator[list[Any]], aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    header = next(raw, None)
    if header is None:
        raise UnreadableFile()
    names = _header_map(list(header), aliases, required)
    for number, values in enumerate(raw, start=2):
        row = {
            n: ("" if v is None else str(v).strip())
            for n, v in zip(names, values, strict=False)
            if n
        }
        if any(row.values()):
            yield number, row


def read_csv(
    stream: IO[str], aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    return _rows(_csv_records(stream), aliases, required)


def _csv_records(stream: IO[str]) -> Iterator[list[str]]:
    """CSV records; a malformed file (e.g. a field over the csv module's limit) is bad input."""
    try:
        yield from csv.reader(stream)
    except csv.Error as exc:
        raise UnreadableFile(str(exc)) from exc


def read_file(
    path: Path, aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    """Yield ``(line_number, row)`` with canonical column names; the header is line 1."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, aliases, required)
    return _read_csv_path(path, aliases, required)


def _read_csv_path(
    path: Path, aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            yield from read_csv(stream, aliases, required)
    except UnicodeDecodeError as exc:
        raise UnreadableFile() from exc


def read_upload(
    filename: str, data: bytes, aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    """Rows of an uploaded CSV (UTF-8) or XLSX file held in memory."""
    if not data:
        raise UnreadableFile()
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(io.BytesIO(data), aliases, required)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile() from exc
    return read_csv(io.StringIO(text), aliases, required)


def _read_xlsx(
    path: Path | IO[bytes], aliases: Mapping[str, str], required: AbstractSet[str]
) -> Iterator[tuple[int, Row]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile() from exc
    try:
        sheet = workbook.worksheets[0]
        yield from _rows((list(r) for r in sheet.iter_rows(values_only=True)), aliases, required)
    finally:
        workbook.close()


def batched(
    rows: Iterator[tuple[int, Row]] | Any, size: int
) -> Iterator[tuple[tuple[int, Row], ...]]:
    """Consecutive chunks of ``size`` rows (``itertools.batched`` arrives only in Python 3.12)."""
    iterator = iter(rows)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
