"""Bulk ingest of scans (CSV or NDJSON) from offline scanners and partner systems.

Two stages, so that Python touches each row once and the database does the rest in bulk:

1. Python reads the file as a stream (a plain ``csv.reader``, tuples, no per-row objects) and
   checks each row's fields: a place code's HMAC is checked once per distinct code, an ID
   number is keyed-hashed once per distinct number, each venue is looked up (active, inside
   the actor's jurisdiction) once. Rows that pass go into a temporary staging table, in
   batches of ``BATCH`` (PostgreSQL: ``COPY``; SQLite: one ``executemany``).
2. SQL then resolves the people (ID-number hash, or person id) with one join and inserts the
   rows with one ``INSERT … SELECT`` that keeps the first line of a visit repeated in the
   file and skips a visit already stored (venue, instant, person): ``ON CONFLICT DO NOTHING``
   on PostgreSQL, ``INSERT OR IGNORE`` on SQLite (the repository's move says why), so
   sending a file again changes nothing. The rows go in the visit key's order: consecutive
   inserts touch neighbouring pages of the visit index instead of random ones. Which rows
   were repeats or already stored is worked out for the report (on SQLite only when the
   insert skipped some).

``ingest_visits`` takes visits already in columns (venue ids, person ids, instants) through the
same checks, staging and insert, without a file to write and parse.

Every rejected row gets its line number and a stable reason code (the first ``MAX_LISTED``
by line are listed, all are counted).

Fields (CSV headers or NDJSON keys): ``place_code`` or ``venue_id``; ``id_number`` (a resident
ID, matched by its keyed hash) or ``person_id``; ``scanned_at`` (ISO 8601 with an offset);
optional ``temperature`` (30–45 °C), ``mask`` (true/false/1/0), ``device``. A scanner offline
for a while may send a place code of a version since rotated: a genuine token of an active
venue is accepted. The entry decision of an offline scan was taken at the door; the row
records the visit (``decision`` allow, ``colour`` unknown, ``source`` bulk).

Nothing is committed here (the caller owns the transaction), so a failure leaves nothing.
"""

from __future__ import annotations

import csv
import functools
import json
import operator
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Literal

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core.errors import N_
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.scans import repository
from fangkong.scans.errors import BulkColumnsMissing, BulkFormatUnknown
from fangkong.scans.schemas import MAX_CELSIUS, MIN_CELSIUS, IngestReport, RejectedRow
from fangkong.venues import placecode

BATCH = 10_000
MAX_LISTED = 1_000  # rejected rows listed in the answer; all are counted
MAX_CACHED = 500_000  # distinct ID numbers whose hash is kept during one file
Format = Literal["csv", "ndjson"]
RESIDENT_ID = "resident_id"
FIELDS = ("place_code", "venue_id", "id_number", "person_id", "scanned_at", "temperature",
          "mask", "device")  # fmt: skip

REASONS: dict[str, str] = {
    "scan.bulk_malformed": N_("The line is not a JSON object."),
    "scan.bulk_field": N_("A field has a value of the wrong kind."),
    "scan.venue_missing": N_("The row names no venue (place_code or venue_id)."),
    "scan.person_missing": N_("The row names no person (id_number or person_id)."),
    "scan.venue_unknown": N_("Unknown venue, or outside your jurisdiction."),
    "scan.person_unknown": N_("No person is registered with that ID number or id."),
    "scan.time_invalid": N_("scanned_at must be ISO 8601 with an offset."),
    "scan.time_in_future": N_("The scan time lies in the future."),
    "scan.temperature_out_of_range": N_("The temperature must lie between 30 and 45 °C."),
    "scan.duplicate_in_file": N_("The same visit appears earlier in the file."),
}
# A row of the file: its line number and its fields in ``FIELDS`` order (None when absent),
# or None for a line that is not a JSON object.
Record = tuple[int, tuple[Any, ...] | None]
# A checked row: line, venue id, person id, ID-number hash, instant, temperature, mask, device.
Checked = tuple[int, int, int | None, str | None, datetime, float | None, bool | None, str | None]


class RowError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Tally:
    rejected: int = 0
    rows: list[RejectedRow] = field(default_factory=list)

    def reject(self, line: int, code: str) -> None:
        self.rejected += 1
        if len(self.rows) < MAX_LISTED:
            self.rows.append(RejectedRow(line=line, code=code, message=REASONS[code]))


def detect_format(filename: str, declared: str | None) -> Format:
    name = (declared or filename.rsplit(".", 1)[-1]).lower()
    if name == "csv":
        return "csv"
    if name in ("ndjson", "jsonl", "json"):
        return "ndjson"
    raise BulkFormatUnknown()


