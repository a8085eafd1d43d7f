"""The cases parts in the generic harness (``tests/harness``): each sub-package registers its own."""

import cases.chains.harness
import cases.registry.harness  # noqa: F401
