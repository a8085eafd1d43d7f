"""The web process's export worker: one thread (``ThreadPoolExecutor(max_workers=1)``) that
writes queued exports, started with the app and woken after each request that queued one.

A wake-up while a run is pending is dropped (that run will see the new export); a wake-up
while a run is in progress queues one more run. Deployments that prefer a separate process
set ``FANGKONG_EXPORT_WORKER=false`` and run ``fangkong exports run``; both claim exports with
a conditional update, so they may also run side by side.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import anyio
from fastapi import FastAPI

from fangkong.config import Settings
from fangkong.db import Database
from fangkong.exports import runner

log = logging.getLogger(__name__)


class ExportWorker:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports")
        self._lock = threading.Lock()
        self._pending: Future[Any] | None = None

    def notify(self) -> None:
        with self._lock:
            pending = self._pending
            if pending is not None and not pending.running() and not pending.done():
                return  # a run waits to start: it will see the new export
            self._pending = self._executor.submit(self._run)

    def _run(self) -> None:
        try:
            runner.run_queued(self._db, self._settings)
        except Exception:
            log.exception("the export worker's run failed")

    async def stop(self) -> None:
        """Drop the runs not started and wait (off the event loop) for the one in progress, so
        no export is still using the database when the app lets it go."""
        await anyio.to_thread.run_sync(lambda: self._executor.shutdown(cancel_futures=True))


def start(app: FastAPI) -> None:
    """Start the worker (unless the settings turn it off) and write what is already queued."""
    settings: Settings = app.state.settings
    if not settings.export_worker_enabled:
        app.state.export_worker = None
        return
    worker = ExportWorker(app.state.db, settings)
    app.state.export_worker = worker
    app.state.shutdown_hooks.append(worker.stop)
    worker.notify()


def notify(app: FastAPI) -> None:
    worker: ExportWorker | None = getattr(app.state, "export_worker", None)
    if worker is not None:
        worker.notify()
