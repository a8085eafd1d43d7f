"""Synthetic data: a city of people and households (later: outbreaks), reproducible by seed."""
