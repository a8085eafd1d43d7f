"""The issue-11 domains of a simulated city: vaccination, sentinels, supervision and care.

Run after ``simulate.city.build_city`` in the same transaction: it reads the city's people
and regions back and writes, through each domain's own verbs (so the rows are audited as by
hand), data in proportion to the city's size. Doses are the one large volume: they go in by
bulk insert (``extras_vaccination``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.simulate.generate import (
    extras_care,
    extras_sentinel,
    extras_supervision,
    extras_vaccination,
)
from fangkong.simulate.generate.extras_world import ExtrasSummary, read_world

__all__ = ["ExtrasSummary", "build_extras"]


def build_extras(session: Session, *, settings: Settings, seed: int, today: date) -> ExtrasSummary:
    """Vaccination, sentinels, supervision and care of the city in the database; the caller
    commits."""
    world = read_world(session, settings=settings, seed=seed, today=today)
    summary = ExtrasSummary()
    if not world.residents:
        return summary
    extras_vaccination.build(session, world, summary)
    extras_sentinel.build(session, world, summary)
    extras_supervision.build(session, world, summary)
    extras_care.build(session, world, summary)
    return summary
