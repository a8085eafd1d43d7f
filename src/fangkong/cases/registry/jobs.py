"""Scheduled jobs of ``cases.registry`` (none yet)."""
