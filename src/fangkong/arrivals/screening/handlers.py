"""Subscriptions of screening: a sampling closes the landing tests (落地即检) of the people
sampled."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.screening import service
from fangkong.core.events import subscribe
from fangkong.testing.events import PeopleSampled, TubesSampled


@subscribe(PeopleSampled)
def on_people_sampled(session: Session, event: PeopleSampled) -> None:
    service.close_landing(session, event.person_ids, event.tube_id, event.sampled_at)


@subscribe(TubesSampled)
def on_tubes_sampled(session: Session, event: TubesSampled) -> None:
    service.close_landing_many(session, [(t.person_ids, t.tube_id, t.sampled_at)
                                         for t in event.tubes])  # fmt: skip
