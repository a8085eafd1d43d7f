"""Testing: results."""
