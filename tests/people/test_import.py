"""The people import: good rows, every reason a row is refused, refused files, upserts,
XLSX, likely duplicates, households, key groups, counts, the audit row and the template.

Every ID number is synthetic (``idcard.synthesize``); every phone is a 138-0000 style dummy.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from factories import make_region
from fangkong.core.principal import SYSTEM, Principal
from fangkong.core.tabular import MissingColumns, UnknownColumns, UnreadableFile
from fangkong.models import (
    AuditLog,
    DuplicateCandidate,
    GridCounts,
    Household,
    IdType,
    KeyGroup,
    KeyGroupMembership,
    Person,
    PersonStatus,
)
from fangkong.people import idcard, import_worker, importer
from fangkong.people.import_columns import COLUMN_HEADERS
from fangkong.people.import_seen import SeenIds
from fangkong.people.protect import Protector

TODAY = date(2024, 5, 1)
OFFICER = Principal(id=None, username="officer", role="district_officer", region_code="230102")
GRID = "230102001002003"
GRID_2 = "230102001002004"
OTHER_DISTRICT_GRID = "230103001002003"
HEADERS = list(COLUMN_HEADERS.values())


def born_on(seed: int) -> date:
    """A birth date per seed, so that no two seeds draw the same ID number."""
    return date(1980, 1, 1) + timedelta(days=seed)


def resident_id(seed: int, *, sex: str = "1") -> str:
    rng = random.Random(seed)
    return idcard.synthesize(rng, region_code="230102", birth_date=born_on(seed), sex=sex)


def row(seed: int, **values: str) -> dict[str, str]:
    """A valid row (English keys) for a synthetic resident; ``values`` override columns."""
    base = {
        "name": f"测试{seed}",
        "id_number": resident_id(seed),
        "phone": f"138{seed:08d}",
        "address": f"示例街 {seed} 号",
        "grid_code": GRID,
    }
    return base | values


def csv_file(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    """A CSV with the template's Chinese headers for ``columns`` (default: every column)."""
    names = columns or list(COLUMN_HEADERS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([COLUMN_HEADERS[name] for name in names])
    for values in rows:
        writer.writerow([values.get(name, "") for name in names])
    return buffer.getvalue().encode("utf-8-sig")


def upload(session, protector, rows, *, actor=OFFICER, columns=None, filename="people.csv"):
    data = csv_file(rows, columns)
    return importer.import_upload(
        session, actor=actor, protector=protector, filename=filename, data=data, today=TODAY
    )


def person(session: Session, protector: Protector, number: str) -> Person | None:
    session.expire_all()
    key = protector.id_hash(IdType.RESIDENT_ID, number)
    return session.scalars(select(Person).where(Person.id_number_hash == key)).one_or_none()


def people_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def rejected(report) -> list[tuple[int, str]]:
    return [(r.row, r.code) for r in report.rejected]


# --- a good file ----------------------------------------------------------------------


def test_a_good_file_imports_people_households_heads_groups_and_counts(session, grids, protector):
    rows = [
        row(1, household_ref="H1", is_head="是", elderly_alone="是"),
        row(2, household_ref="H1", is_head="否", key_group="快递外卖人员", employer="示例快递"),
        row(3, household_ref="H2", migrant="1", from_abroad="0", key_group="cold_chain"),
        row(4, grid_code=GRID_2, phone="", address=""),
        row(5, id_type="护照", id_number="e1234567", sex="女", birth_date="1985-03-02"),
    ]
    report = upload(session, protector, rows)

    assert (report.inserted, report.updated, report.unchanged, report.rejected) == (5, 0, 0, [])
    first = person(session, protector, rows[0]["id_number"])
    assert first is not None
    assert protector.open_id(first.id_number_enc) == rows[0]["id_number"]
    assert protector.open_phone(first.phone_enc) == "13800000001"
    assert (first.sex, first.birth_date, first.registration_code) == ("1", born_on(1), "230102")
    assert first.id_number_masked == rows[0]["id_number"][:4] + "*" * 10 + rows[0]["id_number"][-4:]
    assert first.phone_masked == "138****0001"
    assert first.elderly_alone and not first.migrant and first.status == PersonStatus.ACTIVE

    h1 = session.scalars(select(Household).where(Household.ref == "H1")).one()
    assert (h1.grid_code, h1.address, h1.head_id) == (GRID, "示例街 1 号", first.id)
    second = person(session, protector, rows[1]["id_number"])
    assert second is not None and second.household_id == h1.id
    no_phone = person(session, protector, rows[3]["id_number"])
    assert no_phone is not None
    assert (no_phone.phone_enc, no_phone.address, no_phone.household_id) == (None, None, None)

    passport_hash = protector.id_hash(IdType.PASSPORT, "E1234567")
    passport = session.scalars(select(Person).where(Person.id_number_hash == passport_hash)).one()
    assert (passport.id_type, passport.sex, passport.birth_date) == (
        IdType.PASSPORT,
        "2",
        date(1985, 3, 2),
    )
    memberships = session.scalars(select(KeyGroupMembership)).all()
    assert sorted((m.group, m.employer, m.start_date) for m in memberships) == [
        (KeyGroup.COLD_CHAIN, None, TODAY),
        (KeyGroup.DELIVERY, "示例快递", TODAY),
    ]

    counts = session.get(GridCounts, GRID)
    assert counts is not None
    assert (counts.residents, counts.households, counts.vulnerable) == (4, 2, 1)
    assert (counts.migrants, counts.arrivals_from_abroad, counts.key_groups) == (1, 0, 2)
    assert session.get(GridCounts, GRID_2).residents == 1


def test_one_audit_row_records_the_run(session, grids, protector):
    report = upload(session, protector, [row(1), row(2), row(3, phone="123")])
    entries = session.scalars(select(AuditLog).where(AuditLog.action == "person.import")).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.object_type, entry.object_id, entry.region_code) == (
        "person_import",
        "people.csv",
        "230102",
    )
    assert entry.actor_name == "officer"
    assert entry.after == {
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "flagged_duplicates": 0,
    }
    assert report.seconds >= 0


