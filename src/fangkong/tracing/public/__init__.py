"""Anonymised public trajectories and the citizen self-check (轨迹自查)."""
