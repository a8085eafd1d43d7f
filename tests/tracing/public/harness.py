"""The ``tracing.public`` part in the generic harness (to be registered)."""
