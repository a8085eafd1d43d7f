"""The registry of exportable lists: kind → permission, headers, a row estimate and chunks.

Each kind reads through its own domain's service (the list's scoping and filters), one
keyset-paginated chunk at a time, so that no export ever holds the list in memory. Personal
numbers appear only in their masked forms (``id_number_masked``, ``phone_masked``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.exports.errors import UnknownKind
from fangkong.exports.schemas import ExportParams
from fangkong.people import service as people
from fangkong.people.labels import SEX_LABELS

Row = Sequence[Any]
Key = list[Any] | None
# (session, actor, params, after, limit) -> (rows, key of the last row or None at the end)
ChunkFunc = Callable[[Session, Principal, ExportParams, Key, int], tuple[Sequence[Row], Key]]
CountFunc = Callable[[Session, Principal, ExportParams], int]


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    permission: Perm
    headers: tuple[str, ...]  # msgids, translated in the requester's language
    count: CountFunc
    chunk: ChunkFunc
    personal: bool = True
    # Coded columns shown by their label (column index -> value -> msgid).
    labels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    # Columns of booleans (shown as "yes" or empty) and of dates (ISO 8601).
    booleans: frozenset[int] = frozenset()
    dates: frozenset[int] = frozenset()
    # Cells that are booleans are written as this text ("是" / "").
    yes: str = N_("yes")


def _people_filter(params: ExportParams) -> people.PersonFilter:
    return people.PersonFilter(
        q=params.q, region=params.region, key_group=params.key_group, flags=tuple(params.flags)
    )


def _people_count(session: Session, actor: Principal, params: ExportParams) -> int:
    return people.count_people(session, actor=actor, where=_people_filter(params))


def _people_chunk(
    session: Session, actor: Principal, params: ExportParams, after: Key, limit: int
) -> tuple[Sequence[Row], Key]:
    where = _people_filter(params)
    return people.people_rows(session, actor=actor, where=where, after=after, limit=limit)


PEOPLE = ExportKind(
    name="people",
    label=N_("People"),
    permission=Perm.PEOPLE_READ,
    headers=(
        N_("Person id"),
        N_("Name"),
        N_("Sex"),
        N_("Birth date"),
        N_("ID number"),
        N_("Phone"),
        N_("Grid code"),
        N_("Migrant"),
        N_("From abroad"),
    ),
    count=_people_count,
    chunk=_people_chunk,
    labels={2: SEX_LABELS},
    booleans=frozenset({7, 8}),
    dates=frozenset({3}),
)

KINDS: dict[str, ExportKind] = {k.name: k for k in (PEOPLE,)}


def kind_of(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name[:32]) from None


def names() -> Sequence[str]:
    return tuple(KINDS)
