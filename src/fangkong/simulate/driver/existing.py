"""Whether the database already holds an outbreak (``simulate outbreak --if-empty``): cases,
or the places of an earlier run (its lab, ``S<seed> 检测实验室``, made at set-up, so a run that
stopped before its first case counts too). ``make demo`` runs the demo outbreak once."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.core.principal import Principal
from fangkong.simulate.driver.places import LAB_NAME
from fangkong.testing.results import service as labs

_RUN_LAB = re.compile(re.escape(LAB_NAME).replace(r"\{seed\}", r"\d+"))


def existing_outbreak(session: Session, *, actor: Principal) -> str | None:
    """Why an outbreak run would not start on an empty platform, or None."""
    count = cases.count_for_export(session, actor=actor, where=cases.CaseFilter())
    if count:
        return f"{count} cases already exist"
    runs = sorted(lab.name for lab in labs.list_labs(session, actor=actor)
                  if _RUN_LAB.fullmatch(lab.name))  # fmt: skip
    if runs:
        return f"an earlier run's lab exists ({runs[0]})"
    return None
