"""Scheduled jobs of ``tracing.contacts`` (none yet)."""
