"""Event handlers of ``tracing.public`` (none yet)."""
