"""The ``tracing.trajectories`` part in the generic harness (to be registered)."""
