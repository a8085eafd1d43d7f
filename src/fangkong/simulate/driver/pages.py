"""Every row of a keyset-paged list, page after page (the case list, the testing tasks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from fangkong.core.pagination import MAX_LIMIT, PageParams

Row = TypeVar("Row")


def every_row(fetch: Callable[[PageParams], tuple[Sequence[Row], str | None]]) -> Iterator[Row]:
    """The rows ``fetch`` gives for each page, by the list's cursor: a row the caller changes
    on one page does not move the pages after it."""
    cursor = None
    while True:
        rows, cursor = fetch(PageParams(limit=MAX_LIMIT, cursor=cursor))
        yield from rows
        if cursor is None:
            return
