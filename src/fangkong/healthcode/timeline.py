"""The health code's part of a person's timeline: each change of colour with its reasons."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.healthcode import service
from fangkong.healthcode.labels import COLOUR_LABELS, reason_msgid
from fangkong.people.timeline import Entry, Msg, source

TONES = {"red": "alert", "yellow": "warn", "green": "ok"}


@source
def code_changes(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.HEALTH_CODE_READ):
        return []
    return [
        Entry(
            at=row.changed_at,
            domain="health_code",
            text=N_("Health code %(colour)s: %(reasons)s")
            if row.reasons
            else N_("Health code %(colour)s"),
            params={
                "colour": Msg(COLOUR_LABELS.get(row.colour, row.colour)),
                "reasons": tuple(Msg(reason_msgid(str(code))) for code in row.reasons),
            },
            link=f"/health-code/people/{person_id}",
            tone=TONES.get(row.colour, ""),
        )
        for row in service.person_history(session, person_id)
    ]
