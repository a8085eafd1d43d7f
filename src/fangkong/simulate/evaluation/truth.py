"""The run folder written by ``fangkong simulate outbreak``: ``mapping.json`` (the run's
parameters and people) and the model's ground truth (``infections.csv``, ``contacts.csv``).
Read with the standard ``csv`` module, streaming: ``contacts.csv`` of a large run holds
millions of rows, and only those of the platform's cases are kept."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MAPPING, INFECTIONS, CONTACTS = "mapping.json", "infections.csv", "contacts.csv"
EVALUATION = "evaluation.json"
REQUIRED = (MAPPING, INFECTIONS, CONTACTS)
RUNS = Path("var/outbreak")


class EvaluationError(ValueError):
    """A run that cannot be scored (the CLI prints the reason and exits 2)."""


@dataclass(frozen=True, slots=True)
class RunInfo:
    folder: Path
    seed: int
    seed_cases: int
    days: int
    start: date
    people: list[int]  # model index -> person id


def read_run(folder: Path) -> RunInfo:
    """The run's parameters and people; a missing folder or file is an ``EvaluationError``."""
    if not folder.is_dir():
        raise EvaluationError(f"run folder {folder} does not exist")
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise EvaluationError(f"run folder {folder} lacks {', '.join(missing)}")
    try:
        data = json.loads((folder / MAPPING).read_text(encoding="utf-8"))
        return RunInfo(
            folder, int(data["seed"]), int(data["seed_cases"]), int(data["days"]),
            date.fromisoformat(data["start"]), [int(p) for p in data["people"]],
        )  # fmt: skip
    except (ValueError, KeyError, TypeError) as error:
        raise EvaluationError(f"{folder / MAPPING} is not a run's mapping ({error})") from None


def latest_run(root: Path = RUNS) -> Path:
    """The ``seed-*`` folder under ``root`` whose mapping was written last."""
    runs = sorted(root.glob(f"seed-*/{MAPPING}"), key=lambda path: path.stat().st_mtime)
    if not runs:
        raise EvaluationError(f"no run under {root}: give --run DIR")
    return runs[-1].parent


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def infected(folder: Path) -> tuple[set[int], set[int]]:
    """Everyone infected in the run (any setting) and the seed cases, by person id."""
    everyone, seeded = set[int](), set[int]()
    for row in _rows(folder / INFECTIONS):
        everyone.add(int(row["infectee_id"]))
        if row["setting"] == "seed":
            seeded.add(int(row["infectee_id"]))
    return everyone, seeded


def true_pairs(folder: Path, last_day: Mapping[int, int]) -> set[tuple[int, int]]:
    """(infectious person, contact) pairs of ``contacts.csv`` for the people of ``last_day``,
    on their days up to and including ``last_day[person]`` (the model writes a contact only
    while the infectious person is infectious)."""
    pairs = set[tuple[int, int]]()
    for row in _rows(folder / CONTACTS):
        index = int(row["infectious_id"])
        if index in last_day and int(row["day"]) <= last_day[index]:
            pairs.add((index, int(row["contact_id"])))
    return pairs
