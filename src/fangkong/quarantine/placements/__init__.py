"""Placements: periods under control from day 0 to release or transfer."""
