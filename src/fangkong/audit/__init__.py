"""Audit log: one verb (``record``) that every state change calls, and a query API for admins."""
