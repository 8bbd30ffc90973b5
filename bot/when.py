"""Which day a message asks about ("are you open on Friday?"), in any of the languages.

Weekday names come from Babel's CLDR data for the user's language, plus Danish and
English, which are mixed into every language here; no word lists of our own.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from babel import Locale

from nlu.text import normalise


def _variants(name: str, others: list[str]) -> set[str]:
    """The name, its stem (for inflection: "п'ятницю", "torsdagen"), and compound
    names written apart (Farsi "پنج شنبه" for "پنجشنبه")."""
    variants = {name}
    if len(name) >= 5:
        variants.add(name[:-1])
    for other in others:
        if other != name and name.endswith(other) and len(name) > len(other):
            variants.add(f"{name[: -len(other)]} {other}")
    return variants


@cache
def _patterns(language: str) -> list[tuple[re.Pattern, int]]:
    """(pattern, weekday) pairs, longest name first; Monday is 0."""
    entries: list[tuple[str, int]] = []
    for code in dict.fromkeys((language, "da", "en")):
        days = Locale.parse(code).days["format"]["wide"]  # keyed by weekday, Monday is 0
        names = {weekday: normalise(name) for weekday, name in days.items()}
        for weekday, name in names.items():
            entries += [(variant, weekday) for variant in _variants(name, list(names.values()))]
    entries.sort(key=lambda entry: -len(entry[0]))
    return [(re.compile(r"(?<!\w)" + re.escape(text)), weekday) for text, weekday in entries]


def asked_day(text: str, language: str, today: date) -> date | None:
    """The next date (today included) of the weekday named in the text, if any."""
    normalised = normalise(text)
    for pattern, weekday in _patterns(language):
        if pattern.search(normalised):
            return today + timedelta(days=(weekday - today.weekday()) % 7)
    return None
