"""Translations: Babel catalogs under ``fangkong/locale``; zh_CN is the default language.

Catalogs are ``.po`` files compiled in memory at first use, so no binary ``.mo`` lives in git.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT_LOCALE = "zh_CN"
SUPPORTED_LOCALES = ("zh_CN", "en")
_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "en": "en", "en_us": "en"}


def catalog_path(locale: str) -> str:
    return str(files("fangkong") / "locale" / locale / "LC_MESSAGES" / "messages.po")


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def translations(locale: str) -> Translations:
    with open(catalog_path(locale), "rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def normalize(value: str | None) -> str | None:
    """Map ``en``, ``zh``, ``zh-CN`` … to a supported locale, or None."""
    if not value:
        return None
    return _ALIASES.get(value.strip().lower().replace("-", "_"))


def from_accept_language(header: str | None) -> str | None:
    if not header:
        return None
    wanted = [part.split(";")[0].strip() for part in header.split(",") if part.strip()]
    for tag in wanted:
        try:
            lang = Locale.parse(tag, sep="-").language
        except (ValueError, UnknownLocaleError):
            continue
        found = normalize(lang)
        if found:
            return found
    return None


def choose(*candidates: str | None) -> str:
    """The first supported locale among ``candidates``, else zh_CN."""
    for candidate in candidates:
        found = normalize(candidate)
        if found:
            return found
    return DEFAULT_LOCALE
