"""Writing one parsed batch of the people import: a handful of statements whatever its size.

Per batch: the grids it names (cached for the run), the people already registered under its ID
hashes, the households its 户号 name, the active people sharing its new rows' likely-duplicate
keys; then executemany/COPY inserts and executemany updates. Besides the batch, the writer
keeps one bit per person id it has touched, so that an ID repeated later in the file is found
(earlier batches are already in the database), and the codes of the grids it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models import PersonStatus
from fangkong.people import errors
from fangkong.people import import_driver as driver
from fangkong.people import import_store as store
from fangkong.people.import_columns import FLAGS, PERSON_COLUMNS, Candidate, Rejection
from fangkong.people.import_households import HouseholdPlacer, Placement
from fangkong.people.import_seen import SeenHashes, SeenIds
from fangkong.people.protect import Protector

DUPLICATE_REASON = "name_birth_phone"
# Always set from the row (the document decides sex and birth date); the rest only when the
# file has the column.
ALWAYS_SET = ("name", "sex", "birth_date", "registration_code", "grid_code", "under_three")
PHONE_COLUMNS = ("phone_enc", "phone_hash", "phone_masked")


@dataclass
class _Batch:
    """What one batch decided: who is new, who exists, and the households they live in."""

    new: list[Candidate] = field(default_factory=list)
    old: list[tuple[Candidate, dict[str, Any]]] = field(default_factory=list)
    placement: Placement = field(default_factory=Placement)

    def household_id(self, candidate: Candidate) -> int | None:
        ref = candidate.household_ref
        return self.placement.household_of[candidate.grid_code, ref] if ref else None


@dataclass
class BatchWriter:
    """Writes the batches of one import run, in file order, and keeps the run's counts."""

    session: Session
    actor: Principal
    protector: Protector
    today: date
    present: frozenset[str]
    # The people table was empty as the run began and the run holds it alone: only rows whose
    # ID hash this run may have written are looked up, and likely duplicates are paired once,
    # at the end (``flag_duplicates_of_fresh_run``).
    fresh: bool = False
    # Households may name a head before the head's row exists (the foreign keys are dropped
    # meanwhile): a new household is then created with its head, not updated afterwards.
    heads_first: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged_duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    seen: SeenIds = field(default_factory=SeenIds)
    written: SeenHashes | None = None
    grid_errors: dict[str, type[DomainError] | None] = field(default_factory=dict)
    covered: dict[str, bool] = field(default_factory=dict)
    now: datetime = field(default_factory=clock.now)
    households: HouseholdPlacer = field(init=False)
    # The values a row sets, from its ``values`` and from a found person's columns, as tuples
    # (``operator.itemgetter``: one C call each instead of a comparison loop per row).
    row_compared: Callable[[tuple[Any, ...]], tuple[Any, ...]] = field(init=False)
    found_compared: Callable[[dict[str, Any]], tuple[Any, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.households = HouseholdPlacer(self.session)
        compared = _compared_columns(self.present)
        self.row_compared = itemgetter(*(index for index, _ in compared))
        self.found_compared = itemgetter(*(name for _, name in compared))
        if self.fresh:
            self.written = SeenHashes()

    def write(self, candidates: list[Candidate], now: datetime) -> None:
        self.now = now
        batch = _Batch()
        self._classify(self._in_usable_grids(candidates), batch)
        drawn = self._draw_ids(batch.new) if self.heads_first else None
        self._place_in_households(batch, drawn)
        new_ids = self._insert(batch, drawn)
        changed = self._update(batch)
        self._set_heads(batch, new_ids)
        self._key_groups(batch, new_ids, changed)
        self.updated += len(changed)
        self.unchanged += len(batch.old) - len(changed)

    def _reject(self, line: int, error: type[DomainError]) -> None:
        self.rejected.append((line, error.code, error.title))

    # --- grids and existing people ----------------------------------------------------

    def _in_usable_grids(self, candidates: list[Candidate]) -> list[Candidate]:
        codes = {c.grid_code for c in candidates} - self.grid_errors.keys()
        if codes:
            grids = store.grid_codes(self.session, codes)
            for code in codes:
                # Jurisdiction first, so that a code outside it never tells whether it exists.
                if not self.actor.covers(code):
                    self.grid_errors[code] = errors.GridOutOfScope
                else:
                    self.grid_errors[code] = None if code in grids else errors.UnknownGrid
        usable = []
        for candidate in candidates:
            error = self.grid_errors[candidate.grid_code]
            if error is None:
                usable.append(candidate)
            else:
                self._reject(candidate.line, error)
        return usable

    def _classify(self, candidates: list[Candidate], batch: _Batch) -> None:
        written = self.written
        hashes = [c.id_hash for c in candidates if written is None or written.maybe(c.id_hash)]
        existing = store.existing_people(self.session, hashes) if hashes else {}
        for candidate in candidates:
            found = existing.get(candidate.id_hash)
            error = self._refusal(found)
            if error is not None:
                self._reject(candidate.line, error)
            elif found is None:
                batch.new.append(candidate)
            else:
                batch.old.append((candidate, found))

    def _covers(self, code: str) -> bool:
        if code not in self.covered:
            self.covered[code] = self.actor.covers(code)
        return self.covered[code]

    def _refusal(self, found: dict[str, Any] | None) -> type[DomainError] | None:
        if found is None:
            return None
        if not self._covers(found["grid_code"]):
            return errors.ExistsElsewhere
        if found["id"] in self.seen:
            return errors.DuplicateInFile
        if found["status"] != PersonStatus.ACTIVE:
            return errors.PersonMergedAway
        return None

    # --- households -------------------------------------------------------------------

    def _draw_ids(self, new: list[Candidate]) -> dict[int, int]:
        """Line -> id for the new rows, drawn before their households are placed."""
        ids = driver.reserve_ids(self.session, store.PEOPLE, len(new), held=self.fresh)
        return {candidate.line: person_id for candidate, person_id in zip(new, ids, strict=True)}

    def _place_in_households(self, batch: _Batch, drawn: dict[int, int] | None) -> None:
        """Find or create the household of every row with a 户号; refuse one in two grids."""
        everyone = [*batch.new, *(candidate for candidate, _ in batch.old)]
        heads = None
        if drawn is not None:  # the last head row of a household wins, as in ``_set_heads``
            heads = {
                (c.grid_code, c.household_ref): drawn[c.line]
                for c in batch.new
                if c.is_head and c.household_ref
            }
        placement = self.households.place(everyone, self.now, heads)
        for line in sorted(placement.refused):
            self._reject(line, errors.HouseholdGridMismatch)
        if placement.refused:
            batch.new = [c for c in batch.new if c.line not in placement.refused]
            batch.old = [(c, f) for c, f in batch.old if c.line not in placement.refused]
        self.touched.update(placement.created_in)
        batch.placement = placement

    def _set_heads(self, batch: _Batch, new_ids: list[int]) -> None:
        household_of = batch.placement.household_of
        heads = {
            household_of[candidate.grid_code, candidate.household_ref]: person_id
            for candidate, person_id in _with_ids(batch, new_ids)
            if candidate.is_head and candidate.household_ref
        }
        self.households.set_heads(batch.placement, heads, self.now)

    def _stamps(self) -> dict[str, Any]:
        return {"created_at": self.now, "updated_at": self.now}

    # --- new people -------------------------------------------------------------------

    def _insert(self, batch: _Batch, drawn: dict[int, int] | None) -> list[int]:
        if not batch.new:
            return []
        matches = None if self.fresh else self._matches(batch.new)
        if drawn is None:
            ids = driver.reserve_ids(self.session, store.PEOPLE, len(batch.new), held=self.fresh)
        else:  # drawn before the households; a row refused since leaves its id unused
            ids = [drawn[candidate.line] for candidate in batch.new]
        household_of = batch.placement.household_of
        rows = [  # id, household (``_Batch.household_id``, inline), the row's values
            (
                i,
                household_of[c.grid_code, c.household_ref] if c.household_ref else None,
                *c.values[2:],
            )
            for c, i in zip(batch.new, ids, strict=True)
        ]
        constants = {"status": PersonStatus.ACTIVE.value, **self._stamps()}
        driver.insert_rows(self.session, store.PEOPLE, PERSON_COLUMNS, rows, constants)
        for person_id in ids:
            self.seen.add(person_id)
        self.touched.update(c.grid_code for c in batch.new)
        if self.written is not None:
            self.written.add_all(c.id_hash for c in batch.new)
        if matches is not None:
            self._flag_duplicates(batch.new, ids, matches)
        self.inserted += len(ids)
        return ids

    def _matches(self, new: list[Candidate]) -> dict[str, list[int]]:
        keys = {c.match_key for c in new if c.match_key}
        return store.active_by_match_key(self.session, keys) if keys else {}

    def _flag_duplicates(
        self, new: list[Candidate], ids: list[int], matches: dict[str, list[int]]
    ) -> None:
        """Pair each new person with the active people (and earlier new rows) sharing its key."""
        rows: list[tuple[int, int, str]] = []
        for candidate, person_id in zip(new, ids, strict=True):
            key = candidate.match_key
            if key is None:
                continue
            others = matches.setdefault(key, [])
            if others:
                grid = candidate.grid_code
                rows.extend((person_id, other, grid) for other in others)
            others.append(person_id)
        constants = {"reason": DUPLICATE_REASON, "status": "open", "created_at": self.now}
        columns = ("person_id", "other_id", "region_code")
        driver.insert_rows(self.session, store.DUPLICATES, columns, rows, constants)
        self.flagged_duplicates += len(rows)

    def flag_duplicates_of_fresh_run(self) -> None:
        """Pair the likely duplicates among the run's people, once its indexes are back."""
        if self.fresh:
            self.flagged_duplicates += store.pair_likely_duplicates(
                self.session, reason=DUPLICATE_REASON, now=self.now
            )

    # --- existing people --------------------------------------------------------------

    def _update(self, batch: _Batch) -> set[int]:
        rows = []
        changed: set[int] = set()
        for candidate, found in batch.old:
            self.seen.add(found["id"])
            if self._same(candidate, found, batch):
                continue
            values = self._merged(candidate, found, batch)
            if any(values[name] != found[name] for name in store.UPDATABLE):
                rows.append(values | {"person_id": found["id"], "updated_at": self.now})
                changed.add(found["id"])
                self.touched.update((found["grid_code"], values["grid_code"]))
        store.update_people(self.session, rows)
        return changed

    def _same(self, candidate: Candidate, found: dict[str, Any], batch: _Batch) -> bool:
        """Whether the row changes nothing (the common case of a re-import), cheaply."""
        values = candidate.values
        if self.row_compared(values) != self.found_compared(found):
            return False
        return "household_ref" not in self.present or (
            batch.household_id(candidate) == found["household_id"]
        )

    def _merged(self, candidate: Candidate, found: dict[str, Any], batch: _Batch) -> dict[str, Any]:
        """The existing person's columns with the row applied (absent columns left alone)."""
        person, present = dict(zip(PERSON_COLUMNS, candidate.values, strict=True)), self.present
        values = {name: found[name] for name in store.UPDATABLE}
        values.update({name: person[name] for name in ALWAYS_SET})
        values.update({flag: person[flag] for flag in FLAGS if flag in present})
        if "address" in present:
            values["address"] = person["address"]
        if "phone" in present:
            if person["phone_hash"] != found["phone_hash"]:
                values.update({name: person[name] for name in PHONE_COLUMNS})
            values["match_key"] = person["match_key"]
        elif (values["name"], values["birth_date"]) != (found["name"], found["birth_date"]):
            values["match_key"] = self._match_key_with_stored_phone(values, found)
        if "household_ref" in present:
            values["household_id"] = batch.household_id(candidate)
        elif values["grid_code"] != found["grid_code"]:
            values["household_id"] = None  # a household lives in one grid
        return values

    def _match_key_with_stored_phone(
        self, values: dict[str, Any], found: dict[str, Any]
    ) -> str | None:
        phone = self.protector.open_phone(found["phone_enc"]) if found["phone_enc"] else None
        return self.protector.match_key(values["name"], values["birth_date"], phone)

    # --- key groups -------------------------------------------------------------------

    def _key_groups(self, batch: _Batch, new_ids: list[int], changed: set[int]) -> None:
        """A membership from today for each row's key group, unless one is open already."""
        members = [(c, pid) for c, pid in _with_ids(batch, new_ids) if c.key_group is not None]
        if not members:
            return
        old_ids = [found["id"] for c, found in batch.old if c.key_group is not None]
        current = store.open_memberships(self.session, old_ids, self.today) if old_ids else {}
        inserts: list[tuple[int, str, str | None]] = []
        employers: list[dict[str, Any]] = []
        new = set(new_ids)
        for candidate, person_id in members:
            group = candidate.key_group.value if candidate.key_group else ""
            membership = current.get((person_id, group))
            if membership is None:
                inserts.append((person_id, group, candidate.employer))
            elif "employer" in self.present and membership[1] != candidate.employer:
                employers.append(
                    {"membership_id": membership[0], "new_employer": candidate.employer}
                )
            else:
                continue
            if person_id not in new:
                changed.add(person_id)
                self.touched.add(candidate.grid_code)
        constants = {"start_date": self.today, "end_date": None, "created_at": self.now}
        columns = ("person_id", "group", "employer")
        driver.insert_rows(self.session, store.MEMBERSHIPS, columns, inserts, constants)
        store.set_employers(self.session, employers)


def _compared_columns(present: frozenset[str]) -> list[tuple[int, str]]:
    """Positions in ``Candidate.values`` of the columns a row of this file sets."""
    names = [*ALWAYS_SET, *(flag for flag in FLAGS if flag in present)]
    if "address" in present:
        names.append("address")
    if "phone" in present:
        names += ["phone_hash", "match_key"]
    return [(PERSON_COLUMNS.index(name), name) for name in names]


def _with_ids(batch: _Batch, new_ids: list[int]) -> Iterator[tuple[Candidate, int]]:
    yield from zip(batch.new, new_ids, strict=True)
    yield from ((candidate, found["id"]) for candidate, found in batch.old)
