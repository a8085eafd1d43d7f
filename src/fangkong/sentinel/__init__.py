"""Sentinels (哨点): fever-clinic visits and four-drug sales, see ``docs/sentinel.md``.
Importing the package registers its event handlers."""

import fangkong.sentinel.handlers  # noqa: F401
