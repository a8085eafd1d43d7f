"""Tables of the venue domain (filled in by that domain)."""
