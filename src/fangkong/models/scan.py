"""Tables of the scan domain (filled in by that domain)."""
