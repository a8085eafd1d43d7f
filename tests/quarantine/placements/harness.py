"""The ``quarantine.placements`` part in the generic harness (to be registered)."""