# --- every reason a row is refused ------------------------------------------------------


def with_check(first17: str) -> str:
    return first17 + idcard.check_character(first17)


def test_every_rejected_row_has_its_line_and_code(session, grids, protector, monkeypatch):
    elsewhere = resident_id(50)
    upload(session, protector, [row(50, grid_code=OTHER_DISTRICT_GRID)], actor=SYSTEM)
    # Batches of three: repeats and households are found across batches, in the database.
    monkeypatch.setattr(import_worker, "BATCH", 3)
    valid = resident_id(1)
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    female = resident_id(9, sex="2")
    rows = [
        row(1, household_ref="H1"),  # 2: accepted
        row(2, id_number=wrong_check),  # 3
        row(3, id_number=valid[:17]),  # 4
        row(4, id_number=valid[:17] + "Y"),  # 5
        row(5, birth_date="1991-01-01"),  # 6: the number says 1980-01-06
        row(6, sex="男", id_number=female),  # 7
        row(7, phone="12345"),  # 8
        row(8, grid_code="230102001002999"),  # 9
        row(10, grid_code=OTHER_DISTRICT_GRID),  # 10
        row(11, id_number=valid),  # 11: the ID of line 2 again, a later batch
        row(12, household_ref="H1", grid_code=GRID_2),  # 12
        row(13, id_number=elsewhere),  # 13
        row(14, id_type="驾驶证"),  # 14
        row(15, disabled="也许"),  # 15
        row(16, key_group="厨师"),  # 16
        row(17, name=""),  # 17
        row(18, id_type="passport", id_number="E7654321", sex="1", birth_date="1990/01/01"),
        row(19, is_head="是"),  # 19
        row(20, id_type="passport", id_number="E7654322", birth_date="1990-01-01"),  # 20
        row(21, address="长" * 201),  # 21
        row(22),  # 22: accepted
    ]
    report = upload(session, protector, rows)

    assert rejected(report) == [
        (3, "person.id_number_checksum"),
        (4, "person.id_number_length"),
        (5, "person.id_number_format"),
        (6, "person.birth_date_mismatch"),
        (7, "person.sex_mismatch"),
        (8, "person.invalid_phone"),
        (9, "person.unknown_grid"),
        (10, "person.grid_out_of_jurisdiction"),
        (11, "person.duplicate_in_file"),
        (12, "household.grid_mismatch"),
        (13, "person.exists_elsewhere"),
        (14, "person.invalid_id_type"),
        (15, "person.invalid_flag"),
        (16, "person.invalid_key_group"),
        (17, "person.invalid_name"),
        (18, "person.birth_date_format"),
        (19, "household.head_without_ref"),
        (20, "person.sex_required"),
        (21, "person.field_too_long"),
    ]
    assert report.rejected[0].message.startswith("The last character of the resident ID number")
    assert report.rejected[10].message == (
        "A person with this identity document is registered outside your jurisdiction."
    )
    assert (report.inserted, report.updated, report.unchanged) == (2, 0, 0)
    outside = person(session, protector, elsewhere)
    assert outside is not None and outside.grid_code == OTHER_DISTRICT_GRID
    assert outside.name == "测试50"  # not touched by the refused row


