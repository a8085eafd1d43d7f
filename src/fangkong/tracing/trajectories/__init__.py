"""A case's trajectory: scans, trips, carriers' passenger lists and the interview."""
