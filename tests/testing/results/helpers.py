"""Helpers of the results tests: a lab with the staff's lab user as member, result lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.models import User
from fangkong.models.healthcode import HealthCode, HealthFact
from fangkong.models.testing import Lab, LabMember, Tube
from testing.world import make_lab

API = "/api/v1/testing"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def lab_user(session: Session) -> User:
    return session.scalars(select(User).where(User.role == "lab")).first()  # type: ignore[return-value]


def staffed_lab(session: Session, *, name: str = "道里检测中心") -> Lab:
    """A lab in 道里区 whose member is the ``staff`` fixture's lab user."""
    lab = make_lab(session, name=name)
    session.add(LabMember(lab_id=lab.id, user_id=lab_user(session).id))
    session.commit()
    return lab


def line(tube: Tube, result: str | None = "阴性", *, at: datetime | None = None,
         **ct: Any) -> dict[str, Any]:  # fmt: skip
    tested = (at or clock.now()).astimezone(SHANGHAI).isoformat()
    return {"barcode": tube.barcode, "result": result, "tested_at": tested, **ct}


def colour(session: Session, person_id: int) -> str | None:
    session.expire_all()
    code = session.get(HealthCode, person_id)
    return code.colour if code else None


def open_reasons(session: Session, person_id: int) -> set[str]:
    query = select(HealthFact.reason).where(
        HealthFact.person_id == person_id, HealthFact.ended_at.is_(None)
    )
    return set(session.scalars(query).all())
