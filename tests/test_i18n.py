"""Every message in code and templates has a Chinese and an English translation, and every
translation keeps its message's placeholders."""

from __future__ import annotations

import re

import catalogs
import pytest
from babel.messages.pofile import read_po

from fangkong.core import i18n


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    found = catalogs.extract(tmp_path_factory.mktemp("i18n") / "messages.pot")
    # Guard against a silent empty extraction (wrong paths), which would make the checks vacuous.
    assert {"Regions", "Wrong username or password.", "city_admin"} <= found
    return found


@pytest.mark.parametrize("locale", i18n.SUPPORTED_LOCALES)
def test_catalog_is_complete(extracted, locale):
    with open(i18n.catalog_path(locale), "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and catalogs.is_translated(m)}
    missing = sorted(extracted - translated)
    assert missing == [], f"{locale} lacks translations for: {missing}"


# A %-placeholder, or a bare "%" (the templates' ``_()`` %-formats every string, so a stray
# "%" in a translation turns a page into a 500).
PERCENT = re.compile(r"%\([a-z_]+\)[sd]|%%|%")


@pytest.mark.parametrize("locale", i18n.SUPPORTED_LOCALES)
def test_translations_keep_the_placeholders(locale):
    with open(i18n.catalog_path(locale), "rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(PERCENT.findall(ids[-1])))
        wrong += [
            ids[0] for text in strings if text and sorted(set(PERCENT.findall(text))) != wanted
        ]
    assert wrong == [], f"{locale}: placeholders differ from the message in: {wrong}"


def test_chinese_is_the_default():
    assert i18n.choose(None, "", "fr") == "zh_CN"
    assert i18n.gettext("zh_CN", "Regions") == "区划"
    assert i18n.gettext("en", "city_admin") == "City command office"


def test_accept_language():
    assert i18n.from_accept_language("en-GB,en;q=0.8") == "en"
    assert i18n.from_accept_language("zh-CN,zh;q=0.9") == "zh_CN"
    assert i18n.from_accept_language("fr-FR") is None
