"""Subscriptions of screening."""
