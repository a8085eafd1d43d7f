"""The edition's single-tube rule (单采): who may not go into a pooled tube, and why — a
key-group member; a person under control (a red or yellow code, or a test owed). One rule for
the one-by-one path (``add_member``) and the bulk one (``sample_pools``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.healthcode import service as healthcode
from fangkong.policy.schema import Edition
from fangkong.policy.types import Colour
from fangkong.testing.sampling import errors, repository

CONTROLLED = {Colour.RED, Colour.YELLOW}


def single_tube_reason(session: Session, settings: Settings, person_id: int) -> str | None:
    """Why the edition wants this person sampled alone, or None."""
    return single_tube_reasons(session, settings, [person_id]).get(person_id)


def single_tube_reasons(
    session: Session, settings: Settings, person_ids: Sequence[int]
) -> dict[int, str]:
    """Those of the people the edition samples alone, with why (a sampler sorting a queue
    into pools and single tubes)."""
    return reasons(session, healthcode.current_edition(session, settings.policy), person_ids)


def reasons(session: Session, edition: Edition, person_ids: Sequence[int]) -> dict[int, str]:
    """``single_tube_reasons`` under ``edition``: the colours read without writing, the open
    tasks and the key groups a chunk at a time."""
    groups = edition.testing.pooling.single_tube_groups
    alone: dict[int, str] = {}
    for chunk in batched(sorted(set(person_ids)), repository.LOOKUP_CHUNK):
        if "under_control" in groups:
            colours = healthcode.colours_of(session, chunk, edition=edition)
            owing = repository.with_open_tasks(session, chunk)
            alone |= {p: errors.UNDER_CONTROL_REASON for p in chunk
                      if p in owing or colours[p] in CONTROLLED}  # fmt: skip
        if "key_group" in groups:  # named first when both hold
            members = repository.in_key_groups(session, chunk, clock.local_today())
            alone |= {p: errors.KEY_GROUP_REASON for p in members}
    return alone
