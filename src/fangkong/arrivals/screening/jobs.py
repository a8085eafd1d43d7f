"""Scheduled jobs of screening."""
