"""Policy editions: the versioned rule values (schema, loader, the active edition)."""
