"""Jobs: the locked runner records each run; two workers never run one job at once."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from factories import make_user
from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.db import Database, make_engine
from fangkong.jobs import registry, runner, worker
from fangkong.jobs.catalog import all_jobs
from fangkong.models import AuditLog, JobLock, JobRun, LoginAttempt, WebSession

T0 = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
DAY = date(2026, 1, 1)


def make_job(name: str, func: registry.JobFunc) -> registry.Job:
    """A job that is not registered, so tests leave the real catalogue alone."""
    return registry.Job(name=name, func=func, cron="0 3 * * *", description="test job")


def runs(db: Database, name: str) -> list[JobRun]:
    with db.sessions() as session:
        return list(session.scalars(select(JobRun).where(JobRun.name == name).order_by(JobRun.id)))


def lock_rows(db: Database, name: str) -> list[JobLock]:
    with db.sessions() as session:
        return list(session.scalars(select(JobLock).where(JobLock.name == name)))


def mark(session: Session, note: str) -> None:
    """A visible side effect of a job: one audit row."""
    audit.record(session, actor=SYSTEM, action="test.job", object_type="job", object_id=note)


def marks(db: Database) -> list[str]:
    with db.sessions() as session:
        return list(
            session.scalars(select(AuditLog.object_id).where(AuditLog.action == "test.job"))
        )


# --- the runner -------------------------------------------------------------------------


def test_run_records_ok_and_the_outcome(db, settings):
    def nightly(session: Session, _settings: Settings, run_for: date) -> dict[str, object]:
        mark(session, run_for.isoformat())
        return {"checked": 3, "day": run_for}

    with clock.frozen(T0):
        outcome = runner.run(db, settings, make_job("test.ok", nightly), DAY)
    assert outcome == {"checked": 3, "day": DAY}
    [run] = runs(db, "test.ok")
    assert (run.status, run.run_for) == ("ok", DAY)
    assert json.loads(run.detail) == {"checked": 3, "day": "2026-01-01"}
    assert run.started_at == run.finished_at == T0
    assert marks(db) == ["2026-01-01"]  # the job's own writes were committed
    assert lock_rows(db, "test.ok") == []  # and the lock was let go


def test_failing_job_records_failed_rolls_back_and_reraises(db, settings):
    def broken(session: Session, _settings: Settings, _run_for: date) -> dict[str, object]:
        mark(session, "half-done")
        session.flush()
        raise ValueError("boom")

    job = make_job("test.failing", broken)
    with pytest.raises(ValueError, match="boom"):
        runner.run(db, settings, job, DAY)
    [run] = runs(db, "test.failing")
    assert run.status == "failed"
    assert run.detail == "ValueError('boom')"
    assert run.finished_at is not None
    assert marks(db) == []  # nothing of the failed run remains
    assert lock_rows(db, "test.failing") == []
    # The lock is free again: the next run goes ahead.
    with pytest.raises(ValueError):
        runner.run(db, settings, job, DAY)
    assert [r.status for r in runs(db, "test.failing")] == ["failed", "failed"]


def test_a_second_run_inside_the_first_is_busy(db, settings):
    """Holding the lock, the same job cannot start again (row lock or advisory lock)."""
    seen: list[str] = []

    def reentrant(session: Session, settings: Settings, run_for: date) -> dict[str, object]:
        try:
            runner.run(db, settings, job, run_for)
        except runner.JobBusy as busy:
            seen.append(str(busy))
        return {"inner": "busy" if seen else "ran"}

    job = make_job("test.reentrant", reentrant)
    assert runner.run(db, settings, job, DAY) == {"inner": "busy"}
    assert seen == ["test.reentrant"]
    assert [r.status for r in runs(db, "test.reentrant")] == ["ok"]  # the refused run left no row


def test_held_lock_makes_run_busy_and_records_nothing(db, settings):
    job = make_job("test.held", lambda session, settings, day: {"ran": True})
    with runner.job_lock(db, "test.held"), pytest.raises(runner.JobBusy):
        runner.run(db, settings, job, DAY)
    assert runs(db, "test.held") == []
    # Another job's lock is independent.
    other = make_job("test.other", lambda session, settings, day: {"ran": True})
    with runner.job_lock(db, "test.held"):
        assert runner.run(db, settings, other, DAY) == {"ran": True}
    assert runner.run(db, settings, job, DAY) == {"ran": True}


def test_a_lock_held_on_another_postgres_connection_is_busy(db, settings):
    if db.dialect != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    job = make_job("test.advisory", lambda session, settings, day: {"ran": True})
    key = zlib.crc32(b"fangkong-job:test.advisory")
    with db.engine.connect() as other_worker:
        assert other_worker.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        with pytest.raises(runner.JobBusy):
            runner.run(db, settings, job, DAY)
        other_worker.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    assert runner.run(db, settings, job, DAY) == {"ran": True}


def sqlite_only(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("lock rows are SQLite's; PostgreSQL uses advisory locks")


def test_sqlite_lock_row_lives_while_the_job_runs(db, settings):
    sqlite_only(db)
    held: list[tuple[str, datetime]] = []

    def look(session: Session, _settings: Settings, _run_for: date) -> dict[str, object]:
        held.extend((row.holder, row.locked_until) for row in lock_rows(db, "test.row"))
        return {}

    with clock.frozen(T0):
        runner.run(db, settings, make_job("test.row", look), DAY)
    assert held == [(runner.HOLDER, T0 + runner.LOCK_TTL)]
    assert lock_rows(db, "test.row") == []


def test_sqlite_live_lock_of_another_worker_is_respected(db, settings):
    sqlite_only(db)
    job = make_job("test.live", lambda session, settings, day: {"ran": True})
    with db.transaction() as session:
        session.add(
            JobLock(name="test.live", holder="elsewhere:1", locked_until=T0 + timedelta(hours=1))
        )
    with clock.frozen(T0 + timedelta(minutes=59)), pytest.raises(runner.JobBusy):
        runner.run(db, settings, job, DAY)
    [row] = lock_rows(db, "test.live")
    assert (row.holder, row.locked_until) == ("elsewhere:1", T0 + timedelta(hours=1))
    assert runs(db, "test.live") == []


def test_sqlite_expired_lock_row_is_taken_over(db, settings):
    sqlite_only(db)
    job = make_job("test.expired", lambda session, settings, day: {"ran": True})
    with db.transaction() as session:
        session.add(JobLock(name="test.expired", holder="crashed:1", locked_until=T0))
    with clock.frozen(T0 + timedelta(seconds=1)):
        assert runner.run(db, settings, job, DAY) == {"ran": True}
    assert lock_rows(db, "test.expired") == []
    assert [r.status for r in runs(db, "test.expired")] == ["ok"]


# --- two workers on a real database (no shared test transaction) ------------------------


@pytest.fixture
def two_workers(database_url: str) -> Iterator[tuple[Database, Database]]:
    """Two independent Databases, as two worker processes would have; their rows are removed."""
    workers = (Database(make_engine(database_url)), Database(make_engine(database_url)))
    try:
        yield workers
    finally:
        with workers[0].transaction() as session:
            session.execute(delete(JobRun).where(JobRun.name == "test.workers"))
            session.execute(delete(JobLock).where(JobLock.name == "test.workers"))
        for database in workers:
            database.engine.dispose()


def test_two_workers_never_run_a_job_at_once(two_workers, settings):
    first, second = two_workers
    job = make_job("test.workers", lambda session, settings, day: {"ran": True})
    with runner.job_lock(first, "test.workers"), pytest.raises(runner.JobBusy):
        runner.run(second, settings, job, DAY)
    assert runs(first, "test.workers") == []
    assert runner.run(second, settings, job, DAY) == {"ran": True}
    assert [r.status for r in runs(first, "test.workers")] == ["ok"]  # committed for real
    assert lock_rows(first, "test.workers") == []


# --- the scheduler's side ---------------------------------------------------------------


def test_worker_fire_survives_busy_and_failing_jobs(db, settings):
    def broken(session: Session, _settings: Settings, _run_for: date) -> dict[str, object]:
        raise RuntimeError("down")

    worker._fire(db, settings, make_job("test.fire", broken))  # logged, not raised
    assert [r.status for r in runs(db, "test.fire")] == ["failed"]
    with runner.job_lock(db, "test.fire"):
        worker._fire(db, settings, make_job("test.fire", broken))
    assert len(runs(db, "test.fire")) == 1


def test_scheduler_has_every_registered_job(db, settings):
    scheduler = worker.build_scheduler(db, settings)
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(all_jobs())


def test_job_decorator_registers(monkeypatch):
    monkeypatch.setattr(registry, "_jobs", dict(registry._jobs))

    @registry.job("test.decorated", cron="5 4 * * *", description="decorated")
    def decorated(session: Session, settings: Settings, run_for: date) -> dict[str, object]:
        return {}

    found = registry.registered()["test.decorated"]
    assert (found.func, found.cron, found.description) == (decorated, "5 4 * * *", "decorated")
    assert list(registry.registered()) == sorted(registry.registered())
    assert "auth.purge" in all_jobs()


# --- auth.purge -------------------------------------------------------------------------


def test_auth_purge_deletes_idle_sessions_and_old_login_attempts(db, session, settings):
    user = make_user(session)
    idle = settings.session_idle_minutes
    session.add_all(
        [
            WebSession(
                token_hash="idle", user_id=user.id, last_seen_at=T0 - timedelta(minutes=idle + 1)
            ),
            WebSession(
                token_hash="live", user_id=user.id, last_seen_at=T0 - timedelta(minutes=idle - 1)
            ),
            LoginAttempt(username="a", succeeded=False, at=T0 - timedelta(days=1, seconds=1)),
            LoginAttempt(username="b", succeeded=False, at=T0 - timedelta(hours=23)),
        ]
    )
    session.commit()
    with clock.frozen(T0):
        outcome = runner.run(db, settings, all_jobs()["auth.purge"], DAY)
    assert outcome == {"sessions": 1, "login_attempts": 1}
    session.expire_all()
    assert session.scalars(select(WebSession.token_hash)).all() == ["live"]
    assert session.scalars(select(LoginAttempt.username)).all() == ["b"]
    # Idempotent: a second run finds nothing left to do.
    with clock.frozen(T0):
        assert runner.run(db, settings, all_jobs()["auth.purge"], DAY) == {
            "sessions": 0,
            "login_attempts": 0,
        }
    assert [r.status for r in runs(db, "auth.purge")] == ["ok", "ok"]


# --- the CLI ----------------------------------------------------------------------------


def test_cli_list_and_run(cli_home):
    url = cli_home.database_url
    results = cli_home.run(
        ("jobs", "list"),
        ("jobs", "run", "auth.purge", "--date", "2026-01-01"),
        ("jobs", "run", "no.such.job"),
        ("jobs", "run", "auth.purge", "--date", "2026-13-01"),
    )
    listed, ran, unknown, bad_date = [((r.stdout, r.stderr), r.returncode) for r in results]

    (out, err), code = listed
    assert code == 0, err
    names = [line.split()[0] for line in out.splitlines()]
    assert names == sorted(all_jobs()) and "auth.purge" in names
    assert "*/15 * * * *" in out

    (out, err), code = ran
    assert code == 0, err
    assert out.strip() == "auth.purge for 2026-01-01: {'sessions': 0, 'login_attempts': 0}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name, run_for, status FROM job_runs")).all()
            locks = connection.execute(text("SELECT count(*) FROM job_locks")).scalar()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("auth.purge", "2026-01-01", "ok")]
    assert locks == 0

    for (out, err), code in (unknown, bad_date):
        assert code == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
    assert "no.such.job" in unknown[0][1]
    assert "2026-13-01" in bad_date[0][1]
