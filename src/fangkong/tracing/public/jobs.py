"""Scheduled jobs of ``tracing.public`` (none yet)."""
