"""The web process's worker thread: woken by notify, one run at a time, a wake-up while a run
waits to start is folded into it; the app starts it unless the settings turn it off."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from fangkong.exports import runner, worker
from fangkong.main import create_app
from loops import awaited


def test_notify_runs_the_queue_in_the_worker_thread(monkeypatch, settings, db):
    started, release, threads = threading.Event(), threading.Event(), []

    def fake_run_queued(database, config, **_):
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return []

    monkeypatch.setattr(runner, "run_queued", fake_run_queued)
    export_worker = worker.ExportWorker(db, settings)
    export_worker.notify()  # runs
    assert started.wait(5)
    export_worker.notify()  # queued behind the running one
    export_worker.notify()  # folded into the queued one
    release.set()
    export_worker._executor.shutdown(wait=True)
    assert len(threads) == 2 and all(name.startswith("exports") for name in threads)


def test_the_app_starts_the_worker_unless_turned_off(monkeypatch, settings, db):
    calls = []
    monkeypatch.setattr(runner, "run_queued", lambda *a, **k: calls.append(1) or [])
    app = create_app(settings.model_copy(update={"export_worker": True}), database=db)
    with TestClient(app):
        assert isinstance(app.state.export_worker, worker.ExportWorker)
        app.state.export_worker._executor.shutdown(wait=True)
    assert calls == [1]  # what was queued before the start is written
    off = create_app(settings, database=db)
    with TestClient(off):
        assert off.state.export_worker is None


def test_stopping_waits_for_the_run_in_progress(monkeypatch, settings, db):
    """The app lets its database go after the stop hooks: a run still writing then would use a
    connection already handed back (in tests, the next test's)."""
    started, finished = threading.Event(), []

    def slow_run_queued(database, config, **_):
        started.set()
        threading.Event().wait(0.2)
        finished.append(threading.current_thread().name)
        return []

    monkeypatch.setattr(runner, "run_queued", slow_run_queued)
    export_worker = worker.ExportWorker(db, settings)
    export_worker.notify()
    assert started.wait(5)
    awaited(export_worker.stop())
    assert len(finished) == 1
