"""Subscriptions of the testing domain to other domains' events (none yet: the testing
domain publishes ``fangkong.healthcode.events`` and ``fangkong.testing.events``)."""
