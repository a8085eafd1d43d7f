"""Scheduled jobs of ``quarantine.sites`` (none yet)."""
