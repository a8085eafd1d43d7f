"""Verbs of the health-code domain; callers use them as ``service.<verb>``.

Services flush and never commit; every officer's change writes an audit row.
"""

from fangkong.healthcode.service.appeals import (
    appeals_of,
    decide,
    file_appeal,
    list_appeals,
)
from fangkong.healthcode.service.bulk import colours_of, end_facts, raise_each, raise_facts
from fangkong.healthcode.service.changes import approve, list_changes, propose, reject
from fangkong.healthcode.service.codes import (
    add_fact,
    add_negative,
    code_card,
    colour_counts,
    current_edition,
    default_policy,
    end_matching,
    ensure_code,
    list_codes,
    merge,
    officer_end_fact,
    open_code,
    people_of,
    person_facts,
    person_history,
    raise_fact,
    readable_person,
    reason_views,
    recompute,
    recompute_all,
    recompute_stale_editions,
    record_negative,
)
from fangkong.healthcode.service.negatives import record_negatives
from fangkong.healthcode.service.sweep import due_day, sweep

__all__ = [
    "add_fact",
    "add_negative",
    "appeals_of",
    "approve",
    "code_card",
    "colour_counts",
    "colours_of",
    "current_edition",
    "decide",
    "default_policy",
    "due_day",
    "end_facts",
    "end_matching",
    "ensure_code",
    "file_appeal",
    "list_appeals",
    "list_changes",
    "list_codes",
    "merge",
    "officer_end_fact",
    "open_code",
    "people_of",
    "person_facts",
    "person_history",
    "propose",
    "raise_each",
    "raise_fact",
    "raise_facts",
    "readable_person",
    "reason_views",
    "recompute",
    "recompute_all",
    "recompute_stale_editions",
    "record_negative",
    "record_negatives",
    "reject",
    "sweep",
]
