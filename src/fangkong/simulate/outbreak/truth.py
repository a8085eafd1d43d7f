"""The run's ground truth as CSV files in a folder of its own, apart from the platform's data.

Files (header row first; persons by platform id, ``infector_id`` empty for seed and imported):

- ``venues.csv``: ``venue, kind, grid`` (venue index as used below, kind name, grid index).
- ``infections.csv``: ``infectee_id, infector_id, setting, place, day, minute`` — setting is
  ``seed``, ``imported``, ``household`` (place = household id) or ``venue`` (place = venue).
- ``contacts.csv``: ``infectious_id, contact_id, setting, place, day, minutes`` — one row per
  true close contact per day (household members; venue co-presence of at least
  ``contact_minutes``, or any that transmitted; minutes 1440 for a household).
- ``arrivals.csv``: ``person_id, day, minute, risk_area, infected`` (0/1 flags).
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from fangkong.simulate.outbreak.outputs import SETTINGS, Day
from fangkong.simulate.outbreak.parameters import KINDS
from fangkong.simulate.outbreak.population import Population
from fangkong.simulate.outbreak.venues import Venues

HEADERS = {
    "infections": ("infectee_id", "infector_id", "setting", "place", "day", "minute"),
    "contacts": ("infectious_id", "contact_id", "setting", "place", "day", "minutes"),
    "arrivals": ("person_id", "day", "minute", "risk_area", "infected"),
}


class TruthWriter:
    """``with TruthWriter(folder, population, venues) as truth: truth.write(day)``."""

    def __init__(self, folder: Path, population: Population, venues: Venues) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.ids = population.ids.tolist()
        self.ids.append("")  # index -1 (no infector) maps to an empty cell
        self.files: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        for name, header in HEADERS.items():
            self.files[name] = (folder / f"{name}.csv").open("w", newline="", encoding="utf-8")
            self.writers[name] = csv.writer(self.files[name])
            self.writers[name].writerow(header)
        with (folder / "venues.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(("venue", "kind", "grid"))
            writer.writerows(zip(range(venues.size), (KINDS[k] for k in venues.kind.tolist()),
                                 venues.grid.tolist(), strict=True))  # fmt: skip

    def write(self, day: Day) -> None:
        ids, found, close = self.ids, day.infections, day.contacts
        self.writers["infections"].writerows(
            (ids[a], ids[b], SETTINGS[s], p, d, m) for a, b, s, p, d, m in zip(
                found.infectee.tolist(), found.infector.tolist(), found.setting.tolist(),
                found.place.tolist(), found.day.tolist(), found.minute.tolist(), strict=True)
        )  # fmt: skip
        self.writers["contacts"].writerows(
            (ids[a], ids[b], SETTINGS[s], p, d, m) for a, b, s, p, d, m in zip(
                close.infectious.tolist(), close.contact.tolist(), close.setting.tolist(),
                close.place.tolist(), close.day.tolist(), close.minutes.tolist(), strict=True)
        )  # fmt: skip
        came = day.arrivals
        self.writers["arrivals"].writerows(zip(
            (ids[p] for p in came.person.tolist()), came.day.tolist(), came.minute.tolist(),
            came.risk_area.astype(int).tolist(), came.infected.astype(int).tolist(), strict=True,
        ))  # fmt: skip

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:  # fmt: skip
        self.close()
