"""The households of a people import: each 户号 lives in one grid.

A row with a 户号 joins the household with that number in its grid, created on first sight
(its address is the row's). A 户号 already used in another grid — earlier in the file or in
the database — refuses the row (``household.grid_mismatch``).

Households are indexed by (grid, 户号), not by 户号 alone, so the lookups are: the batch's
(grid, 户号) pairs, exactly; the 户号s this run has used, in memory (hashes, ~50 bytes each);
and, only for numbers new to both, the households that existed before the run began (a scan,
skipped on a database that had none). Heads are set once the people have ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fangkong.people import import_driver as driver
from fangkong.people import import_store as store
from fangkong.people.import_columns import Candidate

HOUSEHOLD_COLUMNS = ("id", "grid_code", "ref", "address", "head_id")
Key = tuple[str, str]  # (grid code, 户号)


@dataclass
class Placement:
    """One batch's households: (grid, 户号) -> id, their current heads, refused lines."""

    household_of: dict[Key, int] = field(default_factory=dict)
    heads: dict[int, int | None] = field(default_factory=dict)
    refused: set[int] = field(default_factory=set)
    created_in: set[str] = field(default_factory=set)


@dataclass
class HouseholdPlacer:
    session: Session
    used_refs: set[int] = field(default_factory=set)
    existed_before: int | None = None  # the highest household id when the run began
    held: bool = False  # the run holds the households table alone (see ``reserve_ids``)

    def place(
        self,
        candidates: list[Candidate],
        now: datetime,
        heads: dict[Key, int] | None = None,
    ) -> Placement:
        """``heads``: (grid, 户号) -> the person id a household created now starts with (when
        the caller may name people it has yet to insert); otherwise heads come later."""
        placement = Placement()
        keys = {(c.grid_code, c.household_ref) for c in candidates if c.household_ref}
        if not keys:
            return placement
        if self.existed_before is None:
            self.existed_before = store.max_id(self.session, store.HOUSEHOLDS)
        found = store.households_in_grids(self.session, keys)
        elsewhere = self._used_elsewhere(keys, found)
        pending: dict[str, tuple[str, str]] = {}  # 户号 -> (grid, address)
        for candidate in candidates:
            if not self._place(candidate, found, elsewhere, pending, placement):
                placement.refused.add(candidate.line)
        self._create(pending, placement, now, heads or {})
        self.used_refs.update(hash(ref) for _, ref in placement.household_of)
        return placement

    def _used_elsewhere(self, keys: set[Key], found: dict[Key, Any]) -> set[str]:
        """户号s of the batch that are in the database in another grid."""
        unknown = {ref for grid, ref in keys if (grid, ref) not in found}
        run = {ref for ref in unknown if hash(ref) in self.used_refs}
        before = unknown - run
        if before and self.existed_before:
            run |= store.refs_up_to(self.session, before, self.existed_before)
        return run

    def _place(
        self,
        candidate: Candidate,
        found: dict[Key, Any],
        elsewhere: set[str],
        pending: dict[str, tuple[str, str]],
        placement: Placement,
    ) -> bool:
        ref, grid = candidate.household_ref, candidate.grid_code
        if ref is None:
            return True
        if (grid, ref) in found:
            household_id, head_id = found[grid, ref]
            placement.household_of[grid, ref] = household_id
            placement.heads[household_id] = head_id
            return True
        if ref in elsewhere or (ref in pending and pending[ref][0] != grid):
            return False
        pending.setdefault(ref, (grid, candidate.address or ""))
        return True

    def _create(
        self,
        pending: dict[str, tuple[str, str]],
        placement: Placement,
        now: datetime,
        heads: dict[Key, int],
    ) -> None:
        ids = driver.reserve_ids(self.session, store.HOUSEHOLDS, len(pending), held=self.held)
        rows = []
        for (ref, (grid, address)), household_id in zip(pending.items(), ids, strict=True):
            head = heads.get((grid, ref))
            placement.household_of[grid, ref] = household_id
            placement.heads[household_id] = head
            placement.created_in.add(grid)
            rows.append((household_id, grid, ref, address, head))
        stamps = {"created_at": now, "updated_at": now}
        driver.insert_rows(self.session, store.HOUSEHOLDS, HOUSEHOLD_COLUMNS, rows, stamps)

    def set_heads(self, placement: Placement, heads: dict[int, int], now: datetime) -> None:
        """``heads``: household id -> the person the file names its head."""
        rows = [
            (person_id, household_id)
            for household_id, person_id in heads.items()
            if placement.heads.get(household_id) != person_id
        ]
        driver.update_rows(self.session, store.HOUSEHOLDS, ("head_id",), rows, {"updated_at": now})
