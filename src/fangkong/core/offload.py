"""Bulk work split over two processes: a child computes items (parsed or checked batches of a
file) and sends each through a pipe while this process writes the previous one.

CPython runs Python code on one core at a time, and threads would not do: SQLite's
``executemany`` gives up the GIL for every row and waits for it again each time, which a
busy thread turns into a stall per row. A child process uses the second core instead.

``items(target, args, name=…)`` starts a child that runs ``target(*args)`` (a generator) and
returns a generator of what it yields, in order. The child sends at most one item ahead (a
send waits until the previous one was received), so memory stays at two or three items. A
``DomainError`` in the child is raised again here, with its class and detail; any other
failure is raised as a ``RuntimeError`` (or an ``OSError``) naming the child; a child that
dies is noticed within ``POLL_SECONDS``. Closing the generator (the caller stops early)
terminates the child. The child never uses this process's database connections; a target
that reads the database opens its own (``arrivals.intake.importer``: read-only).

``prefetch``: a thread of this process receives and unpickles the next item while the caller
works on the one before (one item ahead, so three items in memory: the caller's, the
thread's and the one the child is sending). That thread does no computing of its
own; it only moves the unpickling into the caller's waits on a database server, which
release the GIL (a pushed list's writer on PostgreSQL: 2.9 s of its time spent in receiving
fell to 0.6 s). Where the caller is the database (SQLite), it is left off, for the reason
above.

How the child starts:

- ``spawn`` (the default): a fresh interpreter, nothing inherited (no database connection,
  no thread); ``target`` and ``args`` are pickled to it, and it imports ``target``'s module
  first, so that module should be light.
- ``fork``: a copy of this process, ready at once with every module it has imported. Only
  for a process with a single thread (a command, never the server): a lock held by another
  thread at the fork would stay held in the child. The child leaves with ``os._exit`` and so
  never closes the database connections it inherits, and it freezes the heap it inherits
  before collecting anything, so that none of the parent's finalizers runs there. The child
  closes its copy of the pipe's reading end: if this process dies, the child's next send
  fails and it ends.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import types
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Literal

from fangkong.core.errors import DomainError
from fangkong.core.heap import fewer_collections

POLL_SECONDS = 1.0
Start = Literal["spawn", "fork"]


def items(
    target: Callable[..., Iterator[Any]],
    args: tuple[Any, ...],
    *,
    name: str,
    start: Start = "spawn",
    nice: int = 0,
    prefetch: bool = False,
) -> Generator[Any, None, None]:
    """Run ``target(*args)`` in a child process named ``name``; what it yields, in order.
    ``nice``: the child lowers its scheduling priority by that much, for a child that runs
    ahead of this process: on a machine with fewer free cores than busy processes (this
    one, the child, the database server), the writer and the server go first.
    ``prefetch``: a thread of this process receives and unpickles the next item while the
    caller works on the current one (``_receiving``)."""
    context = (
        multiprocessing.get_context("fork")
        if start == "fork"
        else multiprocessing.get_context("spawn")
    )
    receiver, sender = context.Pipe(duplex=False)
    inherited = receiver if start == "fork" else None  # the child closes its copy
    child = context.Process(
        target=_child_main,
        args=(target, args, name, sender, inherited),
        kwargs={"nice": nice},
        name=name,
        daemon=True,
    )
    try:
        _start(child, start)
    except BaseException:
        receiver.close()
        raise
    finally:
        sender.close()
    messages = _messages(child, name, receiver, prefetch=prefetch)
    next(messages)  # primed: from now on, closing it ends the child even before a first item
    return messages


def _start(child: Any, start: Start) -> None:
    if start == "spawn":
        with script_not_rerun():
            child.start()
        return
    sys.stdout.flush()  # a forked child would write what is still buffered again
    sys.stderr.flush()
    # No collection between the fork and the child's ``gc.freeze`` (``_child_main``): a cycle
    # of this process's, collected in the child, could run a finalizer there (a connection
    # returned to its pool, a ROLLBACK sent down the shared socket).
    enabled = gc.isenabled()
    gc.disable()
    try:
        child.start()
    finally:
        if enabled:
            gc.enable()


@contextmanager
def script_not_rerun() -> Iterator[None]:
    """While a ``spawn`` child starts: a blank ``__main__`` when the command is a script.

    ``spawn`` runs the parent's main script again in the child (for functions defined there),
    and ``fangkong``'s console script imports every command: about 2 s of CPU before the child
    starts its work, while this process waits for its first item. A child's target lives in a
    module the child imports by name, so it needs nothing from the script. A main run as a
    module (``python -m``) has a ``__spec__`` and is left alone.
    """
    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is not None or not hasattr(main, "__file__"):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _messages(
    child: Any, name: str, receiver: Connection, *, prefetch: bool = False
) -> Generator[Any, None, None]:
    try:
        yield None  # ``items`` primes the generator here
        if prefetch:
            yield from _prefetched(child, name, receiver)
            return
        while True:
            payload = _payload(receive(child, name, receiver))
            if payload is _DONE:
                return
            yield payload
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


_DONE = object()


def _payload(message: tuple[str, Any]) -> Any:
    """An item's payload; ``_DONE`` at the end; the child's refusal or failure raised."""
    kind, payload = message
    if kind == "done":
        return _DONE
    if kind == "refused":
        error_class, detail = payload
        raise error_class(detail)
    if kind == "failed":
        raise payload
    return payload


def _prefetched(child: Any, name: str, receiver: Connection) -> Generator[Any, None, None]:
    """The child's items, received by a thread (``_receiving``) one item ahead: it receives
    the next message only once the caller has taken the last one (``room``), so it holds at
    most one while the child computes the one after. The thread alone touches ``receiver``
    until it has ended: leaving (the end, an error, the caller closing early) stops it and
    waits for it, at most a poll and a message's unpickling."""
    out: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
    room, stop = threading.Semaphore(1), threading.Event()
    thread = threading.Thread(target=_receiving, args=(child, name, receiver, out),
                              kwargs={"room": room, "stop": stop}, name=f"{name} receiver",
                              daemon=True)  # fmt: skip
    thread.start()
    try:
        while True:
            ok, message = out.get()
            room.release()
            if not ok:
                raise message
            payload = _payload(message)
            if payload is _DONE:
                return
            yield payload
    finally:
        stop.set()
        thread.join()


