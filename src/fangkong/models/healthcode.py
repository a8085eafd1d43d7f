"""Tables of the healthcode domain (filled in by that domain)."""
