"""Scans in the generic harness: per district a venue with a scan of a resident (its device
names the district); the bad inputs of the scan issue that answer 4xx. The citizen's own
check-in (``POST /api/v1/scans``) takes a citizen session, never a staff token."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from factories import resident_id
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.scan import Scan
from fangkong.people import idcard
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import VenueType
from fangkong.venues import placecode
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate
from harness.registry import BadInput, BulkPath, District, Domain, Ids, Seeded, register
from people.harness import _prepare as prepare_people_grids
from people.harness import write_people

ENTRY = "/api/v1/entry-check"
SCANS = "/api/v1/scans"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe", role="district_officer", region_code=district.code)
    venue = venues.create_venue(session, actor=actor, data=VenueCreate(
        name=f"{district.tag}扫码店", type=VenueType.SHOP, region_code=district.grid,
        address=f"{district.tag}扫码路1号"))  # fmt: skip
    number = resident_id(int(district.code) % 1000 + 300, region=district.code)
    person, _ = people.create_person(session, actor=actor,
                                     protector=Protector(settings.data_key_bytes),
                                     data=PersonCreate(name=f"{district.tag}扫码人",
                                                       id_number=number,
                                                       grid_code=district.grid))  # fmt: skip
    device = f"扫码机{district.tag}"
    session.add(Scan(venue_id=venue.id, person_id=person.id, region_code=district.grid,
                     scanned_at=clock.now() - timedelta(hours=1), temperature=36.5, mask=True,
                     decision="allow", colour="green", reasons=[], override=False,
                     source="door", device=device))  # fmt: skip
    session.flush()
    token = placecode.token_for(settings, venue.id, venue.place_code_version)
    return Seeded(
        ids={"place_code": token, "scan_id_number": number, "scan_person": str(person.id)},
        markers=(device,),
    )


def _entry_at(ids: Ids) -> dict[str, Any]:
    return {"json": {"place_code": ids["place_code"], "id_number": ids["scan_id_number"]}}


def _checkin_at(ids: Ids) -> dict[str, Any]:
    return {"json": {"place_code": ids["place_code"]}}


def _bulk_into(ids: Ids) -> dict[str, Any]:
    at = (clock.now() - timedelta(minutes=5)).isoformat()
    content = f"place_code,id_number,scanned_at\n{ids['place_code']},{ids['scan_id_number']},{at}\n"
    return {"files": {"file": ("scans.csv", content.encode(), "text/csv")}}


def _columns_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("scans.csv", b"who,where\n1,2\n", "text/csv")}


def _format_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("scans.xml", b"<scans/>", "application/xml")}


def _entry(**overrides: Any) -> dict[str, Any]:
    return {"place_code": "{place_code}", "id_number": "{scan_id_number}"} | overrides


BAD_INPUTS = (
    BadInput("a temperature below 30 °C", "post", ENTRY, 422, "scan.temperature_out_of_range",
             json=_entry(temperature=29.5)),
    BadInput("a temperature above 45 °C", "post", ENTRY, 422, "scan.temperature_out_of_range",
             json=_entry(temperature=45.5)),
    BadInput("a forged place code", "post", ENTRY, 404, "venue.place_code_invalid",
             json=_entry(place_code="1.1.AAAAAAAAAAAAAAAAAAAAAA")),
    BadInput("a forged personal code", "post", ENTRY, 400, "health_code.qr_invalid",
             json={"place_code": "{place_code}", "personal_code": "bm90IGEgY29kZQ"}),
    BadInput("an unknown ID number", "post", ENTRY, 404, "scan.person_unknown",
             json=_entry(id_number="230102199001011234")),
    BadInput("both a personal code and an ID number", "post", ENTRY, 422,
             "scan.person_required", json=_entry(personal_code="x")),
    BadInput("a scan file without the needed columns", "post", SCANS + "/bulk", 422,
             "scan.bulk_columns", files=_columns_file),
    BadInput("a scan file neither CSV nor NDJSON", "post", SCANS + "/bulk", 422,
             "scan.bulk_format", files=_format_file),
)  # fmt: skip


# --- the ingest as a bulk path ---------------------------------------------------------

BULK_PEOPLE = 200
BULK_START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _bulk_numbers() -> list[str]:
    """The ID numbers ``people.harness.write_people`` gives its first residents (same seed)."""
    rng = random.Random(5)
    return [
        idcard.synthesize(rng, region_code="230102", birth_date=date(1940, 1, 1) + timedelta(days=i),
                          sex="1")
        for i in range(BULK_PEOPLE)
    ]  # fmt: skip


def write_scans(path: Path, rows: int) -> None:
    """``rows`` scans at the first venue of the people, a second apart, as NDJSON."""
    numbers = _bulk_numbers()
    with path.open("w", encoding="utf-8") as stream:
        for index in range(rows):
            at = (BULK_START + timedelta(seconds=index)).isoformat()
            record = {"venue_id": 1, "id_number": numbers[index % BULK_PEOPLE], "scanned_at": at,
                      "temperature": 36.5, "mask": index % 2 == 0}  # fmt: skip
            stream.write(json.dumps(record) + "\n")


def _prepare(work: Path) -> list[tuple[str, ...]]:
    commands = prepare_people_grids(work)
    people_file, venues_file = work / "people.csv", work / "venues.csv"
    write_people(people_file, BULK_PEOPLE)
    venues_file.write_text("名称,类型,区划代码,地址\n扫码批量店,超市,230102001002003,一号\n",
                           encoding="utf-8")  # fmt: skip
    return [*commands, ("people", "import", str(people_file)),
            ("venues", "import", str(venues_file))]  # fmt: skip


def _snapshot(connection: Connection) -> list[tuple[Any, ...]]:
    query = select(Scan.venue_id, Scan.person_id, Scan.scanned_at, Scan.mask).order_by(
        Scan.scanned_at, Scan.person_id
    )
    return [tuple(row) for row in connection.execute(query)]


register(
    Domain(
        name="scans",
        prefixes=(ENTRY, SCANS),
        seed=seed,
        order=60,
        id_names={"scan_person": "scan_person"},
        requests={
            f"POST {ENTRY}": _entry_at,
            f"POST {SCANS}": _checkin_at,
            f"POST {SCANS}/bulk": _bulk_into,
        },
        bad_inputs=BAD_INPUTS,
        bulk_paths=(
            BulkPath(
                name="scans ingest",
                write_file=write_scans,
                prepare=_prepare,
                command=lambda file: ("scans", "ingest", str(file), "--format", "ndjson"),
                snapshot=_snapshot,
            ),
        ),
    )
)
