"""Arrival reports (抵返报备) from three channels, merged into trips and classified."""
