"""The testing sub-packages in the generic harness (``tests/harness``): each registers its own
part — sites and tubes, rounds and key groups, antigen reports, a citizen's results and the
planner."""

import testing.campaigns.harness
import testing.citizen.harness_part
import testing.results.harness
import testing.sampling.harness  # noqa: F401
