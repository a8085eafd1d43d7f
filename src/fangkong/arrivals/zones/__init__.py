"""Local zones (封控区、管控区、防范区): declaration, residents, linked cases, lifting
and announcements."""
