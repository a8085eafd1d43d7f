"""The ``cases.registry`` part in the generic harness (to be registered)."""