def ingest(
    session: Session,
    settings: Settings,
    *,
    actor: Principal,
    stream: IO[str],
    fmt: Format,
    now: datetime,
) -> IngestReport:
    """Read, check and insert every row of ``stream``; flushes, never commits."""
    tally = Tally()
    checker = _Checker(session, settings, actor, now)
    records = _csv_records(stream) if fmt == "csv" else _ndjson_records(stream)
    # On an error the caller rolls back, and the staging tables with it.
    stage = repository.Staging(session)
    for chunk in batched(records, BATCH):
        stage.add(checker.check(chunk, tally))
    return _insert_staged(session, actor, stage, tally, now)


def ingest_visits(
    session: Session,
    settings: Settings,
    *,
    actor: Principal,
    visits: tuple[Sequence[int], Sequence[int], Sequence[datetime]],
    now: datetime,
) -> IngestReport:
    """Visits already in columns (venue ids, person ids, UTC instants), as a partner system's
    feed or the outbreak driver hands them over: the rows a file of ``venue_id, person_id,
    scanned_at`` would give, checked and inserted the same way (each venue inside the
    actor's jurisdiction, no instant after ``now``, unknown people and repeated visits
    refused), without writing and parsing a file. Line numbers count from 2, as a file's
    would after its header. Flushes, never commits."""
    venue_ids, person_ids, instants = visits
    tally = Tally()
    checker = _Checker(session, settings, actor, now)
    stage = repository.Staging(session)
    rows = zip(venue_ids, person_ids, instants, strict=True)
    for first, chunk in enumerate(batched(rows, BATCH)):
        stage.add_visits(checker.check_visits(first * BATCH + 2, chunk, tally))
    return _insert_staged(session, actor, stage, tally, now)


def _insert_staged(
    session: Session, actor: Principal, stage: repository.Staging, tally: Tally, now: datetime
) -> IngestReport:
    """Insert what was staged; the report, and its audit row."""
    batch_id = uuid.uuid4().hex
    outcome = stage.insert(batch=batch_id, created_at=now, listed=MAX_LISTED)
    stage.close()
    for line, person_unknown in outcome.rejected_rows:
        tally.rows.append(RejectedRow(line=line, code=_code(person_unknown),
                                      message=REASONS[_code(person_unknown)]))  # fmt: skip
    listed = sorted(tally.rows, key=lambda row: row.line)[:MAX_LISTED]
    rejected = tally.rejected + outcome.person_unknown + outcome.duplicate_in_file
    report = IngestReport(
        accepted=outcome.inserted,
        duplicates=outcome.already_stored,
        rejected=rejected,
        rejected_rows=listed,
        batch=batch_id,
    )
    counts = {"inserted": outcome.inserted, "rows": outcome.inserted + outcome.already_stored,
              "rejected": rejected}  # fmt: skip
    audit.record(session, actor=actor, action="ingest", object_type="scan_batch",
                 object_id=batch_id, region_code=actor.region_code, after=counts)  # fmt: skip
    session.flush()
    return report


def _code(person_unknown: bool) -> str:
    return "scan.person_unknown" if person_unknown else "scan.duplicate_in_file"


def _csv_records(stream: IO[str]) -> Iterator[Record]:
    reader = csv.reader(stream)
    header = [name.strip() for name in next(reader, [])]
    present = set(header)
    if not (present & {"place_code", "venue_id"} and present & {"id_number", "person_id"}
            and "scanned_at" in present):  # fmt: skip
        raise BulkColumnsMissing()
    # Each field's column (the first of that name); an absent field reads the None appended.
    width = len(header)
    pick = operator.itemgetter(*[header.index(n) if n in present else width for n in FIELDS])
    for raw in reader:
        fields: list[Any] = raw
        if len(fields) != width:
            if not fields:
                continue  # a blank line, skipped as csv.DictReader does
            fields = fields[:width] + [""] * (width - len(fields))
        fields.append(None)
        yield reader.line_num, pick(fields)


def _ndjson_records(stream: IO[str]) -> Iterator[Record]:
    for line, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except ValueError:
            record = None
        if isinstance(record, dict):
            yield line, tuple(record.get(name) for name in FIELDS)
        else:
            yield line, None


