"""The hot-path reader: one prepared lookup, a per-process cache, and the last known answer
marked stale when the database fails or is too slow."""

from __future__ import annotations

import gc
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine

from factories import make_tree, resident_id
from fangkong.core.events import publish
from fangkong.core.principal import SYSTEM
from fangkong.db import Database, make_engine
from fangkong.healthcode.events import FactRaised, NegativeTest
from fangkong.healthcode.reader import CodeReader, CodeSnapshot, Found, _Cache
from fangkong.models import PersonStatus
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import Reason
from loops import awaited

SAMPLED = datetime(2024, 5, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def reader(db, settings):
    made = CodeReader(db.bind, settings)
    yield made
    made.close()


def test_lookup_reads_colour_reasons_negative_and_person(session, reader, make_person):
    person = make_person(name="李四")
    publish(session, FactRaised(person.id, Reason.CONTACT_SECONDARY, source="t", ref="1"))
    publish(session, NegativeTest(person.id, sampled_at=SAMPLED, source="lab"))
    session.flush()
    snapshot = reader.lookup(person.id)
    assert snapshot == CodeSnapshot(
        colour="yellow",
        reasons=("contact.secondary",),
        last_negative_sampled_at=SAMPLED,
        birth_date=person.birth_date,
        name="李四",
        stale=False,
    )


def test_a_person_without_a_code_reads_green_and_unknown_reads_none(session, reader, make_person):
    person = make_person()
    session.flush()
    snapshot = reader.lookup(person.id)
    assert snapshot is not None and (snapshot.colour, snapshot.reasons) == ("green", ())
    assert reader.lookup(99_999_999) is None


def test_a_merged_person_reads_none(session, reader, make_person):
    person = make_person()
    person.status = PersonStatus.MERGED
    session.flush()
    assert reader.lookup(person.id) is None


def test_a_failing_database_answers_the_last_known_value_marked_stale(
    session, reader, make_person, tmp_path
):
    person = make_person()
    publish(session, FactRaised(person.id, Reason.CASE_POSITIVE, source="t", ref="1"))
    session.flush()
    fresh = reader.lookup(person.id)
    assert fresh is not None and not fresh.stale
    broken = create_engine(f"sqlite:///{tmp_path}/missing/dir/none.db")  # cannot even open
    reader.bind = broken
    stale = reader.lookup(person.id)
    assert stale is not None and stale.stale and stale.colour == "red"
    assert reader.lookup(person.id + 1) is None  # never seen: nothing to answer from
    broken.dispose()


def test_a_slow_database_answers_stale_and_recovers(db, session, settings, make_person):
    fast = settings.model_copy(update={"entry_check_timeout_ms": 10})
    reader = CodeReader(db.bind, fast, threads=1)
    person = make_person()
    session.flush()
    assert reader.lookup(person.id) is not None
    release = threading.Event()
    real_query = reader.query

    def stuck(person_id: int) -> CodeSnapshot | None:
        release.wait()
        return real_query(person_id)

    reader.query = stuck  # type: ignore[method-assign]
    slow = reader.lookup(person.id)
    assert slow is not None and slow.stale
    busy = reader.lookup(person.id)  # the only thread is still waiting: no queueing
    assert busy is not None and busy.stale
    release.set()
    reader.query = real_query  # type: ignore[method-assign]
    reader._pool.submit(lambda: None).result()  # one thread: the stuck query has finished
    recovered = reader.lookup(person.id)
    assert recovered is not None and not recovered.stale
    reader.close()


def test_the_cache_is_bounded(session, db, settings, make_person):
    reader = CodeReader(db.bind, settings, cache_size=2)
    people = [make_person() for _ in range(3)]
    session.flush()
    for person in people:
        reader.lookup(person.id)
    assert reader.cache.get(people[0].id) is None
    assert reader.cache.get(people[2].id) is not None
    reader.close()


def test_cached_answers_leave_the_collector_s_tracking():
    """A full cache must not make every full collection walk 200,000 objects: its entries are
    plain tuples the collector stops tracking, and they come back as the snapshots put in."""
    cache = _Cache(size=3)
    snapshot = CodeSnapshot("yellow", ("contact.secondary", "zone.sealed"), SAMPLED,
                            date(1990, 5, 1), "钱七")  # fmt: skip
    cache.put(1, snapshot)
    cache.put(2, None)
    gc.collect()
    entries = list(cache._items.values())
    assert entries[1] is None and not gc.is_tracked(entries[0])
    assert cache.get(1) == snapshot and cache.get(2) is None and cache.get(3) is None


@pytest.fixture
def sqlite_file(cli_template, tmp_path, settings):
    """A migrated SQLite file of its own (whatever the test database is), with one red person."""
    target = tmp_path / "reader.db"
    with closing(sqlite3.connect(cli_template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    engine = make_engine(f"sqlite:///{target}")
    with Database(engine).transaction() as session:
        make_tree(session, "230102")
        data = PersonCreate(name="钱七", id_number=resident_id(77), grid_code="230102001002003")
        protector = Protector(settings.data_key_bytes)
        person, _ = people.create_person(session, actor=SYSTEM, protector=protector, data=data)
        publish(session, FactRaised(person.id, Reason.ZONE_SEALED, source="t", ref="z"))
        publish(session, NegativeTest(person.id, sampled_at=SAMPLED, source="lab"))
        person_id = person.id
    yield engine, person_id
    engine.dispose()


def test_sqlite_reads_outside_a_transaction_next_to_a_writer(sqlite_file, settings):
    engine, person_id = sqlite_file
    reader = CodeReader(engine, settings)
    with engine.connect() as connection:
        expected = CodeReader(connection, settings).query(person_id)
    writer = engine.connect()
    writer.begin()  # BEGIN IMMEDIATE: SQLite's write lock, held during the lookup
    try:
        snapshot = reader.lookup(person_id)
    finally:
        writer.rollback()
        writer.close()
        reader.close()
    assert snapshot == expected
    assert snapshot is not None and not snapshot.stale
    assert (snapshot.colour, snapshot.reasons, snapshot.name) == ("red", ("zone.sealed",), "钱七")
    assert snapshot.last_negative_sampled_at == SAMPLED


def test_a_reader_on_the_test_engine_runs_its_own_path(engine, settings):
    """On an engine (not a test connection) the reader takes its backend's own path: the
    DBAPI connection on SQLite, a pool of its own on PostgreSQL. Nothing is committed here,
    so the lookup finds nobody."""
    reader = CodeReader(engine, settings)
    try:
        assert reader.query(99_999_999) is None
        assert reader.lookup(99_999_999) is None
    finally:
        reader.close()


def test_by_id_number_one_read_answers_the_person_and_the_code(session, reader, make_person):
    """``person_by_hash`` (the entry check by ID number): the kept record of a merged one,
    with the kept record's code; the same snapshot as ``lookup``; None for nobody."""
    kept, merged = make_person(name="赵六"), make_person(name="赵六")
    publish(session, FactRaised(kept.id, Reason.CONTACT_SECONDARY, source="t", ref="2"))
    merged.status, merged.merged_into_id = PersonStatus.MERGED, kept.id
    session.flush()
    direct = awaited(reader.person_by_hash(kept.id_number_hash))
    via_merged = awaited(reader.person_by_hash(merged.id_number_hash))
    assert direct == Found(kept.id, reader.lookup(kept.id))
    assert via_merged == direct
    assert direct is not None and direct.snapshot is not None
    assert (direct.snapshot.colour, direct.snapshot.name) == ("yellow", "赵六")
    assert awaited(reader.person_by_hash("0" * 64)) is None
