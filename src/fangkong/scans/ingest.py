"""Bulk ingest of scans (CSV or NDJSON) from offline scanners and partner systems.

The file is read as a stream, in batches of ``BATCH`` rows: each batch's venues and people are
resolved with one query each (``IN`` lists), the rows are checked, and the valid ones are
inserted with one executemany that skips a visit already stored (``ON CONFLICT DO NOTHING`` on
venue, person and instant), so sending a file again changes nothing. Rows skip the ORM: plain
dicts into a Core insert. Every rejected row gets its line number and a stable reason code.

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
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Literal

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.scans import repository
from fangkong.scans.errors import BulkColumnsMissing, BulkFormatUnknown
from fangkong.scans.schemas import MAX_CELSIUS, MIN_CELSIUS, IngestReport, RejectedRow
from fangkong.venues import placecode

BATCH = 10_000
MAX_LISTED = 1_000  # rejected rows listed in the answer; all are counted
Format = Literal["csv", "ndjson"]
RESIDENT_ID = "resident_id"

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


class RowError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(slots=True)
class Candidate:
    line: int
    venue_id: int
    person_id: int | None
    id_hash: str | None
    scanned_at: datetime
    temperature: float | None
    mask: bool | None
    device: str | None


@dataclass
class Tally:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rows: list[RejectedRow] = field(default_factory=list)
    seen: set[tuple[int, int, datetime]] = field(default_factory=set)

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
    batch_id = uuid.uuid4().hex
    resolver = _Resolver(session, settings, actor)
    tally = Tally()
    records = _csv_records(stream) if fmt == "csv" else _ndjson_records(stream)
    for chunk in _chunks(records, BATCH):
        candidates = _parse_chunk(chunk, settings, now, tally)
        _store(session, resolver, candidates=candidates, tally=tally, batch_id=batch_id, now=now)
    report = IngestReport(
        accepted=tally.accepted,
        duplicates=tally.duplicates,
        rejected=tally.rejected,
        rejected_rows=sorted(tally.rows, key=lambda row: row.line),
        batch=batch_id,
    )
    counts = {"inserted": tally.accepted, "rows": tally.accepted + tally.duplicates,
              "rejected": tally.rejected}  # fmt: skip
    audit.record(session, actor=actor, action="ingest", object_type="scan_batch",
                 object_id=batch_id, region_code=actor.region_code, after=counts)  # fmt: skip
    session.flush()
    return report


def _chunks(records: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _csv_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(stream)
    fields = {name.strip() for name in reader.fieldnames or ()}
    if not (fields & {"place_code", "venue_id"} and fields & {"id_number", "person_id"}
            and "scanned_at" in fields):  # fmt: skip
        raise BulkColumnsMissing()
    for record in reader:
        yield reader.line_num, {k.strip(): v for k, v in record.items() if k is not None}


def _ndjson_records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    for line, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            yield line, json.loads(text)
        except ValueError:
            yield line, None


def _parse_chunk(
    chunk: list[tuple[int, Any]], settings: Settings, now: datetime, tally: Tally
) -> list[Candidate]:
    candidates = []
    for line, record in chunk:
        try:
            candidates.append(_candidate(line, record, settings, now))
        except RowError as error:
            tally.reject(line, error.code)
    return candidates


def _candidate(line: int, record: Any, settings: Settings, now: datetime) -> Candidate:
    if not isinstance(record, dict):
        raise RowError("scan.bulk_malformed")
    person_id, id_hash = _person_ref(record, settings)
    scanned_at = _instant(record.get("scanned_at"))
    if scanned_at > now:
        raise RowError("scan.time_in_future")
    return Candidate(line, _venue_ref(record, settings), person_id, id_hash, scanned_at,
                     _temperature(record.get("temperature")), _flag(record.get("mask")),
                     _text(record.get("device")))  # fmt: skip


def _venue_ref(record: dict[str, Any], settings: Settings) -> int:
    token = _text(record.get("place_code"))
    if token:
        parsed = placecode.parse(settings, token)
        if parsed is None:
            raise RowError("scan.venue_unknown")
        return parsed[0]
    venue_id = _int(record.get("venue_id"))
    if venue_id is None:
        raise RowError("scan.venue_missing")
    return venue_id


def _person_ref(record: dict[str, Any], settings: Settings) -> tuple[int | None, str | None]:
    number = _text(record.get("id_number"))
    if number:
        return None, id_number_hash(settings, number)
    person_id = _int(record.get("person_id"))
    if person_id is None:
        raise RowError("scan.person_missing")
    return person_id, None


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
    if not isinstance(value, str | int):
        raise RowError("scan.bulk_field")
    text = str(value).strip()
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


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise RowError("scan.time_invalid")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise RowError("scan.time_invalid") from exc
    if parsed.tzinfo is None:
        raise RowError("scan.time_invalid")
    return parsed.astimezone(UTC)


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


_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    flag = _FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise RowError("scan.bulk_field")
    return flag


class _Resolver:
    """Venues (inside the actor's jurisdiction) and people of a batch, one query each."""

    def __init__(self, session: Session, settings: Settings, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.venues: dict[int, str | None] = {}  # id → region code, None when refused

    def venue_regions(self, ids: set[int]) -> dict[int, str | None]:
        missing = ids - self.venues.keys()
        found = repository.venues_by_id(self.session, missing)
        for venue_id in missing:
            region = found.get(venue_id, (None, None))[0]
            visible = region is not None and self.actor.covers(region)
            self.venues[venue_id] = region if visible else None
        return self.venues

    def people(self, candidates: list[Candidate]) -> tuple[dict[str, int], set[int]]:
        hashes = {c.id_hash for c in candidates if c.id_hash is not None}
        ids = {c.person_id for c in candidates if c.person_id is not None}
        return repository.people_by_hash(self.session, hashes), repository.people_by_id(
            self.session, ids
        )


def _store(
    session: Session,
    resolver: _Resolver,
    *,
    candidates: list[Candidate],
    tally: Tally,
    batch_id: str,
    now: datetime,
) -> None:
    regions = resolver.venue_regions({c.venue_id for c in candidates})
    by_hash, known_ids = resolver.people(candidates)
    rows = []
    for candidate in candidates:
        row = _row(candidate, regions=regions, by_hash=by_hash, known_ids=known_ids, tally=tally,
                   batch_id=batch_id, now=now)  # fmt: skip
        if row is not None:
            rows.append(row)
    inserted = repository.insert_many(session, rows)
    tally.accepted += inserted
    tally.duplicates += len(rows) - inserted


def _row(
    candidate: Candidate,
    *,
    regions: dict[int, str | None],
    by_hash: dict[str, int],
    known_ids: set[int],
    tally: Tally,
    batch_id: str,
    now: datetime,
) -> dict[str, Any] | None:
    region = regions.get(candidate.venue_id)
    if region is None:
        tally.reject(candidate.line, "scan.venue_unknown")
        return None
    if candidate.id_hash is not None:
        person_id = by_hash.get(candidate.id_hash)
    else:
        person_id = candidate.person_id if candidate.person_id in known_ids else None
    if person_id is None:
        tally.reject(candidate.line, "scan.person_unknown")
        return None
    key = (candidate.venue_id, person_id, candidate.scanned_at)
    if key in tally.seen:
        tally.reject(candidate.line, "scan.duplicate_in_file")
        return None
    tally.seen.add(key)
    return {
        "venue_id": candidate.venue_id, "person_id": person_id, "region_code": region,
        "scanned_at": candidate.scanned_at, "temperature": candidate.temperature,
        "mask": candidate.mask, "decision": "allow", "colour": "unknown", "reasons": [],
        "override": False, "source": "bulk", "device": candidate.device, "batch": batch_id,
        "created_at": now,
    }  # fmt: skip
