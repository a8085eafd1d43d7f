"""Event handlers of ``cases.registry`` (none yet)."""
