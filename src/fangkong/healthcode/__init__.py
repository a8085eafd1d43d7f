"""The health code (健康码): a colour per person and its reasons, by the edition's rules.

Importing the package registers the event handlers (``handlers``) and its part of the person
timeline (``timeline``).
"""

from fangkong.healthcode import handlers, timeline  # noqa: F401  (registers subscriptions and
# the health code's part of the person timeline)
