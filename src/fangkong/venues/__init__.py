"""Venues (场所), their operators and their place codes (场所码)."""
