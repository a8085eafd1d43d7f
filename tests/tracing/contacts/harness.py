"""The ``tracing.contacts`` part in the generic harness (to be registered)."""
