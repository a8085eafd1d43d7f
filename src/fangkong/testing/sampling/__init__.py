"""Testing: sampling."""
