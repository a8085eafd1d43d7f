"""A large file into a registry without people (``BatchWriter.fresh``): the writer looks up only
the rows whose ID hash the run may have written, drops the likely-duplicate index and (on
PostgreSQL) the foreign keys meanwhile, and pairs likely duplicates once at the end. Whatever
it skips, the outcome must be the batch-by-batch path's, row for row."""

from __future__ import annotations

import pickle
import secrets
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, aliased

from fangkong.core import security
from fangkong.models import DuplicateCandidate, Household, KeyGroup, Person
from fangkong.people import import_driver as driver
from fangkong.people import import_store as store
from fangkong.people import import_worker, importer
from fangkong.people.import_batch import BatchWriter
from fangkong.people.import_columns import Candidate, RowParser
from fangkong.people.import_seen import SeenHashes
from fangkong.people.protect import Protector
from people.test_import import GRID_2, OFFICER, TODAY, csv_file, resident_id, row


def tricky_rows() -> list[dict[str, str]]:
    """Twins (same name, birth date and phone under a passport) in the same and in later
    batches, an ID number again in the same and in a later batch, a 户号 in two grids,
    households spread over batches with their heads (named first, later, in a later batch,
    or by a refused row), key groups."""
    twin = {"name": "测试1", "birth_date": "1980-01-02", "phone": "13800000001"}
    return [
        row(1, household_ref="H1", is_head="是", key_group="cold_chain", employer="示例冷库"),
        row(2, household_ref="H1"),
        row(3, household_ref="H2", is_head="是", grid_code=GRID_2),
        row(4, household_ref="H1", elderly_alone="是"),  # batch 2: the same household
        row(1, name="又一个"),  # the first ID again, a later batch
        row(5, id_type="护照", id_number="E0000001", sex="男", **twin),  # twin of row 1
        row(6, household_ref="H2"),  # batch 3: H2 lives in GRID_2, not in GRID
        row(7, id_type="护照", id_number="E0000002", sex="男", **twin),  # another twin
        row(7, id_type="护照", id_number="E0000002", sex="男", **twin),  # again, same batch
        row(8, household_ref="H3", is_head="是", key_group="delivery"),
        row(9, id_type="护照", id_number="E0000003", sex="男", **twin),
        row(10, phone=""),
        row(11, household_ref="H5"),  # batch 5: a household whose head is its second row
        row(12, household_ref="H5", is_head="是"),
        row(13, household_ref="H6"),
        row(14, household_ref="H6", is_head="是"),  # batch 6: the head of an earlier household
        row(15, household_ref="H2", is_head="是"),  # H2 lives in GRID_2: refused, not its head
    ]


def outcome(session: Session, report: Any) -> dict[str, Any]:
    """What an import did, in terms that do not depend on the ids it drew."""
    session.expire_all()
    later, earlier = aliased(Person), aliased(Person)
    pairs = select(later.id_number_masked, earlier.id_number_masked, DuplicateCandidate.reason)
    pairs = pairs.join(later, DuplicateCandidate.person_id == later.id)
    pairs = pairs.join(earlier, DuplicateCandidate.other_id == earlier.id)
    head = aliased(Person)
    households = select(Household.grid_code, Household.ref, head.name).outerjoin(
        head, Household.head_id == head.id
    )
    people = select(Person.name, Person.grid_code, Person.elderly_alone, Household.ref).outerjoin(
        Household, Person.household_id == Household.id
    )
    return {
        "counts": (report.inserted, report.updated, report.unchanged, report.flagged_duplicates),
        "rejected": [(r.row, r.code) for r in report.rejected],
        "pairs": sorted(map(tuple, session.execute(pairs)), key=repr),
        "households": sorted(map(tuple, session.execute(households)), key=repr),
        "people": sorted(map(tuple, session.execute(people)), key=repr),
    }


def foreign_keys(session: Session) -> set[str]:
    inspector = inspect(session.connection())
    return {
        str(key["name"])
        for table in ("people", "households")
        for key in inspector.get_foreign_keys(table)
    }


def test_a_first_load_ends_as_the_batch_by_batch_path_does(
    session, grids, protector, tmp_path, monkeypatch
):
    monkeypatch.setattr(import_worker, "BATCH", 3)  # the parsing child gets it too
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(tricky_rows()))
    modes: set[tuple[bool, bool]] = set()
    write = BatchWriter.write

    def spy(self: BatchWriter, candidates: list[Candidate], now: Any) -> None:
        modes.add((self.fresh, self.heads_first))
        write(self, candidates, now)

    monkeypatch.setattr(BatchWriter, "write", spy)
    keys_before = foreign_keys(session)
    first_load = session.begin_nested()
    fresh = importer.import_path(
        session, actor=OFFICER, protector=protector, path=path, today=TODAY
    )
    loaded = outcome(session, fresh)
    assert modes == {(True, session.get_bind().dialect.name == "postgresql")}
    assert foreign_keys(session) == keys_before
    first_load.rollback()
    assert session.scalar(select(Person.id)) is None

    modes.clear()
    batch_by_batch = importer.import_rows(
        session, actor=OFFICER, protector=protector, rows=tricky_rows(), today=TODAY
    )
    assert modes == {(False, False)}
    assert loaded == outcome(session, batch_by_batch)
    assert loaded["rejected"] == [
        (6, "person.duplicate_in_file"),
        (8, "household.grid_mismatch"),
        (10, "person.duplicate_in_file"),
        (18, "household.grid_mismatch"),
    ]
    assert loaded["counts"] == (13, 0, 0, 6)  # 4 twins: 1 + 2 + 3 pairs
    heads = {(ref, head) for _, ref, head in loaded["households"]}
    assert {("H1", "测试1"), ("H2", "测试3"), ("H5", "测试12"), ("H6", "测试14")} <= heads


