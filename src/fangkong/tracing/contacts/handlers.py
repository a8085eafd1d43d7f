"""Event handlers of ``tracing.contacts`` (none yet)."""
