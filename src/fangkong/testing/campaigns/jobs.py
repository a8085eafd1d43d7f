"""Scheduled jobs of screening rounds and key-group schedules."""
