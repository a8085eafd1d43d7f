"""The registry's part of a person's timeline: the case reported, classified, converted,
transferred and closed (registered by importing this module from ``fangkong.cases``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.cases.registry import service
from fangkong.cases.registry.labels import EVENT_LABELS, KIND_LABELS, STATUS_LABELS
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.people.timeline import Entry, Msg, source

SHOWN = {"created", "classified", "converted", "transferred", "outcome"}
TONES = {"created": "alert", "classified": "alert", "converted": "alert", "outcome": "ok"}


@source
def cases(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.CASES_READ):
        return []
    return [
        Entry(
            at=event.at,
            domain="cases",
            text=N_("Case %(case_no)s: %(step)s (%(state)s)"),
            params={
                "case_no": case.case_no,
                "step": Msg(EVENT_LABELS[event.kind]),
                "state": Msg(KIND_LABELS.get(case.kind or "", STATUS_LABELS[case.status])),
            },
            link=f"/cases/{case.id}",
            tone=TONES.get(event.kind, ""),
        )
        for event, case in service.events_of_person(session, person_id)
        if event.kind in SHOWN
    ]
