"""The person page's timeline: the record's own events, read from its audit rows.

Audit rows are cheap to read here (indexed by object) and say who did what and when; the
values themselves stay out of the page, only the names of the fields that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fangkong.core.errors import N_
from fangkong.models import AuditLog, Person
from fangkong.people.labels import FLAG_LABELS, KEY_GROUP_LABELS

FIELD_LABELS = {
    "name": N_("Name"),
    "address": N_("Address"),
    "grid_code": N_("Grid"),
    "household_id": N_("Household"),
    "phone_masked": N_("Phone"),
    **FLAG_LABELS,
}
SAME_MOMENT = timedelta(seconds=1)
KINDS = {
    "person.create": "create",
    "person.update": "update",
    "person.key_group_add": "key_group_add",
    "person.key_group_end": "key_group_end",
    "person.merge": "merge",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    actor: str = ""
    fields: list[str] = field(default_factory=list)
    group: str = ""
    day: str = ""
    other_id: Any = None


def _changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    before, after = before or {}, after or {}
    names = [n for n in FIELD_LABELS if n in after and before.get(n) != after.get(n)]
    return [FIELD_LABELS[n] for n in names]


def _event(row: AuditLog) -> Event:
    after = row.after or {}
    group = str(after.get("group", ""))
    return Event(
        at=row.at,
        kind=KINDS.get(row.action, "other"),
        actor=row.actor_name,
        fields=_changed(row.before, row.after) if row.action == "person.update" else [],
        group=KEY_GROUP_LABELS.get(group, group),
        day=str(after.get("end_date", "")),
        other_id=(row.before or {}).get("merged_id"),
    )


def events(person: Person, rows: Sequence[AuditLog]) -> list[Event]:
    """Newest first; a record registered without an audit row (a bulk load) still shows it."""
    found = [_event(row) for row in rows]
    if not any(event.kind == "create" for event in found):
        found.append(Event(at=person.created_at, kind="create"))
        if person.updated_at - person.created_at > SAME_MOMENT and len(found) == 1:
            found.insert(0, Event(at=person.updated_at, kind="touched"))
    return found