def test_the_same_id_twice_in_one_batch_refuses_the_later_row(session, grids, protector):
    number = resident_id(1)
    report = upload(session, protector, [row(1), row(2, id_number=number)])
    assert rejected(report) == [(3, "person.duplicate_in_file")]
    found = person(session, protector, number)
    assert found is not None and found.name == "测试1"


def test_a_merged_record_is_not_changed_by_an_import(session, grids, protector):
    upload(session, protector, [row(1)])
    session.execute(update(Person).values(status=PersonStatus.MERGED))
    report = upload(session, protector, [row(1, address="新地址")])
    assert rejected(report) == [(2, "person.merged")]


# --- files refused as a whole ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "error", "detail"),
    [
        (
            csv_file([row(1)]).replace("姓名".encode(), "名字".encode()),
            "p.csv",
            UnknownColumns,
            "名字",
        ),
        (csv_file([row(1)], ["name", "id_number"]), "p.csv", MissingColumns, "grid_code"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary", "p.csv", UnreadableFile, None),
        (b"PK\x03\x04 not a workbook", "p.xlsx", UnreadableFile, None),
        (b"", "p.csv", UnreadableFile, None),
    ],
)
def test_a_refused_file_writes_nothing(session, grids, protector, content, filename, error, detail):
    with pytest.raises(error) as raised:
        importer.import_upload(
            session,
            actor=OFFICER,
            protector=protector,
            filename=filename,
            data=content,
            today=TODAY,
        )
    assert raised.value.detail == detail
    assert people_count(session) == 0
    assert session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_programmatic_rows_use_english_keys_and_unknown_keys_are_refused(session, grids, protector):
    report = importer.import_rows(
        session, actor=OFFICER, protector=protector, rows=[row(1), row(2)], today=TODAY
    )
    assert report.inserted == 2
    with pytest.raises(UnknownColumns):
        importer.import_rows(
            session,
            actor=OFFICER,
            protector=protector,
            rows=[row(3) | {"nickname": "x"}],
            today=TODAY,
        )
    assert people_count(session) == 2


# --- upserts --------------------------------------------------------------------------


def snapshot(session: Session) -> list[tuple]:
    session.expire_all()
    people = session.execute(select(Person.__table__).order_by(Person.id)).all()
    others = [
        session.execute(select(table).order_by(table.c.id)).all()
        for table in (
            Household.__table__,
            KeyGroupMembership.__table__,
            DuplicateCandidate.__table__,
        )
    ]
    counts = session.execute(select(GridCounts.__table__).order_by(GridCounts.grid_code)).all()
    return [people, *others, counts]


