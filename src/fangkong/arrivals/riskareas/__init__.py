"""National risk areas (高/中/低风险区): import, manual corrections, history and
matching."""
