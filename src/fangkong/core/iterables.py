"""Small helpers over iterables that the standard library of Python 3.11 lacks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive tuples of ``size`` items, the last one shorter (``itertools.batched`` of
    Python 3.12). Bulk paths write and look up in such chunks to bound statements and memory."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
