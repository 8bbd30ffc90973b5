"""Which day a message asks about, in any of the languages: a weekday ("are you open on
Friday?"), a date ("17 december", "24/12", "24 aralık", "٢٤ ديسمبر"), today, tomorrow
or the day after ("i morgen", "yarın", "فردا"), or next week.

Weekday and month names come from Babel's CLDR data for the user's language, plus
Danish and English, which are mixed into every language here (and Levantine and Iraqi
month names for Arabic, Russian names for Ukrainian), plus weekday names in Latin
letters that CLDR lacks (Roman Urdu "jumma", Finglish "panjshanbe"; nlu/details.yml). Babel does not ship CLDR's relative day names, so
"tomorrow" and "next week" are marker words in nlu/details.yml.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import cache

from babel import Locale

from nlu.details import days_ahead_in, next_week_in, transliterated_weekdays
from nlu.text import normalise

# Names from these locales too: Levantine and Iraqi Arabic say "كانون الأول" for
# December; Ukrainian speakers often write Russian ("17 декабря", "в пятницу").
_MORE_LOCALES = {"ar": ("ar_SY", "ar_IQ"), "uk": ("ru",)}
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")


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
    for code in dict.fromkeys((language, *_MORE_LOCALES.get(language, ()), "da", "en")):
        days = Locale.parse(code).days["format"]["wide"]  # keyed by weekday, Monday is 0
        names = {weekday: normalise(name) for weekday, name in days.items()}
        for weekday, name in names.items():
            entries += [(variant, weekday) for variant in _variants(name, list(names.values()))]
    entries += [(name, weekday) for weekday, names in transliterated_weekdays().items() for name in names]
    entries.sort(key=lambda entry: -len(entry[0]))
    return [(re.compile(r"(?<!\w)" + re.escape(text)), weekday) for text, weekday in entries]


@cache
def _month_patterns(language: str) -> tuple[re.Pattern, re.Pattern, dict[str, int]]:
    """("17 december", "december 17") patterns and name -> month number."""
    months: dict[str, int] = {}
    codes = (language, *_MORE_LOCALES.get(language, ()), "da", "en")
    for code in dict.fromkeys(codes):
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    name = normalise(name).strip(".")
                    if len(name) >= 3:
                        months.setdefault(name, number)
    names = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    day_month = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s*(?:of\s+|de\s+)?({names})(?!\w)")
    month_day = re.compile(rf"(?<!\w)({names})\.?\s+(\d{{1,2}})(?!\d)")
    return day_month, month_day, months


def _western_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)


def _next_date(day: int, month: int, today: date) -> date | None:
    """The date with this day and month, this year or, if past, next year."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _explicit_date(normalised: str, language: str, today: date) -> date | None:
    day_month, month_day, months = _month_patterns(language)
    if match := day_month.search(normalised):
        return _next_date(int(match.group(1)), months[match.group(2)], today)
    if match := month_day.search(normalised):
        return _next_date(int(match.group(2)), months[match.group(1)], today)
    if match := _SLASH_DATE.search(normalised):
        return _next_date(int(match.group(1)), int(match.group(2)), today)
    return None


def asked_day(text: str, language: str, today: date) -> date | None:
    """The day the text asks about: a date, today/tomorrow/the day after, or the next
    date (today included) of a weekday; None if it names no day."""
    normalised = _western_digits(normalise(text))
    if (explicit := _explicit_date(normalised, language, today)) is not None:
        return explicit
    if (ahead := days_ahead_in(text)) is not None:
        return today + timedelta(days=ahead)
    for pattern, weekday in _patterns(language):
        if pattern.search(normalised):
            if next_week_in(text):  # "thursday next week"
                return today + timedelta(days=7 - today.weekday() + weekday)
            return today + timedelta(days=(weekday - today.weekday()) % 7)
    return None


def asked_week(text: str, today: date) -> tuple[date, date] | None:
    """Monday to Sunday of next week, when the text asks about next week."""
    if not next_week_in(text):
        return None
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)
