"""Tables of the citizen domain (filled in by that domain)."""
