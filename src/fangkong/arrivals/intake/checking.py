"""A pushed list's rows checked and sealed, without the database: what a second process can do
while this one writes (``core.offload``). The fields a look-up fills (the person, the grade
of the origin) are set later, by ``importer.find_people`` and ``importer.grade_origins``.

Each row is checked alone (identity, origin, dates, transport; a row repeating an earlier
one's person and arrival is refused), then the valid rows of a chunk are sealed: the keyed
hashes that find their person, the AES-GCM ciphertexts and the masked forms that are stored.
A ``Checked`` chunk crosses the pipe as one tuple per row (pickling a dataclass row by its
``__dict__`` writes every field name again for every row).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Generator, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

from fangkong.arrivals import places
from fangkong.arrivals.intake import identity
from fangkong.arrivals.intake.trips import FUTURE_SKEW as _SKEW
from fangkong.arrivals.riskareas.matching import Match
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.iterables import batched
from fangkong.core.masking import mask_id_number, mask_phone
from fangkong.people.protect import Protector

CHUNK = 5_000
TRANSPORT = {"car": "car", "自驾": "car", "汽车": "car", "私家车": "car", "train": "train",
             "火车": "train", "高铁": "train", "plane": "plane", "飞机": "plane",
             "航班": "plane", "coach": "coach", "大巴": "coach", "客车": "coach",
             "ship": "ship", "船": "ship", "轮船": "ship", "other": "other",
             "其他": "other"}  # fmt: skip
_LOCAL = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
Rows = Iterable[tuple[int, dict[str, str]]]


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Row:
    """A checked row, shaped like a report for ``trips.attach`` (which sets ``trip_id``)."""

    line: int
    id_number: str | None
    phone: str | None
    name: str | None
    origin_province: str
    origin_city: str
    origin_district: str
    origin_code: str
    origin_area: str
    departed_on: date | None
    arrived_at: datetime
    transport: str | None
    transport_no: str | None
    channel: str = "pushed"
    person_id: int | None = None
    trip_id: int | None = None
    region_code: str = ""
    # sealed (``seal``): keyed hashes, AES-GCM ciphertexts and masked forms
    id_hash: str | None = None
    phone_hash: str | None = None
    id_enc: bytes | None = None
    phone_enc: bytes | None = None
    id_masked: str | None = None
    phone_masked: str | None = None
    # looked up (``importer.find_people``; in the child when it reads the database itself):
    # the person's grid and name, and the origin's grade over the travel days
    looked_up: bool = False
    person_grid: str | None = None
    person_name: str | None = None
    match: Match | None = None


def _arrived_at(text: str) -> datetime:
    value = text.strip().replace("/", "-")
    try:
        if _LOCAL.match(value):
            at = datetime.fromisoformat(value.replace(" ", "T"))
        else:
            at = datetime.fromisoformat(value)
    except ValueError:
        raise Refused("arrival.arrived_at_invalid") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=clock.LOCAL_TZ)
    return at.astimezone(UTC)


def _departed_on(text: str) -> date | None:
    value = text.strip().replace("/", "-")
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 8 else date.fromisoformat(value)
    except ValueError:
        raise Refused("arrival.departed_on_invalid") from None


def _short(value: str, limit: int) -> str:
    if len(value) > limit:
        raise Refused("arrival.too_long")
    return value


@dataclass
class Checker:
    now: datetime
    today: date
    seen: set[tuple[str, datetime]] = field(default_factory=set)

    def check(self, line: int, raw: dict[str, str]) -> Row:
        id_number = raw.get("id_number", "").strip() or None
        phone = raw.get("phone", "").strip() or None
        if not id_number and not phone:
            raise Refused("arrival.identity_missing")
        id_number = self._id(id_number)
        phone = self._phone(phone)
        place = places.find(raw.get("origin_province", ""), raw.get("origin_city", ""),
                            raw.get("origin_district", ""))  # fmt: skip
        if place is None:
            raise Refused("arrival.unknown_origin")
        arrived_at = _arrived_at(raw.get("arrived_at", ""))
        departed_on = _departed_on(raw.get("departed_on", ""))
        self._dates(departed_on, arrived_at)
        key = (id_number or f"phone:{phone}", arrived_at)
        if key in self.seen:
            raise Refused("arrival.duplicate_in_file")
        self.seen.add(key)
        return Row(
            line=line, id_number=id_number, phone=phone,
            name=_short(raw.get("name", "").strip(), 50) or None,
            origin_province=place.province, origin_city=place.city,
            origin_district=place.district, origin_code=place.code,
            origin_area=_short(raw.get("origin_area", "").strip(), 200),
            departed_on=departed_on, arrived_at=arrived_at,
            transport=self._transport(raw.get("transport", "")),
            transport_no=_short(raw.get("transport_no", "").strip(), 20) or None,
        )  # fmt: skip

    def _id(self, number: str | None) -> str | None:
        if number is None:
            return None
        try:
            return identity.checked_id(number, self.today)
        except DomainError:
            raise Refused("arrival.bad_id_number") from None

    @staticmethod
    def _phone(phone: str | None) -> str | None:
        if phone is None:
            return None
        try:
            return identity.checked_phone(phone)
        except DomainError:
            raise Refused("arrival.bad_phone") from None

    def _dates(self, departed_on: date | None, arrived_at: datetime) -> None:
        if arrived_at > self.now + _SKEW:
            raise Refused("arrival.arrived_in_future")
        if departed_on and departed_on > arrived_at.astimezone(clock.LOCAL_TZ).date():
            raise Refused("arrival.dates_order")

    @staticmethod
    def _transport(text: str) -> str | None:
        value = text.strip().lower()
        if not value:
            return None
        if value not in TRANSPORT:
            raise Refused("arrival.transport_invalid")
        return TRANSPORT[value]


@dataclass
class Checked:
    """One chunk of a list: how many rows it had, its valid rows (sealed), its refused lines
    with their reasons (in line order), and how many of its lines an earlier import of the
    same file stored (skipped)."""

    size: int
    rows: list[Row]
    refused: list[tuple[int, str]]
    stored: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        rows = [_ROW_VALUES(row) for row in self.rows]
        matches = [_MATCH_VALUES(row.match) if row.match is not None else None
                   for row in self.rows]  # fmt: skip
        return (_unpacked, (self.size, rows, matches, self.refused, self.stored))


_ROW_VALUES = attrgetter(*(f.name for f in fields(Row) if f.name != "match"))
if fields(Row)[-1].name != "match":  # ``_unpacked`` gives the other fields by position
    raise TypeError("Row.match must stay the last field")
_MATCH_VALUES = attrgetter("grade", "affected_county", "area_ids")


def _unpacked(
    size: int,
    rows: list[tuple[Any, ...]],
    matches: list[tuple[Any, ...] | None],
    refused: list[tuple[int, str]],
    stored: int,
) -> Checked:
    """A chunk rebuilt; a chunk's rows share a few grades, so each distinct one is made once
    (a ``Match`` is frozen) rather than unpickled object by object."""
    made: dict[tuple[Any, ...], Match] = {}
    shared = [None if m is None else made.get(m) or made.setdefault(m, Match(*m)) for m in matches]
    made_rows = [Row(*(*values, match)) for values, match in zip(rows, shared, strict=True)]
    return Checked(size, made_rows, refused, stored)


def checked_chunks(
    rows: Rows, checker: Checker, protect: Protector, *, stored: Collection[int] = ()
) -> Generator[Checked, None, None]:
    """The list's rows, ``CHUNK`` at a time, checked and sealed. A ``stored`` line (written by
    an earlier import of the same file) is only counted; it is still checked, so that its
    person and arrival make a later repeat in the file a duplicate as they did the first
    time."""
    for chunk in batched(rows, CHUNK):
        checked = Checked(len(chunk), [], [])
        for line, raw in chunk:
            verdict = _verdict(checker, line, raw)  # a stored line is checked all the same
            if line in stored:
                checked.stored += 1
            elif isinstance(verdict, Row):
                checked.rows.append(verdict)
            else:
                checked.refused.append((line, verdict))
        seal(checked.rows, protect)
        yield checked


def _verdict(checker: Checker, line: int, raw: dict[str, str]) -> Row | str:
    """The checked row, or the code of its refusal."""
    try:
        return checker.check(line, raw)
    except Refused as refusal:
        return refusal.code


def seal(rows: list[Row], protect: Protector) -> None:
    """Set each row's hashes, ciphertexts and masked forms, and drop the plain ID number and
    phone: nothing after sealing needs them, so they never cross to the writing process."""
    with_id = [row for row in rows if row.id_number]
    with_phone = [row for row in rows if row.phone]
    id_sealed = protect.encrypt_ids([row.id_number or "" for row in with_id])
    for row, sealed in zip(with_id, id_sealed, strict=True):
        number = row.id_number or ""
        row.id_hash = protect.id_hash(identity.ID_TYPE, number)
        row.id_enc, row.id_masked = sealed, mask_id_number(number)
    phone_sealed = protect.encrypt_phones([row.phone or "" for row in with_phone])
    for row, sealed in zip(with_phone, phone_sealed, strict=True):
        phone = row.phone or ""
        row.phone_hash, row.phone_enc, row.phone_masked = (
            protect.phone_hash(phone), sealed, mask_phone(phone))  # fmt: skip
    for row in rows:
        row.id_number = row.phone = None
