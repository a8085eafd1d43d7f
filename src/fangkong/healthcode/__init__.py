"""The health code (健康码): a colour per person and its reasons, by the edition's rules.

Importing the package registers the event handlers (``handlers``).
"""

from fangkong.healthcode import handlers  # noqa: F401  (registers the subscriptions)
