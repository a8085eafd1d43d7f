"""The arrivals sub-packages in the generic harness (``tests/harness``): each registers its own
part — the national risk-area list, local zones, arrival reports and trips, and screening."""

import arrivals.intake.harness
import arrivals.riskareas.harness
import arrivals.screening.harness
import arrivals.zones.harness  # noqa: F401
