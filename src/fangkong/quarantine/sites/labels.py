"""Display names of site kinds and room states (msgids)."""

from __future__ import annotations

from fangkong.core.errors import N_

KIND_LABELS = {"hotel": N_("Hotel"), "facility": N_("Facility"), "cabin": N_("Makeshift hospital")}
ROOM_LABELS = {"available": N_("Available"), "cleaning": N_("Cleaning"), "closed": N_("Closed")}
