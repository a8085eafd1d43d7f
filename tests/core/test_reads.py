"""``Database.reads``: sessions that only read. On SQLite they read next to a writer holding the
write lock (a ``sessions()`` one would wait the busy timeout and then fail), they see what was
committed and not the writer's pending rows, and a flush in one is refused. The bearer-token
look-up of a user goes through one, so an API request is not queued behind the scans' writer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from fangkong.auth.dependencies import _load_state
from fangkong.db import Database, make_engine
from fangkong.models import User

BUSY_MS = 200  # a short busy timeout, so the contrast case fails quickly


@pytest.fixture
def sqlite_engine(cli_template, tmp_path) -> Iterator[Engine]:
    """A migrated SQLite file of its own (whatever the suite's database), one committed user."""
    target = tmp_path / "reads.db"
    target.write_bytes(cli_template.read_bytes())
    engine = make_engine(f"sqlite:///{target}")
    with engine.begin() as connection:
        connection.execute(
            User.__table__.insert(),
            {"username": "reader01", "display_name": "甲", "password_hash": "x", "role": "city_admin",
             "region_code": "230100", "locale": "zh_CN"},
        )  # fmt: skip
    yield engine
    engine.dispose()


@pytest.fixture
def writer(sqlite_engine: Engine) -> Iterator[None]:
    """Another connection holds SQLite's write lock (BEGIN IMMEDIATE) with a row not committed."""
    connection = sqlite_engine.connect()
    connection.begin()
    connection.execute(
        User.__table__.insert(),
        {"username": "pending01", "display_name": "甲", "password_hash": "x", "role": "city_admin",
         "region_code": "230100", "locale": "zh_CN"},
    )  # fmt: skip
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def test_a_reads_session_reads_next_to_the_writer(sqlite_engine, writer):
    db = Database(sqlite_engine)
    with db.reads() as session:
        names = session.execute(text("SELECT username FROM users ORDER BY username")).scalars()
        assert list(names) == ["reader01"]  # committed rows only, at once


def test_a_writing_session_waits_for_the_writer_and_fails(sqlite_engine, writer):
    """The contrast: the same read in an ordinary session queues for the write lock."""
    db = Database(sqlite_engine)
    raw = sqlite_engine.raw_connection()  # the pool's one idle connection: set its timeout
    raw.dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    raw.close()
    with db.sessions() as session, pytest.raises(OperationalError, match="locked"):
        session.execute(text("SELECT username FROM users")).all()


def test_the_user_look_up_of_a_bearer_token_reads_next_to_the_writer(sqlite_engine, writer):
    db = Database(sqlite_engine)
    with db.reads() as session:
        user_id = session.execute(text("SELECT id FROM users WHERE username = 'reader01'")).scalar()
    state = _load_state(db, user_id)
    assert state is not None
    assert (state.username, state.role, state.region_code) == ("reader01", "city_admin", "230100")


def test_a_flush_in_a_reads_session_is_refused(sqlite_engine):
    db = Database(sqlite_engine)
    with db.reads() as session:
        session.add(User(username="nobody01", display_name="甲", password_hash="x", role="city_admin",
                         region_code="230100", locale="zh_CN"))  # fmt: skip
        with pytest.raises(RuntimeError, match="only reads"):
            session.flush()
    with db.reads() as session:
        found = session.execute(text("SELECT count(*) FROM users WHERE username = 'nobody01'"))
        assert found.scalar() == 0


def test_a_test_connection_is_shared_as_it_is(db, session):
    """Bound to one connection (the suite's rolled-back transaction), reads see its rows."""
    session.add(User(username="inside01", display_name="甲", password_hash="x", role="city_admin",
                     region_code="230100", locale="zh_CN"))  # fmt: skip
    session.flush()
    with db.reads() as reading:
        found = reading.execute(text("SELECT count(*) FROM users WHERE username = 'inside01'"))
        assert found.scalar() == 1
