"""The ``quarantine.sites`` part in the generic harness (to be registered)."""
