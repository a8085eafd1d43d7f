"""Event handlers of ``cases.chains`` (none yet)."""
