"""The screening part of arrivals in the generic harness (``tests/harness``); filled in by the
sub-package."""
