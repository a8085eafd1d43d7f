"""Livelihood requests (民生诉求) and one-to-one service requests, tracked to done."""
