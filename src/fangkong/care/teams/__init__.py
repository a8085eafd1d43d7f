"""Responsibility teams (包保工作组): communities assigned, duties, visits and hazards."""
