"""Dates, times, numbers and lists in the user's locale (Babel), ready to put into a
sentence: in right-to-left languages they come wrapped in isolates (Turn.embed)."""

from __future__ import annotations

from datetime import date, time, timedelta

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from bot.site import Hours, Weekly
from flows.turn import Turn

_A_MONDAY = date(2024, 1, 1)


def weekday_name(turn: Turn, weekday: int) -> str:
    """Monday is 0, as in date.weekday()."""
    return format_date(_A_MONDAY + timedelta(days=weekday), "EEEE", locale=turn.language)


def day(turn: Turn, when: date) -> str:
    """"torsdag 19. november", "Thursday November 19"."""
    return f"{format_date(when, 'EEEE', locale=turn.language)} {format_skeleton('MMMMd', when, locale=turn.language)}"


def long_date(turn: Turn, when: date) -> str:
    return format_date(when, "long", locale=turn.language)


def time_of_day(turn: Turn, moment: time) -> str:
    return format_time(moment, "short", locale=turn.language)


def span(turn: Turn, hours: Hours) -> str:
    return f"{time_of_day(turn, hours.start)}-{time_of_day(turn, hours.end)}"


def weekly(turn: Turn, hours: Weekly) -> str:
    """"torsdag 16.00-18.00", every span of the week in order."""
    return format_list(
        [f"{weekday_name(turn, weekday)} {span(turn, h)}" for weekday, spans in sorted(hours.items()) for h in spans],
        locale=turn.language,
    )


def chunks(lines: list[str], limit: int) -> list[str]:
    """Lines joined into texts of at most `limit` characters (a message each);
    a single longer line is cut."""
    texts, current = [], ""
    for line in lines:
        line = line[:limit]
        if current and len(current) + len(line) + 1 > limit:
            texts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return texts + [current]


def number(turn: Turn, value: object) -> str:
    """Whole numbers without decimals (12, 51.600), others with one (4,5)."""
    value = float(value)
    return format_decimal(value, "#,##0" if value == int(value) else "#,##0.0", locale=turn.language)


def grade(turn: Turn, value: float) -> str:
    """Grades as Danes write them: 02 and 00 keep their zero, averages one decimal."""
    if value == int(value):
        return {0: "00", 2: "02"}.get(int(value), str(int(value)))
    return number(turn, value)


def average(turn: Turn, value: object) -> str:
    """Grade averages always with one decimal, as schools write them: 5,0 and 4,8."""
    return format_decimal(float(value), "0.0", locale=turn.language)


def percent(turn: Turn, share: object) -> str:
    return format_percent(float(share), "#,##0.#%", locale=turn.language)


def names(turn: Turn, items: list[str]) -> str:
    """"a, b and c" in the user's language."""
    return format_list(items, locale=turn.language)


def language_names(turn: Turn, codes: tuple[str, ...]) -> str:
    """The languages a counsellor speaks, named in the user's language."""
    here = Locale.parse(turn.language)
    return names(turn, [here.languages.get(code, code) for code in codes])
