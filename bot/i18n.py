"""Translations from the gettext catalogues in locales/, and right-to-left helpers."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

from nlu.language import DEFAULT_LANGUAGE, SUPPORTED

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
RTL_LANGUAGES = frozenset({"ar", "ur", "fa"})

# Unicode first-strong isolate / pop directional isolate: keeps numbers, times and
# Latin names in their own direction inside Arabic, Urdu and Farsi sentences.
_FSI, _PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    return f"{_FSI}{text}{_PDI}"


def is_rtl(language: str) -> bool:
    return language in RTL_LANGUAGES


def native_name(language: str) -> str:
    """The language's name in itself ("dansk", "العربية"), from Babel's CLDR data."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


@cache
def translations(language: str) -> NullTranslations:
    if language not in SUPPORTED:
        language = DEFAULT_LANGUAGE
    return Translations.load(str(LOCALES_DIR), [language], domain="messages")


@cache
def staff_translations(language: str) -> NullTranslations:
    """The staff group's texts (cards, notes): their own catalogue, "staff", kept apart
    so the eight user languages need not translate texts only counsellors read."""
    return Translations.load(str(LOCALES_DIR), [language], domain="staff")
