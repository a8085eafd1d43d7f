"""Health-code jobs (filled in by this domain)."""
