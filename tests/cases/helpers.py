"""Helpers of the cases tests: principals, a clock at a fixed instant, counts of rows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.models import AuditLog
from fangkong.models.cases import Case, CaseEvent, CaseLink, Cluster
from fangkong.models.healthcode import HealthFact
from outbreak_world import DAOLI, NANGANG

API = "/api/v1/cases"
PERMS = frozenset({"cases.read", "cases.manage"})
EPI = Principal(id=None, username="epi", role="epidemiologist", region_code=DAOLI,
                permissions=PERMS)  # fmt: skip
NANGANG_EPI = Principal(id=None, username="nepi", role="epidemiologist", region_code=NANGANG,
                        permissions=PERMS)  # fmt: skip


def counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(table)) or 0
        for table in (Case, CaseEvent, CaseLink, Cluster, AuditLog)
    )


def open_reasons(session: Session, person_id: int) -> set[str]:
    query = select(HealthFact.reason).where(
        HealthFact.person_id == person_id, HealthFact.ended_at.is_(None)
    )
    return set(session.scalars(query).all())