def test_a_first_load_looks_up_what_the_filter_cannot_rule_out(
    session, grids, protector, tmp_path, monkeypatch
):
    """With a filter of 8 bits nearly every hash "may" have been written: the lookups then
    decide, and the outcome is the same."""
    monkeypatch.setattr(import_worker, "BATCH", 2)
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)
    monkeypatch.setattr(SeenHashes, "BITS", 3)
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(tricky_rows()))
    report = importer.import_path(
        session, actor=OFFICER, protector=protector, path=path, today=TODAY
    )
    assert outcome(session, report)["counts"] == (13, 0, 0, 6)
    assert [r.row for r in report.rejected] == [6, 8, 10, 18]


def test_a_large_file_into_a_registry_with_people_takes_the_batch_by_batch_path(
    session, grids, protector, tmp_path, monkeypatch
):
    importer.import_rows(session, actor=OFFICER, protector=protector, rows=[row(1)], today=TODAY)
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)
    seen: list[bool] = []
    write = BatchWriter.write

    def spy(self: BatchWriter, candidates: list[Candidate], now: Any) -> None:
        seen.append(self.fresh)
        write(self, candidates, now)

    monkeypatch.setattr(BatchWriter, "write", spy)
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row(1, name="改名"), row(2)]))
    report = importer.import_path(
        session, actor=OFFICER, protector=protector, path=path, today=TODAY
    )
    assert seen == [False]
    assert (report.inserted, report.updated) == (1, 1)


def test_a_failed_first_load_rolled_back_has_its_foreign_keys_again(
    session, grids, protector, tmp_path, monkeypatch
):
    before = foreign_keys(session)
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)

    def fail(self: BatchWriter, candidates: object, now: object) -> None:
        keys = foreign_keys(session)
        if session.get_bind().dialect.name == "postgresql":  # SQLite keeps its checks
            assert not keys & driver.CHECKED_AFTER_FIRST_LOAD
        # Dropping a key to regions would lock every region until the load commits.
        assert {"fk_people_grid_code_regions", "fk_households_grid_code_regions"} <= keys
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(BatchWriter, "write", fail)
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row(1), row(2)]))
    with pytest.raises(RuntimeError, match="disk is full"):
        importer.import_path(session, actor=OFFICER, protector=protector, path=path, today=TODAY)
    session.rollback()
    assert foreign_keys(session) == before
    assert before >= driver.CHECKED_AFTER_FIRST_LOAD


def test_pair_likely_duplicates_pairs_each_person_with_the_earlier_ones(session, grids, protector):
    twin = {"name": "孪生", "birth_date": "1980-01-02", "phone": "13900000000"}
    rows = [row(n, id_type="护照", id_number=f"E{n:07d}", sex="女", **twin) for n in (1, 2, 3)]
    importer.import_rows(session, actor=OFFICER, protector=protector, rows=rows, today=TODAY)
    session.execute(DuplicateCandidate.__table__.delete())
    now = datetime(2024, 5, 1, tzinfo=UTC)
    assert store.pair_likely_duplicates(session, reason="r", now=now) == 3
    ids = sorted(session.scalars(select(Person.id)))
    found = session.execute(select(DuplicateCandidate.person_id, DuplicateCandidate.other_id))
    assert sorted(map(tuple, found)) == [(ids[1], ids[0]), (ids[2], ids[0]), (ids[2], ids[1])]


def test_seen_hashes_never_miss_what_was_added():
    added = [secrets.token_hex(32) for _ in range(10_000)]
    seen = SeenHashes()
    seen.add_all(added)
    assert all(seen.maybe(value) for value in added)
    others = [secrets.token_hex(32) for _ in range(10_000)]
    assert sum(seen.maybe(value) for value in others) < 100  # ~0.015 % expected


def test_a_parsed_batch_crosses_the_pipe_unchanged(protector: Protector):
    parser = RowParser(protector=protector, today=TODAY)
    rows = [
        (2, row(1, key_group="cold_chain", household_ref="H1", is_head="是")),
        (3, row(2, phone="", address="")),
        (4, row(3, id_number="bad")),
    ]
    parsed = import_worker.Parsed(*parser.parse_batch(rows), len(rows))
    again = pickle.loads(pickle.dumps(parsed))
    assert again == parsed
    assert [type(c) for c in again.candidates] == [Candidate, Candidate]
    assert again.candidates[0].key_group is KeyGroup.COLD_CHAIN
    assert type(again.candidates[0].values[11]) is date


def test_the_protectors_hashes_are_the_keyed_hashes(protector: Protector):
    """The import hashes through a pre-keyed HMAC; each value's digest is the one-shot one."""
    lookup = protector.lookup_key
    for _ in range(2):  # the keyed HMAC is copied, never updated itself
        assert protector.id_hash("resident_id", resident_id(1)) == security.keyed_hash(
            lookup, f"resident_id:{resident_id(1)}", purpose="id"
        )
        assert protector.phone_hash("13800000001") == security.keyed_hash(
            lookup, "13800000001", purpose="phone"
        )
    expected = security.keyed_hash(lookup, "测试|1980-01-02|13800000001", purpose="match")
    assert protector.match_key("测试", date(1980, 1, 2), "13800000001") == expected
