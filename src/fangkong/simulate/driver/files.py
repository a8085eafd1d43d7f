"""The run's files apart from the platform's data: the model's ground truth (``TruthWriter``)
and ``mapping.json``, model index -> platform id, so evaluation can join the truth to the
platform's records (people, venues, grids, the fever clinics' sites, the lab)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fangkong.simulate.driver.run import Driver

MAPPING = "mapping.json"


def mapping(driver: Driver) -> dict[str, Any]:
    options, places = driver.options, driver.places
    return {
        "seed": options.seed,
        "seed_cases": options.seed_cases,
        "days": options.days,
        "start": options.start.isoformat(),
        "people": driver.city.population.ids.tolist(),
        "venues": places.venue_ids,
        "grids": driver.city.grid_codes,
        "fever_clinic_sites": {str(k): v for k, v in sorted(places.sites.items())},
        "lab": places.lab_id,
    }


def write_mapping(folder: Path, driver: Driver) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MAPPING
    path.write_text(json.dumps(mapping(driver), ensure_ascii=False), encoding="utf-8")
    return path
