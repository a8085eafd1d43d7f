"""Users, roles and permissions, login (web session and bearer token), second factor."""
