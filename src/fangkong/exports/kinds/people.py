"""The people register as a list to export."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.exports.filters import (
    ExportParams,
)
from fangkong.exports.kinds.base import ExportKind, Key, Row
from fangkong.people import service as people
from fangkong.people.labels import SEX_LABELS


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
    params=ExportParams,
    labels={2: SEX_LABELS},
    booleans=frozenset({7, 8}),
    dates=frozenset({3}),
)