def test_importing_the_same_file_again_changes_nothing(session, grids, protector):
    rows = [
        row(1, household_ref="H1", is_head="是", key_group="medical"),
        row(2, household_ref="H1"),
        row(3, grid_code=GRID_2, pregnant="是"),
        # A likely duplicate of the first row: same name, birth date and phone, another ID.
        row(
            4,
            name="测试1",
            id_type="passport",
            id_number="E4444444",
            sex="1",
            birth_date=born_on(1).isoformat(),
            phone="13800000001",
        ),
    ]
    first = upload(session, protector, rows)
    assert (first.inserted, first.flagged_duplicates) == (4, 1)
    before = snapshot(session)

    again = upload(session, protector, rows)

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    assert (again.rejected, again.flagged_duplicates) == ([], 0)
    assert snapshot(session) == before


def test_a_changed_row_updates_only_that_person(session, grids, protector):
    rows = [row(1), row(2), row(3, household_ref="H3")]
    upload(session, protector, rows)
    before = person(session, protector, rows[1]["id_number"])
    assert before is not None
    unchanged_at = before.updated_at

    rows[0] = row(1, phone="13900000009", chronic_disease="是")
    rows[2] = row(3, grid_code=GRID_2, household_ref="")
    report = upload(session, protector, rows)

    assert (report.inserted, report.updated, report.unchanged) == (0, 2, 1)
    changed = person(session, protector, rows[0]["id_number"])
    assert changed is not None
    assert protector.open_phone(changed.phone_enc) == "13900000009"
    assert changed.phone_masked == "139****0009"
    assert changed.match_key == protector.match_key("测试1", born_on(1), "13900000009")
    assert changed.chronic_disease
    moved = person(session, protector, rows[2]["id_number"])
    assert moved is not None and (moved.grid_code, moved.household_id) == (GRID_2, None)
    still = person(session, protector, rows[1]["id_number"])
    assert still is not None and still.updated_at == unchanged_at
    assert session.get(GridCounts, GRID).residents == 2
    assert session.get(GridCounts, GRID_2).residents == 1


def test_columns_missing_from_the_file_are_left_alone(session, grids, protector):
    upload(session, protector, [row(1, household_ref="H1", elderly_alone="是")])
    report = upload(
        session, protector, [row(1, name="新名字")], columns=["name", "id_number", "grid_code"]
    )
    assert (report.updated, report.unchanged) == (1, 0)
    found = person(session, protector, resident_id(1))
    assert found is not None
    assert (found.name, found.address, found.elderly_alone) == ("新名字", "示例街 1 号", True)
    assert protector.open_phone(found.phone_enc) == "13800000001"
    assert found.household_id is not None
    assert found.match_key == protector.match_key("新名字", born_on(1), "13800000001")


def test_a_person_keeps_one_open_membership_per_group(session, grids, protector):
    upload(session, protector, [row(1, key_group="医疗机构工作人员", employer="甲医院")])
    report = upload(session, protector, [row(1, key_group="medical", employer="乙医院")])
    assert report.updated == 1
    memberships = session.scalars(select(KeyGroupMembership)).all()
    assert [(m.group, m.employer) for m in memberships] == [(KeyGroup.MEDICAL, "乙医院")]


# --- likely duplicates ----------------------------------------------------------------


def test_a_likely_duplicate_is_inserted_and_flagged(session, grids, protector):
    upload(session, protector, [row(1)])
    twin = row(1, id_type="护照", id_number="E9999999", sex="1", birth_date=born_on(1).isoformat())
    report = upload(session, protector, [twin])

    assert (report.inserted, report.flagged_duplicates) == (1, 1)
    existing = person(session, protector, resident_id(1))
    new_hash = protector.id_hash(IdType.PASSPORT, "E9999999")
    new = session.scalars(select(Person).where(Person.id_number_hash == new_hash)).one()
    pair = session.scalars(select(DuplicateCandidate)).one()
    assert existing is not None
    assert (pair.person_id, pair.other_id, pair.reason, pair.region_code) == (
        new.id,
        existing.id,
        "name_birth_phone",
        GRID,
    )


# --- XLSX, the template, and the parsing process ---------------------------------------


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    workbook.save(path)
    return path