class _Checker:
    """The row checks, with what one file repeats (place codes, ID numbers, venues) cached."""

    def __init__(self, session: Session, settings: Settings, actor: Principal, now: datetime):
        self.session = session
        self.settings = settings
        self.actor = actor
        self.now = now.astimezone(UTC)
        self.tokens: dict[str, int | None] = {}  # place code → venue id, None when forged
        self.hashes: dict[str, str] = {}  # ID number as sent → its keyed hash
        self.regions: dict[int, str | None] = {}  # venue → region code, None when refused
        self.protector = _protector_for(settings.data_key_bytes)

    def check(self, chunk: Sequence[Record], tally: Tally) -> list[repository.Staged]:
        checked: list[Checked] = []
        append, one = checked.append, self._one
        for record in chunk:
            try:
                append(one(record))
            except RowError as error:
                tally.reject(record[0], error.code)
        return self._in_jurisdiction(checked, tally)

    def check_visits(
        self, first_line: int, chunk: Sequence[tuple[int, int, datetime]], tally: Tally
    ) -> list[repository.StagedVisit]:
        """Visits as (venue id, person id, UTC instant), numbered from ``first_line``."""
        checked: list[tuple[int, int, int, datetime]] = []
        append, now = checked.append, self.now
        for line, (venue, person, at) in enumerate(chunk, start=first_line):
            if at > now:
                tally.reject(line, "scan.time_in_future")
            else:
                append((line, venue, person, at))
        return self._in_jurisdiction(checked, tally)

    def _in_jurisdiction(
        self, checked: Sequence[tuple[Any, ...]], tally: Tally
    ) -> list[tuple[Any, ...]]:
        """The staged rows of the checked ones whose venue the actor may record visits of:
        (line, venue id, region code, the rest of the checked row)."""
        regions = self._regions({row[1] for row in checked})
        staged = []
        for row in checked:
            region = regions[row[1]]
            if region is None:
                tally.reject(row[0], "scan.venue_unknown")
            else:
                staged.append((row[0], row[1], region, *row[2:]))
        return staged

    def _one(self, record: Record) -> Checked:
        line, fields = record
        if fields is None:
            raise RowError("scan.bulk_malformed")
        place_code, venue_id, id_number, person_id, scanned_at, temp, mask, device = fields
        number = _text(id_number)
        if number:
            id_hash: str | None = self.hashes.get(number) or self._hash(number)
            person: int | None = None
        else:
            id_hash, person = None, _int(person_id)
            if person is None:
                raise RowError("scan.person_missing")
        at = _instant(scanned_at)
        if at > self.now:
            raise RowError("scan.time_in_future")
        token = _text(place_code)
        if token:
            venue = self.tokens[token] if token in self.tokens else self._token(token)
            if venue is None:
                raise RowError("scan.venue_unknown")
        else:
            venue = _int(venue_id)
            if venue is None:
                raise RowError("scan.venue_missing")
        return (line, venue, person, id_hash, at, _temperature(temp), _flag(mask),
                _text(device))  # fmt: skip

    def _hash(self, number: str) -> str:
        if len(self.hashes) >= MAX_CACHED:
            self.hashes.clear()
        digest = self.protector.id_hash(RESIDENT_ID, idcard.normalize(number).upper())
        self.hashes[number] = digest
        return digest

    def _token(self, token: str) -> int | None:
        parsed = placecode.parse(self.settings, token)
        venue = None if parsed is None else parsed[0]
        self.tokens[token] = venue
        return venue

    def _regions(self, ids: set[int]) -> dict[int, str | None]:
        missing = ids - self.regions.keys()
        if missing:
            found = repository.venues_by_id(self.session, missing)
            for venue_id in missing:
                region = found.get(venue_id, (None, None))[0]
                visible = region is not None and self.actor.covers(region)
                self.regions[venue_id] = region if visible else None
        return self.regions


def id_number_hash(settings: Settings, number: str) -> str:
    """The keyed hash a resident ID number is looked up by (people's ``id_number_hash``)."""
    protector = _protector_for(settings.data_key_bytes)
    return protector.id_hash(RESIDENT_ID, idcard.normalize(number).upper())


@functools.lru_cache(maxsize=4)
def _protector_for(key: bytes) -> Protector:
    return Protector(key)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if value.__class__ is not str:
        if not isinstance(value, str | int):
            raise RowError("scan.bulk_field")
        value = str(value)
    text: str = value.strip()
    if len(text) > 64 or "\x00" in text:
        raise RowError("scan.bulk_field")
    return text or None


def _int(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise RowError("scan.bulk_field")
    return int(text)


_parse_instant: Callable[[str], datetime] = datetime.fromisoformat


def _instant(value: Any) -> datetime:
    if value.__class__ is not str:
        raise RowError("scan.time_invalid")
    try:
        parsed = _parse_instant(value.strip())
    except ValueError as exc:
        raise RowError("scan.time_invalid") from exc
    if parsed.tzinfo is None:
        raise RowError("scan.time_invalid")
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)


def _temperature(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError("scan.bulk_field")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise RowError("scan.bulk_field") from exc
    if not MIN_CELSIUS <= number <= MAX_CELSIUS:  # NaN fails this too
        raise RowError("scan.temperature_out_of_range")
    return number


_FLAGS = {
    spelling: flag
    for word, flag in (("true", True), ("1", True), ("yes", True), ("false", False),
                       ("0", False), ("no", False))
    for spelling in (word, word.capitalize(), word.upper())
}  # fmt: skip


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if value.__class__ is bool:
        return bool(value)
    flag = _FLAGS.get(value) if value.__class__ is str else None
    if flag is None:
        flag = _FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise RowError("scan.bulk_field")
    return flag
