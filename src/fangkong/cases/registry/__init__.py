"""Cases from detection to outcome, clusters, line-list entry and bulletin counts."""
