"""Framework-free building blocks shared by every domain: errors, clock, audit, scoping."""
