"""Testing: campaigns."""
