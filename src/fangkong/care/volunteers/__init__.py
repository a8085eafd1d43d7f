"""Volunteers (志愿者), care needs the people flags lack (卧床、透析), and one-to-one pairings
(一对一) of vulnerable residents with volunteers."""
