"""Scheduled jobs: a registry filled by each domain's ``jobs.py``, a locked runner, the worker."""
