"""``core.heap.fewer_collections``: rarer collections and a frozen heap inside the block, the
collector's settings as they were after it, whether blocks nest, overlap from two threads or
start on a heap frozen before (a served worker's)."""

from __future__ import annotations

import gc
import threading

import pytest

from fangkong.core.heap import BULK_THRESHOLD, fewer_collections


@pytest.fixture
def collector():
    """The test starts from an unfrozen heap with CPython's thresholds, and leaves it so."""
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*threshold)
    if frozen:
        gc.freeze()


def test_inside_the_block_collections_are_rarer_and_the_heap_frozen(collector):
    with fewer_collections():
        assert gc.get_threshold() == (BULK_THRESHOLD, 10, 10)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_a_small_job_changes_nothing(collector):
    with fewer_collections(large=False):
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0


def test_nested_blocks_restore_only_at_the_outermost(collector):
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == BULK_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_a_heap_frozen_before_stays_frozen(collector):
    gc.freeze()
    frozen = gc.get_freeze_count()
    with fewer_collections():
        pass
    assert gc.get_freeze_count() >= frozen > 0
    assert gc.get_threshold() == (700, 10, 10)


def test_blocks_overlapping_from_two_threads_restore_once_both_are_done(collector):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold()[0])  # the first has left: still rarer

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [BULK_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0
