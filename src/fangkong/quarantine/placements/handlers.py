"""Event handlers of ``quarantine.placements`` (none yet)."""
