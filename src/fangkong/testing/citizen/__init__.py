"""Testing: citizen."""
