"""Subscriptions of intake."""
