"""The registry's part of the person timeline: reported, classified and closed, each linking to
the case file; nothing for a reader without ``cases.read``."""

from __future__ import annotations

import fangkong.cases.registry.timeline  # noqa: F401 - registers the source (as the package will)
from cases.helpers import EPI
from fangkong.cases.registry import service
from fangkong.cases.registry.schemas import ClassifyIn, OutcomeIn
from fangkong.core.principal import Principal
from fangkong.people.timeline import entries
from outbreak_world import make_case, make_resident


def test_case_steps_on_the_timeline(session, settings, world):
    person = make_resident(session, settings)
    case = make_case(session, person, kind=None, status="pending")
    service.add_event(session, case, "created", EPI)
    service.classify(session, actor=EPI, case_id=case.id, data=ClassifyIn(kind="confirmed"))  # type: ignore[arg-type]
    service.close(session, actor=EPI, case_id=case.id, data=OutcomeIn(outcome="discharged"))  # type: ignore[arg-type]
    found = [e for e in entries(session, EPI, person.id) if e.domain == "cases"]
    assert [e.params["step"] for e in found] == ["Closed", "Classified", "Reported"]
    assert all(e.link == f"/cases/{case.id}" for e in found)
    reader = Principal(id=None, username="x", role="grid_worker", region_code="230102")
    assert [e for e in entries(session, reader, person.id) if e.domain == "cases"] == []
