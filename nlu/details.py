"""Details in a message that the NLU model does not extract: an age, grades, a parent
asking about their child, pay and tax, a named holiday, a programme in any script.

The marker words are data (nlu/details.yml), in all eight languages. Rules of thumb,
kept small and tested: a number is an age only next to an age word ("14 år",
"jeg er 14") and never before an hour or money word ("14 timer", "14 kr").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from nlu.text import normalise, western_digits

DETAILS_FILE = Path(__file__).with_name("details.yml")
# Grades on the Danish 7-point scale run from -3 to 12; averages fall in between.
LOWEST_GRADE, HIGHEST_GRADE = -3.0, 12.0
# Ages Broen answers for; other numbers next to "er"/"is" are not taken as ages.
YOUNGEST, OLDEST = 5, 30
# How many words may stand between a number and its marker ("4,8 i snit", "00 i matematik").
_NEAR = 3
_TOKEN = re.compile(r"(?<![\w.,])-?\d+(?:[.,]\d+)?(?![\d])|[^\W\d_]+")


@dataclass(frozen=True)
class Grades:
    average: float | None = None
    subjects: dict[str, float] = field(default_factory=dict)  # "danish", "maths"

    def __bool__(self) -> bool:
        return self.average is not None or bool(self.subjects)


# Arabic-script words take one-letter prefixes: "لابني" is "for my son".
_ARABIC_PREFIX = "(?:[وفبلک])?"


def _pattern(words: list[str]) -> re.Pattern:
    """Matches any of the words at the start of a word; words of 1-2 letters only whole."""
    parts = []
    for word in sorted({normalise(str(w)) for w in words}, key=len, reverse=True):
        escaped = re.escape(word)
        prefix = _ARABIC_PREFIX if "\u0600" <= word[0] <= "\u06ff" else ""
        parts.append(prefix + escaped + (r"(?!\w)" if len(word) <= 2 else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


@dataclass(frozen=True)
class _Markers:
    average: re.Pattern
    subjects: dict[str, re.Pattern]
    age_units: re.Pattern
    age_cues: re.Pattern
    age_words: dict[int, re.Pattern]
    not_age: re.Pattern
    parent: re.Pattern
    pay: re.Pattern
    tax: re.Pattern
    periods: dict[str, re.Pattern]
    programmes: dict[str, re.Pattern]
    days_ahead: dict[int, re.Pattern]
    next_week: re.Pattern
    after: re.Pattern
    weekdays: dict[int, tuple[str, ...]]  # names, not patterns: bot/when.py builds its own


@cache
def _markers() -> _Markers:
    raw = yaml.safe_load(DETAILS_FILE.read_text(encoding="utf-8"))
    return _Markers(
        average=_pattern(raw["average"]),
        subjects={name: _pattern(words) for name, words in raw["subjects"].items()},
        age_units=_pattern(raw["age_units"]),
        age_cues=_pattern(raw["age_cues"]),
        age_words={int(age): _whole(words) for age, words in raw["age_words"].items()},
        not_age=_pattern(raw["not_age"]),
        parent=_pattern(raw["parent"]),
        pay=_pattern(raw["pay"] + raw["tax"]),
        tax=_pattern(raw["tax"]),
        periods={name: _pattern(words) for name, words in raw["periods"].items()},
        programmes={name: _pattern(words) for name, words in raw["programmes"].items()},
        days_ahead={int(days): _whole(words) for days, words in raw["days_ahead"].items()},
        next_week=_whole(raw["next_week"]),
        after=_whole(raw["after"]),
        weekdays={int(day): tuple(normalise(str(name)) for name in names) for day, names in raw["weekdays"].items()},
    )


def _whole(words: list[str]) -> re.Pattern:
    """Matches any of the words or phrases as whole words ("kal", not "kalam")."""
    parts = sorted({re.escape(normalise(str(w))) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(western_digits(normalise(text)))


def _number(token: str) -> float | None:
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def _is(pattern: re.Pattern, token: str) -> bool:
    return bool(pattern.match(token))


def age_in(text: str, alone: bool = False) -> int | None:
    """The age a message states: "jeg er 14", "my son is 15", "۱۴ سالمه", "мені 16 років",
    "I'm sixteen". With `alone`, after "how old are you?", a bare number ("14",
    "sixteen") counts too."""
    markers = _markers()
    tokens = _tokens(_ages_as_digits(normalise(text), markers))
    if alone and len(tokens) == 1 and (value := _number(tokens[0])) is not None:
        return int(value) if value == int(value) and YOUNGEST <= value <= OLDEST else None
    for i, token in enumerate(tokens):
        value = _number(token)
        if value is None or value != int(value) or not YOUNGEST <= value <= OLDEST:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        before = tokens[i - 1] if i > 0 else ""
        if after and _is(markers.not_age, after):
            continue
        if (after and _is(markers.age_units, after)) or (before and _is(markers.age_cues, before)):
            return int(value)
    return None


def _ages_as_digits(text: str, markers: _Markers) -> str:
    """ "I'm sixteen", "solah saal", "lix iyo toban jir" as "i'm 16", "16 saal", "16 jir"."""
    for age, words in markers.age_words.items():
        text = words.sub(str(age), text)
    return text


def grades_in(text: str) -> Grades:
    """A grade average ("4,8 i snit") and subject grades ("00 i matematik")."""
    markers = _markers()
    tokens = _tokens(text)
    numbers = {
        i: value for i, token in enumerate(tokens)
        if (value := _number(token)) is not None and LOWEST_GRADE <= value <= HIGHEST_GRADE
    }
    subject_at = {
        i: name for i, token in enumerate(tokens) for name, pattern in markers.subjects.items() if _is(pattern, token)
    }
    # People write "02 i dansk" or "dansk: 02"; the first number and subject show which.
    first_number = min(numbers, default=None)
    first_subject = min(subject_at, default=None)
    number_first = first_number is not None and first_subject is not None and first_number < first_subject
    subjects: dict[str, float] = {}
    used: set[int] = set()
    for at, name in sorted(subject_at.items()):
        side = range(at - 1, at - _NEAR - 2, -1) if number_first else range(at + 1, at + _NEAR + 2)
        found = next((i for i in side if i in numbers and i not in used), None)
        if found is not None and name not in subjects:
            subjects[name] = numbers[found]
            used.add(found)
    average = None
    for at, token in enumerate(tokens):
        if _is(markers.average, token):
            near = sorted((abs(i - at), i) for i in numbers if i not in used and abs(i - at) <= _NEAR + 1)
            if near:
                average = numbers[near[0][1]]
                break
    return Grades(average, subjects)


def _found(pattern: re.Pattern, text: str) -> bool:
    return bool(pattern.search(normalise(text)))


def asks_for_child(text: str) -> bool:
    """A parent asking about their son, daughter or child."""
    return _found(_markers().parent, text)


def about_pay(text: str) -> bool:
    """Pay or tax."""
    return _found(_markers().pay, text)


def about_tax(text: str) -> bool:
    return _found(_markers().tax, text)


def period_in(text: str) -> str | None:
    """A named holiday: autumn_holiday, christmas, winter_holiday, easter, summer_holiday."""
    normalised = normalise(text)
    return next((name for name, pattern in _markers().periods.items() if pattern.search(normalised)), None)


def programme_in(text: str) -> str | None:
    """HF or 10th grade named in any script (the model's entity covers the rest)."""
    normalised = normalise(text)
    return next((name for name, pattern in _markers().programmes.items() if pattern.search(normalised)), None)


def days_ahead_in(text: str) -> int | None:
    """Today (0), tomorrow (1) or the day after (2), when the text names one; the
    furthest wins ("i overmorgen" also contains "morgen")."""
    normalised = normalise(text)
    found = [days for days, pattern in _markers().days_ahead.items() if pattern.search(normalised)]
    return max(found) if found else None


def transliterated_weekdays() -> dict[int, tuple[str, ...]]:
    """Weekday names in Latin letters that CLDR does not have ("jumma", "panjshanbe",
    "khamis"), normalised; Monday is 0."""
    return _markers().weekdays


def next_week_in(text: str) -> bool:
    return bool(_markers().next_week.search(normalise(text)))


def after_in(text: str) -> bool:
    """"after Christmas", "efter jul": the time after a named holiday."""
    return bool(_markers().after.search(normalise(text)))
