"""Labels (msgids) of the vaccination vocabularies, for pages and exports."""

from __future__ import annotations

from fangkong.core.errors import N_

REASON_LABELS = {
    "unvaccinated": N_("Never vaccinated"),
    "incomplete": N_("Series incomplete"),
    "booster_due": N_("Booster due"),
}
