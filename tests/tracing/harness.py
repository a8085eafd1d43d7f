"""The tracing parts in the generic harness (``tests/harness``): each sub-package registers its own."""

import tracing.contacts.harness
import tracing.public.harness
import tracing.trajectories.harness  # noqa: F401
