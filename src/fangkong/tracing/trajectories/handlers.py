"""Event handlers of ``tracing.trajectories`` (none yet)."""
