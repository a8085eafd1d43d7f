"""Subscriptions of zones."""
