"""The quarantine parts in the generic harness (``tests/harness``): each sub-package registers its own."""

import quarantine.placements.harness
import quarantine.sites.harness  # noqa: F401
