"""What an exportable list is: its permission, filters, headers, a count and chunks.

Each kind reads through its own domain's service (the list's scoping and filters), one
keyset-paginated chunk at a time, so that no export ever holds the list in memory. Personal
numbers appear only in their masked forms (``id_number_masked``, ``phone_masked``); the lists
that show masked names (cases, contacts, placements, trips) export them masked too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.exports.filters import ExportParams, ListFilters

Row = Sequence[Any]
Key = list[Any] | None
# (session, actor, params, after, limit) -> (rows, key of the last row or None at the end);
# ``params`` is an instance of the kind's ``params`` model.
ChunkFunc = Callable[[Session, Principal, Any, Key, int], tuple[Sequence[Row], Key]]
CountFunc = Callable[[Session, Principal, Any], int]

# The person's columns of the lists that name people.
NAME_AND_NUMBERS = (N_("Name"), N_("ID number"), N_("Phone"))


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    permission: Perm
    headers: tuple[str, ...]  # msgids, translated in the requester's language
    count: CountFunc
    chunk: ChunkFunc
    params: type[ListFilters] = ExportParams  # the list's filters
    personal: bool = True
    # Coded columns shown by their label (column index -> value -> msgid).
    labels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    # Columns holding several codes (a sequence), each shown by its label, joined.
    label_lists: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    # Columns of booleans (shown as "yes" or empty), of dates (ISO 8601) and of instants
    # (ISO 8601 in the platform's time zone, Asia/Shanghai).
    booleans: frozenset[int] = frozenset()
    dates: frozenset[int] = frozenset()
    instants: frozenset[int] = frozenset()
    # Cells that are booleans are written as this text ("是" / "").
    yes: str = N_("yes")

    def validated(self, params: BaseModel | Mapping[str, Any]) -> ListFilters:
        """The kind's filters from a request's params or an export's stored JSON."""
        raw = params.model_dump(exclude_unset=True) if isinstance(params, BaseModel) else params
        return self.params.model_validate(raw)


def through(
    where: Callable[[Session, Any], Any], count: Callable[..., int], rows: Callable[..., Any]
) -> tuple[CountFunc, ChunkFunc]:
    """A kind's count and chunk functions: the domain's export functions given the list's
    filter (built from the export's params, with the session for policy thresholds)."""

    def counted(session: Session, actor: Principal, params: Any) -> int:
        return count(session, actor=actor, where=where(session, params))

    def chunk(
        session: Session, actor: Principal, params: Any, after: Key, limit: int
    ) -> tuple[Sequence[Row], Key]:
        found: tuple[Sequence[Row], Key] = rows(
            session, actor=actor, where=where(session, params), after=after, limit=limit
        )
        return found

    return counted, chunk
