"""Labels of trajectories (msgids): transport modes and the sources of a trajectory's stops."""

from __future__ import annotations

from fangkong.core.errors import N_

MODES = {"flight": N_("flight"), "train": N_("train"), "coach": N_("coach"), "ship": N_("ship")}
SOURCES = {
    "scan": N_("Place-code scan"),
    "trip": N_("Arrival"),
    "travel": N_("Flight or train"),
    "interview": N_("Interview"),
}
ALL = {"modes": MODES, "sources": SOURCES}