def test_an_xlsx_file_imports_from_disk_and_as_upload(session, grids, protector, tmp_path):
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [
            ["姓名", "证件号码", "网格编码", "出生日期", "手机号码", "独居老人"],
            ["测试1", resident_id(1), int(GRID), datetime(1980, 1, 2), 13800000001, "是"],
            [None, None, None, None, None, None],
            ["测试2", resident_id(2), GRID, None, None, None],
            ["测试3", resident_id(3), GRID, "1990-13-01", None, None],
        ],
    )
    report = importer.import_path(
        session, actor=OFFICER, protector=protector, path=path, today=TODAY
    )
    assert (report.inserted, rejected(report)) == (2, [(5, "person.birth_date_invalid")])
    found = person(session, protector, resident_id(1))
    assert found is not None and found.elderly_alone
    assert protector.open_phone(found.phone_enc) == "13800000001"

    again = importer.import_upload(
        session,
        actor=OFFICER,
        protector=protector,
        filename="people.xlsx",
        data=path.read_bytes(),
        today=TODAY,
    )
    assert (again.inserted, again.unchanged) == (0, 2)


def test_the_templates_example_row_imports(session, protector):
    for code in ("230102001", "230102001001", "230102001001001"):
        make_region(session, code)
    data = importer.template_csv()
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == HEADERS
    assert idcard.is_valid(lines[1][2], today=TODAY)

    report = importer.import_upload(
        session, actor=OFFICER, protector=protector, filename="t.csv", data=data, today=TODAY
    )
    assert (report.inserted, report.rejected) == (1, [])
    household = session.scalars(select(Household)).one()
    assert (household.ref, household.head_id is not None) == ("0001", True)

    workbook = load_workbook(io.BytesIO(importer.template_xlsx()))
    assert workbook.sheetnames == ["人员", "说明"]
    people_sheet = list(workbook["人员"].iter_rows(values_only=True))
    assert list(people_sheet[0]) == HEADERS and list(people_sheet[1]) == lines[1]
    notes = list(workbook["说明"].iter_rows(values_only=True))
    assert [n[0] for n in notes[1:]] == HEADERS
    assert all(n[3] and n[4] for n in notes[1:])  # Chinese and English for every column


def test_a_large_file_is_parsed_in_a_second_process(session, grids, protector, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row(1, household_ref="H1", is_head="是"), row(2, phone="1")]))
    refused = tmp_path / "refused.csv"
    refused.write_bytes(csv_file([row(3)]).replace("姓名".encode(), "名字".encode()))
    import_worker.CHILD_MIN_BYTES, saved = 0, import_worker.CHILD_MIN_BYTES
    try:
        report = importer.import_path(
            session, actor=OFFICER, protector=protector, path=path, today=TODAY
        )
        with pytest.raises(UnknownColumns) as raised:
            importer.import_path(
                session, actor=OFFICER, protector=protector, path=refused, today=TODAY
            )
    finally:
        import_worker.CHILD_MIN_BYTES = saved
    assert (report.inserted, rejected(report)) == (1, [(3, "person.invalid_phone")])
    assert raised.value.detail == "名字"
    found = person(session, protector, resident_id(1))
    assert found is not None and protector.open_id(found.id_number_enc) == resident_id(1)


def test_seen_ids_remember_small_and_huge_ids():
    seen = SeenIds()
    for person_id in (1, 7, 8, 100_000, SeenIds.BITMAP_IDS + 5):
        seen.add(person_id)
    assert all(i in seen for i in (1, 7, 8, 100_000, SeenIds.BITMAP_IDS + 5))
    assert not any(i in seen for i in (0, 2, 9, 99_999, 10**9, SeenIds.BITMAP_IDS + 6))
    assert len(seen.bits) < 20_000


def test_progress_is_reported_after_every_batch(session, grids, protector, monkeypatch):
    monkeypatch.setattr(import_worker, "BATCH", 2)
    done: list[int] = []
    report = importer.import_rows(
        session,
        actor=OFFICER,
        protector=protector,
        rows=[row(n) for n in range(1, 6)],
        today=TODAY,
        progress=done.append,
    )
    assert (report.inserted, done) == (5, [2, 2, 1])
