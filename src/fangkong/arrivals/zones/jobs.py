"""Scheduled jobs of zones."""
