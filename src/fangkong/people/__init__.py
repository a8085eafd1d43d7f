"""People: residents, their households and their resident ID numbers (GB 11643-1999)."""
