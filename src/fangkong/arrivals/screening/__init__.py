"""Landing tests, screening deadlines and escalation (问责), daily figures and
overviews."""
