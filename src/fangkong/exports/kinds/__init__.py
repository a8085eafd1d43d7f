"""The registry of exportable lists: kind name → ``ExportKind`` (see ``base``).

Each domain's lists are declared in their own module here; this registry only gathers them.
"""

from __future__ import annotations

from collections.abc import Sequence

from fangkong.exports.errors import UnknownKind
from fangkong.exports.kinds import care, people, response, sentinel, supervision, vaccination
from fangkong.exports.kinds.base import ChunkFunc, CountFunc, ExportKind, Key, Row

__all__ = ["KINDS", "ChunkFunc", "CountFunc", "ExportKind", "Key", "Row", "kind_of", "names"]

KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        people.PEOPLE,
        response.CASES,
        response.CONTACTS,
        response.PLACEMENTS,
        response.TRIPS,
        sentinel.FEVER_VISITS,
        sentinel.DRUG_SALES,
        sentinel.SENTINEL_SITES,
        supervision.INSPECTION_PROBLEMS,
        supervision.PROPERTY_COMPANIES,
        supervision.VIDEO_POINTS,
        vaccination.VACCINATION_OUTREACH,
        care.CARE_REQUESTS,
        care.VOLUNTEERS,
        care.CARE_PAIRINGS,
        care.CARE_TEAMS,
    )
}


def kind_of(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name[:32]) from None


def names() -> Sequence[str]:
    return tuple(KINDS)
