"""Scans (扫码): entry checks at venues, check-ins, bulk ingest, space-time companions."""
