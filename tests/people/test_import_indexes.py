"""A large load into a smaller people table drops the indexes its lookups do not use and builds
them again at the end, in the caller's transaction (``import_driver.deferred_indexes``)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from fangkong.models import Person
from fangkong.people import import_driver as driver
from fangkong.people import import_store as store
from fangkong.people import import_worker, importer
from fangkong.people.import_batch import BatchWriter
from people.test_import import OFFICER, TODAY, csv_file, row


def index_names(session: Session) -> set[str]:
    return {index["name"] for index in inspect(session.connection()).get_indexes("people")}


def test_indexes_are_dropped_while_a_larger_load_runs_and_built_again(session):
    before = index_names(session)
    assert before == {index.name for index in store.PEOPLE.indexes}
    keep = driver.KEPT_WHILE_LOADING
    with driver.deferred_indexes(session, store.PEOPLE, rows_expected=10, keep=keep) as deferred:
        during = index_names(session)
    assert deferred and during == keep
    assert index_names(session) == before


def test_a_load_smaller_than_the_table_keeps_every_index(session, grids, protector):
    report = importer.import_rows(
        session, actor=OFFICER, protector=protector, rows=[row(1), row(2)], today=TODAY
    )
    assert report.inserted == 2
    before = index_names(session)
    keep = driver.KEPT_WHILE_LOADING
    with driver.deferred_indexes(session, store.PEOPLE, rows_expected=2, keep=keep) as deferred:
        assert not deferred and index_names(session) == before


def test_a_large_file_imports_through_the_rebuilt_indexes(
    session, grids, protector, tmp_path, monkeypatch
):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row(seed, name=f"索引{seed}") for seed in range(1, 6)]))
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)
    report = importer.import_path(
        session, actor=OFFICER, protector=protector, path=path, today=TODAY
    )
    assert (report.inserted, report.rejected) == (5, [])
    assert index_names(session) == {index.name for index in store.PEOPLE.indexes}
    names = select(Person.name).where(Person.name.startswith("索引")).order_by(Person.name)
    assert list(session.scalars(names)) == [f"索引{seed}" for seed in range(1, 6)]


def test_a_failed_large_load_rolled_back_has_its_indexes_again(
    session, grids, protector, tmp_path, monkeypatch
):
    before = index_names(session)
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file([row(1), row(2)]))
    monkeypatch.setattr(import_worker, "CHILD_MIN_BYTES", 0)

    def fail(self: BatchWriter, candidates: object, now: object) -> None:
        # The load did defer them: into an empty table, the likely-duplicate key's too.
        assert index_names(session) == driver.KEPT_WHILE_LOADING - {driver.MATCH_KEY_INDEX}
        raise RuntimeError("the database went away")

    monkeypatch.setattr(BatchWriter, "write", fail)
    with pytest.raises(RuntimeError, match="went away"):
        importer.import_path(session, actor=OFFICER, protector=protector, path=path, today=TODAY)
    session.rollback()
    assert index_names(session) == before
    assert session.scalar(select(Person.id)) is None