def _receiving(
    child: Any, name: str, receiver: Connection, out: queue.SimpleQueue[tuple[bool, Any]], *,
    room: threading.Semaphore, stop: threading.Event,
) -> None:  # fmt: skip
    """The prefetching thread: each message (``(True, message)``) or the error that ended the
    receiving (``(False, error)``) into ``out``, until the last message or ``stop``.

    Worth it where the caller waits with the GIL released (a PostgreSQL server's reply): the
    unpickling, which holds the GIL, then runs meanwhile. Not where the caller's own waits
    hold it back, as SQLite's row-by-row ``executemany`` does (see the module's note)."""
    try:
        while _waited(room.acquire, stop):
            if not _waited(lambda timeout: _ready(child, name, receiver, timeout), stop):
                return
            message = _loaded(receiver, name)
            out.put((True, message))
            if message[0] != "item":
                return
    except Exception as error:  # handed to the caller, raised there
        out.put((False, error))


def _waited(ready: Callable[..., bool], stop: threading.Event) -> bool:
    """``ready(timeout=…)`` asked again every tenth of a second until it is true (true) or
    ``stop`` is set (false)."""
    while not stop.is_set():
        if ready(timeout=min(POLL_SECONDS, 0.1)):
            return True
    return False


def _ready(child: Any, name: str, receiver: Connection, timeout: float) -> bool:
    """Whether a message waits in the pipe within ``timeout``; a dead child with none is an
    error."""
    if receiver.poll(timeout):
        return True
    if not child.is_alive():
        raise RuntimeError(f"the {name} process stopped unexpectedly")
    return False


def receive(child: Any, name: str, receiver: Connection) -> tuple[str, Any]:
    """The child's next message (``item``, ``done``, ``refused`` or ``failed``)."""
    while not receiver.poll(POLL_SECONDS):
        if not child.is_alive():
            raise RuntimeError(f"the {name} process stopped unexpectedly")
    return _loaded(receiver, name)


def _loaded(receiver: Connection, name: str) -> tuple[str, Any]:
    try:
        # From our own child process, never from a user (the user's file is read there).
        message: tuple[str, Any] = pickle.loads(receiver.recv_bytes())  # noqa: S301
    except EOFError:
        raise RuntimeError(f"the {name} process stopped unexpectedly") from None
    return message


def _child_main(
    target: Callable[..., Iterator[Any]],
    args: tuple[Any, ...],
    name: str,
    sender: Connection,
    inherited: Connection | None,
    *,
    nice: int = 0,
) -> None:
    """The child process: compute, send; report a refusal or a failure instead of dying.

    A forked child first closes its copy of the parent's end of the pipe: if the parent
    dies, the child's next send then fails (broken pipe) and it ends, instead of waiting
    forever on a full pipe and keeping the parent's database connection open."""
    if inherited is not None:  # forked: what this process inherited stays out of collections
        gc.freeze()
        gc.enable()
        inherited.close()
    if nice:
        os.nice(nice)
    with fewer_collections():  # the child's whole life is the bulk work
        try:
            for item in target(*args):
                send(sender, ("item", item))
            send(sender, ("done", None))
        except BrokenPipeError:  # the parent is gone: nobody to tell
            pass
        except DomainError as error:
            send(sender, ("refused", (type(error), error.detail)))
        except Exception as error:  # any failure is reported to the parent, not lost
            send(sender, ("failed", _picklable(error, name)))
        finally:
            sender.close()


def send(sender: Connection, message: tuple[str, Any]) -> None:
    """Pickle ``message`` without pickle's memo (``Pickler.fast``) and send it.

    The memo records every object pickled so that a shared or recursive one is written once;
    a batch holds no recursion and hardly any sharing, but some thirty objects a row, so
    the memo was more than half of a people batch's pickling CPU (measured: 3.9 µs a row with
    it, 1.5 without). Without it the stream also carries no memo entries for the parent to
    store while unpickling."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    sender.send_bytes(buffer.getbuffer())


def _picklable(error: Exception, name: str) -> Exception:
    if isinstance(error, OSError):
        return OSError(error.errno, error.strerror, error.filename)
    return RuntimeError(f"the {name} process failed: {type(error).__name__}: {error}")
