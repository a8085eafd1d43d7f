"""Event handlers of ``quarantine.sites`` (none yet)."""
