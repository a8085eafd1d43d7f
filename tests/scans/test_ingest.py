"""Bulk ingest (CSV and NDJSON, API and service): a reason per rejected row with its line
number, valid rows in, a re-send changes nothing, a bad file writes nothing."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import auth_headers, make_user
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models.scan import Scan
from fangkong.scans import ingest
from scans.world import World

BULK = "/api/v1/scans/bulk"


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scan)) or 0


def ndjson(world: World) -> str:
    at = (clock.now() - timedelta(hours=1)).isoformat()
    later = (clock.now() + timedelta(hours=1)).isoformat()
    lines = [
        {"place_code": world.tokens["红旗超市"], "id_number": world.green_id, "scanned_at": at,
         "temperature": 36.6, "mask": True, "device": "pda-1"},
        {"venue_id": world.hospital.id, "person_id": world.red.id, "scanned_at": at},
        "{not json",
        {"venue_id": 999_999, "person_id": world.red.id, "scanned_at": at},
        {"venue_id": world.shop.id, "person_id": 999_999, "scanned_at": at},
        {"venue_id": world.shop.id, "person_id": world.red.id, "scanned_at": later},
        {"venue_id": world.shop.id, "person_id": world.red.id, "scanned_at": at,
         "temperature": 50},
        {"place_code": world.tokens["红旗超市"], "id_number": world.green_id, "scanned_at": at},
        {"venue_id": world.shop.id, "person_id": world.red.id, "scanned_at": "2024-01-01 10:00"},
    ]  # fmt: skip
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"


EXPECTED_REJECTIONS = [
    (3, "scan.bulk_malformed"),
    (4, "scan.venue_unknown"),
    (5, "scan.person_unknown"),
    (6, "scan.time_in_future"),
    (7, "scan.temperature_out_of_range"),
    (8, "scan.duplicate_in_file"),
    (9, "scan.time_invalid"),
]


def test_ndjson_reasons_per_line_and_idempotent_resend(
    session: Session, settings: Settings, world: World
) -> None:
    text = ndjson(world)
    report = ingest.ingest(session, settings, actor=SYSTEM, stream=io.StringIO(text),
                           fmt="ndjson", now=clock.now())  # fmt: skip
    assert (report.accepted, report.duplicates, report.rejected) == (2, 0, 7)
    assert [(r.line, r.code) for r in report.rejected_rows] == EXPECTED_REJECTIONS
    row = session.scalars(select(Scan).where(Scan.person_id == world.green.id)).one()
    assert (row.venue_id, row.temperature, row.mask, row.device, row.source) == (
        world.shop.id, 36.6, True, "pda-1", "bulk")  # fmt: skip
    again = ingest.ingest(session, settings, actor=SYSTEM, stream=io.StringIO(text),
                          fmt="ndjson", now=clock.now())  # fmt: skip
    assert (again.accepted, again.duplicates, again.rejected) == (0, 2, 7)
    assert count(session) == 2


def test_csv_through_the_api(app_client: TestClient, session: Session, world: World) -> None:
    at = (clock.now() - timedelta(minutes=5)).isoformat()
    content = (
        "place_code,id_number,scanned_at,temperature,mask,device\n"
        f"{world.tokens['红旗超市']},{world.green_id},{at},36.5,1,pda\n"
        f"{world.tokens['红旗超市']},230102199001011234,{at},,,\n"
    )
    files = {"file": ("scans.csv", content.encode(), "text/csv")}
    answer = app_client.post(BULK, files=files, headers=world.officer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (1, 0, 1)
    assert body["rejected_rows"][0] == {
        "line": 3, "code": "scan.person_unknown", "message": body["rejected_rows"][0]["message"]}  # fmt: skip
    again = app_client.post(BULK, files=files, headers=world.officer).json()
    assert (again["accepted"], again["duplicates"]) == (0, 1)
    assert count(session) == 1


def test_venue_outside_the_jurisdiction_is_unknown(
    app_client: TestClient, session: Session, world: World
) -> None:
    at = (clock.now() - timedelta(minutes=5)).isoformat()
    line = json.dumps({"venue_id": world.far_shop.id, "person_id": world.green.id,
                       "scanned_at": at})  # fmt: skip
    files = {"file": ("scans.ndjson", line.encode(), "application/x-ndjson")}
    body = app_client.post(BULK, files=files, headers=world.officer).json()
    assert [r["code"] for r in body["rejected_rows"]] == ["scan.venue_unknown"]
    assert count(session) == 0


def test_csv_without_the_needed_columns_writes_nothing(
    app_client: TestClient, session: Session, world: World
) -> None:
    files = {"file": ("scans.csv", b"venue,who\n1,2\n", "text/csv")}
    answer = app_client.post(BULK, files=files, headers=world.officer)
    assert answer.status_code == 422
    assert answer.json()["code"] == "scan.bulk_columns"
    assert count(session) == 0


def test_unknown_format_is_refused(app_client: TestClient, world: World) -> None:
    files = {"file": ("scans.xml", b"<scans/>", "application/xml")}
    answer = app_client.post(BULK, files=files, headers=world.officer)
    assert answer.status_code == 422
    assert answer.json()["code"] == "scan.bulk_format"


def test_bulk_needs_the_ingest_permission(
    app_client: TestClient, session: Session, settings: Settings, world: World
) -> None:
    files = {"file": ("scans.csv", b"venue_id,person_id,scanned_at\n", "text/csv")}
    headers = auth_headers(settings, world.operator)
    assert app_client.post(BULK, files=files, headers=headers).status_code == 403
    grid = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    answer = app_client.post(BULK, files=files, headers=auth_headers(settings, grid))
    assert answer.status_code in (200, 403)


def test_repeats_across_batches_forged_codes_and_ragged_csv_rows(
    session: Session, settings: Settings, world: World, monkeypatch
) -> None:
    """Batches of 2 rows: a visit repeated in a later batch, by person id instead of the ID
    number, is still the file's duplicate; a forged code is refused each time it appears (it
    is checked once); short rows read as empty fields, extra cells and blank lines are
    ignored; a header with spaces is understood."""
    monkeypatch.setattr(ingest, "BATCH", 2)
    at = (clock.now() - timedelta(hours=2)).isoformat()
    later = (clock.now() - timedelta(hours=1)).isoformat()
    code = world.tokens["红旗超市"]
    forged = code[:-2] + ("AA" if not code.endswith("AA") else "BB")
    lines = [
        " place_code , id_number,person_id,scanned_at,temperature,mask,device",
        f"{code},{world.green_id.lower()},,{at},36.5,True,pda-1",  # 2: accepted (x folded)
        f"{forged},{world.green_id},,{at}",  # 3: forged code
        "",  # 4: blank
        f"{code},,{world.red.id},{at},,,,extra,cells",  # 5: accepted, extra cells ignored
        f"{code},,{world.green.id},{at}",  # 6: same visit as line 2, another batch
        f"{forged},,{world.red.id},{later}",  # 7: the forged code again
        f"{code},{world.green_id},,{later},37,FALSE",  # 8: accepted
        f"{code},,{world.red.id}",  # 9: short row, no scanned_at
    ]
    report = ingest.ingest(session, settings, actor=SYSTEM, stream=io.StringIO("\n".join(lines)),
                           fmt="csv", now=clock.now())  # fmt: skip
    assert (report.accepted, report.duplicates, report.rejected) == (3, 0, 4)
    assert [(r.line, r.code) for r in report.rejected_rows] == [
        (3, "scan.venue_unknown"), (6, "scan.duplicate_in_file"), (7, "scan.venue_unknown"),
        (9, "scan.time_invalid")]  # fmt: skip
    rows = session.scalars(select(Scan).order_by(Scan.scanned_at, Scan.person_id)).all()
    assert [(r.person_id, r.mask, r.device) for r in rows] == [
        (world.green.id, True, "pda-1"), (world.red.id, None, None),
        (world.green.id, False, None)]  # fmt: skip


def test_every_rejection_is_counted_and_the_first_ones_listed_by_line(
    session: Session, settings: Settings, world: World, monkeypatch
) -> None:
    """Rows refused while reading (bad temperature) and while resolving (unknown person)
    interleave: the list holds the first ``MAX_LISTED`` by line, the count all of them."""
    monkeypatch.setattr(ingest, "MAX_LISTED", 3)
    at = (clock.now() - timedelta(hours=1)).isoformat()
    lines = ["venue_id,person_id,scanned_at,temperature"]
    for n in range(6):
        person = 999_000 + n if n % 2 else world.red.id
        lines.append(f"{world.shop.id},{person},{at},{'60' if n % 2 == 0 else ''}")
    report = ingest.ingest(session, settings, actor=SYSTEM, stream=io.StringIO("\n".join(lines)),
                           fmt="csv", now=clock.now())  # fmt: skip
    assert (report.accepted, report.rejected) == (0, 6)
    assert [(r.line, r.code) for r in report.rejected_rows] == [
        (2, "scan.temperature_out_of_range"), (3, "scan.person_unknown"),
        (4, "scan.temperature_out_of_range")]  # fmt: skip
    assert count(session) == 0


def test_visits_in_columns_are_checked_and_stored_as_a_files_rows(
    session: Session, settings: Settings, world: World
) -> None:
    """The columnar entry refuses what a file's rows would be refused for, with the line a
    file would give (its header being line 1), and stores the rest once."""
    officer = Principal(id=None, username="officer", role="district_officer",
                        region_code="230102")  # fmt: skip
    at = clock.now() - timedelta(hours=1)
    visits = [
        (world.shop.id, world.green.id, at),
        (world.hospital.id, world.red.id, at),
        (world.far_shop.id, world.red.id, at),  # line 4: outside the officer's district
        (world.shop.id, 999_999, at),  # line 5: nobody
        (world.shop.id, world.red.id, clock.now() + timedelta(hours=1)),  # line 6: future
        (world.shop.id, world.green.id, at),  # line 7: line 2 again
    ]
    columns = tuple(list(column) for column in zip(*visits, strict=True))
    report = ingest.ingest_visits(session, settings, actor=officer, visits=columns,
                                  now=clock.now())  # fmt: skip
    assert (report.accepted, report.duplicates, report.rejected) == (2, 0, 4)
    assert [(r.line, r.code) for r in report.rejected_rows] == [
        (4, "scan.venue_unknown"), (5, "scan.person_unknown"), (6, "scan.time_in_future"),
        (7, "scan.duplicate_in_file")]  # fmt: skip
    stored = session.execute(select(Scan.venue_id, Scan.person_id, Scan.source)).all()
    assert sorted(stored) == sorted([(world.shop.id, world.green.id, "bulk"),
                                     (world.hospital.id, world.red.id, "bulk")])  # fmt: skip
    again = ingest.ingest_visits(session, settings, actor=officer, visits=columns,
                                 now=clock.now())  # fmt: skip
    assert (again.accepted, again.duplicates) == (0, 2)
    assert count(session) == 2


def test_a_feed_of_new_visits_counts_its_unknown_people_alone(
    session: Session, settings: Settings, world: World
) -> None:
    """Every visit new (the move skipped none): each is accepted, the one whose person is
    unknown is the only row refused, by its line; a second feed of other instants the same."""
    at = clock.now() - timedelta(hours=3)
    for shift in (0, 1):
        visits = [
            (world.shop.id, world.green.id, at + timedelta(minutes=shift)),
            (world.shop.id, 999_999, at),  # line 3: nobody
            (world.hospital.id, world.green.id, at + timedelta(minutes=shift)),
            (world.shop.id, world.red.id, at + timedelta(minutes=shift)),
        ]
        columns = tuple(list(column) for column in zip(*visits, strict=True))
        report = ingest.ingest_visits(session, settings, actor=SYSTEM, visits=columns,
                                      now=clock.now())  # fmt: skip
        assert (report.accepted, report.duplicates, report.rejected) == (3, 0, 1)
        assert [(r.line, r.code) for r in report.rejected_rows] == [(3, "scan.person_unknown")]
    assert count(session) == 6
