"""The platform's measures as an input of one day; ``Controls()`` is the run without measures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from fangkong.simulate.outbreak.errors import OutbreakError
from fangkong.simulate.outbreak.population import BoolArray, IntArray


def _empty() -> IntArray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Controls:
    """Indices of people isolated (no visits; household risk reduced), grids locked (no visit
    outside the grid, no visitor from outside) and venues closed (no visits)."""

    isolated: IntArray = field(default_factory=_empty)
    locked_grids: IntArray = field(default_factory=_empty)
    closed_venues: IntArray = field(default_factory=_empty)

    @classmethod
    def of(cls, *, isolated: npt.ArrayLike = (), locked_grids: npt.ArrayLike = (),
           closed_venues: npt.ArrayLike = ()) -> Controls:  # fmt: skip
        """From any integer sequences (lists, sets turned to lists, arrays)."""
        return cls(*(np.asarray(v, dtype=np.int64).reshape(-1)
                     for v in (isolated, locked_grids, closed_venues)))  # fmt: skip

    def masks(self, people: int, grids: int, venues: int) -> tuple[BoolArray, ...]:
        """Boolean masks (isolated person, locked grid, closed venue); bad indices raise."""
        sizes = {"isolated": people, "locked_grids": grids, "closed_venues": venues}
        masks = []
        for name, size in sizes.items():
            index = getattr(self, name)
            if index.size and (index.min() < 0 or index.max() >= size):
                raise OutbreakError(f"controls: {name} has an index outside 0..{size - 1}")
            mask = np.zeros(size, dtype=np.bool_)
            mask[index] = True
            masks.append(mask)
        return tuple(masks)
