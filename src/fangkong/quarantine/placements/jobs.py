"""Scheduled jobs of ``quarantine.placements`` (none yet)."""
