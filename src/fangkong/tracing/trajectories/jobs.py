"""Scheduled jobs of ``tracing.trajectories`` (none yet)."""
