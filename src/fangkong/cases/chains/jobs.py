"""Scheduled jobs of ``cases.chains`` (none yet)."""
