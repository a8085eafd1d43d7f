"""Isolation sites (隔离点) and their rooms: capacity and occupancy."""
