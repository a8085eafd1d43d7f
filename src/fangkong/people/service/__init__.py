"""Verbs of the people domain: register, change, find, reveal, households, counts, ledger, merge.

Every verb takes the acting ``Principal`` and works inside its jurisdiction (the grid code's
prefix); services flush and never commit, and every change writes an audit row. Opening a
record, revealing a number and searching by ID number or phone write an access-log row.
The verbs live in the modules of this package; callers use them as ``service.<verb>``.
"""

from fangkong.people.repository import PersonFilter
from fangkong.people.service.households import (
    add_member,
    create_household,
    get_household,
    history,
    household_members,
    list_households,
    members,
    remove_member,
    update_household,
)
from fangkong.people.service.ledger import (
    COUNT_KEYS,
    GridLedger,
    LedgerEntry,
    Load,
    grid_workers,
    ledger,
    log_export,
    nightly_recount,
    recount_all,
    recount_grids,
    region_counts,
    worker_load,
)
from fangkong.people.service.merge import (
    dismiss_duplicate,
    get_duplicate,
    list_duplicates,
    merge_duplicate,
)
from fangkong.people.service.registry import (
    AUDITED_FIELDS,
    DUPLICATE_REASON_MATCH,
    REVEAL_PERMISSION,
    access_log,
    add_key_group,
    count_people,
    create_person,
    end_key_group,
    get_person,
    key_groups,
    list_people,
    log_access,
    people_rows,
    require_grid,
    reveal,
    search_exact,
    update_person,
)
from fangkong.people.service.roster import Resident, residents

__all__ = [
    "AUDITED_FIELDS",
    "COUNT_KEYS",
    "DUPLICATE_REASON_MATCH",
    "REVEAL_PERMISSION",
    "GridLedger",
    "LedgerEntry",
    "Load",
    "PersonFilter",
    "Resident",
    "access_log",
    "add_key_group",
    "add_member",
    "count_people",
    "create_household",
    "create_person",
    "dismiss_duplicate",
    "end_key_group",
    "get_duplicate",
    "get_household",
    "get_person",
    "grid_workers",
    "history",
    "household_members",
    "key_groups",
    "ledger",
    "list_duplicates",
    "list_households",
    "list_people",
    "log_access",
    "log_export",
    "members",
    "merge_duplicate",
    "nightly_recount",
    "people_rows",
    "recount_all",
    "recount_grids",
    "region_counts",
    "remove_member",
    "require_grid",
    "residents",
    "reveal",
    "search_exact",
    "update_household",
    "update_person",
    "worker_load",
]
