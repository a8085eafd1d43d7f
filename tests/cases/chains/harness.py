"""The ``cases.chains`` part in the generic harness (to be registered)."""
