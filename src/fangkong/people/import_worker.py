"""Parsing a people file: in this process, or for a large file on disk in a second one.

Parsing a row (document checks, AES-GCM for the ID and the phone, three keyed hashes) costs
about as much CPU as writing it. So for a file of at least ``CHILD_MIN_BYTES`` a child process
(``core.offload``) reads and parses while this process writes, and sends each parsed batch
through a pipe.

The child is started with ``spawn`` (a fresh interpreter, nothing inherited: no database
connection, no thread; this module is light to import) and receives the data key as an
argument through its pipe. A file refused as a whole is refused by the child with the same
``DomainError``, re-raised here; if this process stops reading, the child is terminated.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from fangkong.core import offload
from fangkong.core.iterables import batched
from fangkong.core.tabular import Row, read_file
from fangkong.models import KeyGroup
from fangkong.people.import_columns import (
    COLUMNS,
    PERSON_COLUMNS,
    REQUIRED,
    Candidate,
    Rejection,
    RowParser,
)
from fangkong.people.protect import Protector

BATCH = 5000
CHILD_MIN_BYTES = 4 * 1024 * 1024  # ~20,000 rows: below it, starting a process costs more
# For estimating a CSV's rows from its size: a row of the template's columns, filled, is 80 to 90
# bytes of UTF-8; the estimate errs low.
BYTES_PER_ROW = 100


@dataclass
class Parsed:
    """One parsed batch: its valid rows, its refused rows, and how many rows it had.

    It crosses the pipe as columns (one tuple per field, of built-in values): pickle writes a
    named tuple, a date or an enum member as a call to rebuild it, and a tuple per row costs
    both processes a Python-level loop; columns are split and zipped back in C (measured on
    200,000 rows: 4.9 µs a row to unpickle and rebuild as row tuples, 1.6 as columns).
    """

    candidates: list[Candidate]
    refused: list[Rejection]
    size: int

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpacked, (_packed(self.candidates), self.refused, self.size))


_BORN = PERSON_COLUMNS.index("birth_date")
_HASH, _GRID, _MATCH_KEY, _ADDRESS = (
    PERSON_COLUMNS.index(name) for name in ("id_number_hash", "grid_code", "match_key", "address")
)
_SENT = 2  # ``id`` and ``household_id`` are None until the row is written: not sent
_GROUP_CODES: dict[KeyGroup | None, str | None] = {None: None} | {g: g.value for g in KeyGroup}
_GROUPS: dict[str | None, KeyGroup | None] = {None: None} | {g.value: g for g in KeyGroup}


def _packed(candidates: list[Candidate]) -> tuple[tuple[Any, ...], ...]:
    """Columns: lines, 户号s, heads, key groups (codes), employers, then the ``values`` from
    the name on (the birth date as its ordinal); none for an empty batch."""
    if not candidates:
        return ()
    lines, values, _, _, _, _, refs, heads, groups, employers = zip(*candidates, strict=True)
    person = list(zip(*values, strict=True))[_SENT:]
    person[_BORN - _SENT] = tuple(map(date.toordinal, person[_BORN - _SENT]))
    codes = tuple(map(_GROUP_CODES.__getitem__, groups))
    return (lines, refs, heads, codes, employers, *person)


def _unpacked(columns: tuple[tuple[Any, ...], ...], refused: list[Rejection], size: int) -> Parsed:
    if not columns:
        return Parsed([], refused, size)
    lines, refs, heads, codes, employers, *person = columns
    at = [index - _SENT for index in (_HASH, _GRID, _MATCH_KEY, _ADDRESS)]
    hashes, grids, match_keys, addresses = (person[index] for index in at)
    person[_BORN - _SENT] = tuple(map(date.fromordinal, person[_BORN - _SENT]))
    nothing = repeat(None)
    values = zip(nothing, nothing, *person, strict=False)  # ``repeat`` is endless
    groups = map(_GROUPS.__getitem__, codes)
    fields = zip(
        lines, values, hashes, grids, match_keys, addresses, refs, heads, groups, employers,
        strict=True,
    )  # fmt: skip
    return Parsed(list(map(Candidate._make, fields)), refused, size)


class ParsedFile:
    """The columns a file has (from its first batch) and its batches, parsed.

    ``close`` stops the parsing (and a child process) when the caller stops early."""

    def __init__(
        self,
        present: frozenset[str],
        batches: Generator[Parsed, None, None],
        *,
        in_child: bool = False,
        estimated_rows: int = 0,
    ) -> None:
        self.present = present
        self.batches = batches
        self.in_child = in_child  # a large file, parsed by a second process
        self.estimated_rows = estimated_rows  # of a large file; 0 when unknown

    def close(self) -> None:
        self.batches.close()


def parse_here(
    rows: Iterator[tuple[int, Row]], *, protector: Protector, today: date, batch: int = 0
) -> ParsedFile:
    """Parse in this process, ``batch`` rows at a time (default ``BATCH``); reads the header
    (and the first batch) before returning."""
    batches = batched(rows, batch or BATCH)
    first = next(batches, ())
    present = frozenset(chain.from_iterable(row for _, row in first))
    parser = RowParser(protector=protector, today=today)
    return ParsedFile(present, _parsed(parser, chain([first] if first else [], batches)))


def _parsed(
    parser: RowParser, batches: Iterator[tuple[tuple[int, Row], ...]]
) -> Generator[Parsed, None, None]:
    for batch in batches:
        yield Parsed(*parser.parse_batch(batch), len(batch))


def parse_path(path: Path, *, protector: Protector, today: date) -> ParsedFile:
    """Parse a file on disk, in a child process when it is large."""
    if path.stat().st_size < CHILD_MIN_BYTES:
        rows = read_file(path, COLUMNS, REQUIRED, strict=True)
        return parse_here(rows, protector=protector, today=today)
    parsed = _parse_in_child(path, protector=protector, today=today)
    parsed.estimated_rows = path.stat().st_size // BYTES_PER_ROW
    return parsed


def _parse_in_child(path: Path, *, protector: Protector, today: date) -> ParsedFile:
    args = (str(path), protector.key, today, BATCH)
    messages = offload.items(_parse_for_parent, args, name="import's parsing")
    try:
        present = next(messages)
    except BaseException:
        messages.close()
        raise
    return ParsedFile(present, messages, in_child=True)


def _parse_for_parent(path: str, key: bytes, today: date, batch_size: int) -> Iterator[Any]:
    """The child process: the file's present columns, then each parsed batch."""
    rows = read_file(Path(path), COLUMNS, REQUIRED, strict=True)
    parsed = parse_here(rows, protector=Protector(key), today=today, batch=batch_size)
    yield parsed.present
    yield from parsed.batches
