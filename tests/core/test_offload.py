"""``core.offload.items``: a child process's items arrive in order, forked or spawned; a
refusal in the child is raised again with its class and detail, any other failure as a
``RuntimeError`` naming the child; a child that dies is noticed; closing early ends it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from fangkong.core import offload
from fangkong.core.errors import InvalidInput


def _squares(count: int) -> Iterator[tuple[int, int]]:
    for n in range(count):
        yield n, n * n


def _refuses_after(count: int) -> Iterator[int]:
    yield from range(count)
    raise InvalidInput("row 7")


def _fails() -> Iterator[int]:
    yield 1
    raise ValueError("broken")


def _dies() -> Iterator[int]:
    yield os.getpid()
    os._exit(3)


def _endless() -> Iterator[int]:
    n = 0
    while True:
        yield os.getpid() if n == 0 else n
        n += 1


@pytest.mark.parametrize("prefetch", [False, True], ids=["in turn", "prefetched"])
def test_the_items_arrive_in_order_from_a_forked_child(prefetch):
    items = list(offload.items(_squares, (5,), name="test", start="fork", prefetch=prefetch))
    assert items == [(n, n * n) for n in range(5)]


def _niceness() -> Iterator[int]:
    yield os.nice(0)


def test_a_child_asked_to_be_nice_runs_at_a_lower_priority():
    mine = os.nice(0)
    [plain] = offload.items(_niceness, (), name="test", start="fork")
    [lowered] = offload.items(_niceness, (), name="test", start="fork", nice=5)
    assert (plain, lowered) == (mine, min(mine + 5, 19))


def test_a_spawned_child_imports_its_target_by_name():
    # a fresh interpreter: the target must be importable there (a test module is not)
    assert list(offload.items(iter, ([3, 1, 2],), name="test", start="spawn")) == [3, 1, 2]


@pytest.mark.parametrize("prefetch", [False, True], ids=["in turn", "prefetched"])
def test_a_refusal_in_the_child_is_raised_here_with_its_class_and_detail(prefetch):
    items = offload.items(_refuses_after, (2,), name="test", start="fork", prefetch=prefetch)
    assert next(items) == 0 and next(items) == 1
    with pytest.raises(InvalidInput) as raised:
        next(items)
    assert raised.value.detail == "row 7"


@pytest.mark.parametrize("prefetch", [False, True], ids=["in turn", "prefetched"])
def test_another_failure_is_a_runtime_error_naming_the_child(prefetch):
    items = offload.items(_fails, (), name="list's checking", start="fork", prefetch=prefetch)
    assert next(items) == 1
    with pytest.raises(RuntimeError, match="list's checking process failed: ValueError: broken"):
        next(items)


@pytest.mark.parametrize("prefetch", [False, True], ids=["in turn", "prefetched"])
def test_a_child_that_dies_is_noticed(monkeypatch, prefetch):
    monkeypatch.setattr(offload, "POLL_SECONDS", 0.05)
    items = offload.items(_dies, (), name="test", start="fork", prefetch=prefetch)
    pid = next(items)
    assert pid != os.getpid()
    with pytest.raises(RuntimeError, match="test process stopped unexpectedly"):
        next(items)


@pytest.mark.parametrize("prefetch", [False, True], ids=["in turn", "prefetched"])
def test_closing_early_ends_the_child(prefetch):
    items = offload.items(_endless, (), name="test", start="fork", prefetch=prefetch)
    pid = next(items)
    assert next(items) == 1
    items.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # terminated and joined: no such process any more


def test_closing_before_the_first_item_ends_the_child():
    items = offload.items(_endless, (), name="test", start="fork")
    child = items.gi_frame.f_locals["child"]
    items.close()
    assert child.exitcode is not None  # terminated and joined


def test_a_forked_child_ends_when_nobody_reads_any_more():
    """As when the parent is killed: the child holds no copy of the reading end, so its next
    send fails and it ends, rather than wait forever on a full pipe (and keep the parent's
    database connection open)."""
    items = offload.items(_endless, (), name="test", start="fork")
    frame = items.gi_frame.f_locals
    child, receiver = frame["child"], frame["receiver"]
    receiver.close()
    child.join(timeout=10)
    assert child.exitcode == 0
    items.close()


def test_a_prefetching_thread_receives_the_next_item_before_the_caller_asks(monkeypatch):
    """With ``prefetch`` the next item is received (and unpickled) while the caller is busy
    with the one before, and only that one: the item after it stays with the child until the
    caller takes the next."""
    received = []
    loaded = offload._loaded
    monkeypatch.setattr(offload, "_loaded", lambda *args: received.append(1) or loaded(*args))
    items = offload.items(_squares, (4,), name="test", start="fork", prefetch=True)
    assert next(items) == (0, 0)
    deadline = time.monotonic() + 30
    while len(received) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # time enough to receive a third, were it allowed to
    assert len(received) == 2, "the first item and the next, no more"
    assert next(items) == (1, 1)
    assert list(items) == [(2, 4), (3, 9)]


def test_closing_a_prefetched_generator_stops_its_thread():
    items = offload.items(_endless, (), name="test", start="fork", prefetch=True)
    next(items)
    assert any(t.name == "test receiver" for t in threading.enumerate())
    items.close()
    assert not any(t.name == "test receiver" for t in threading.enumerate())
