"""The help lines for a crisis (flows/helplines.yml), and which fit whom.

Which lines: 112 first, always; then the line for the kind of danger; then the lines
for the person's age (Børnetelefonen under 18, Hørt 15-24) or, for a parent, the
parents' line. Lines confirmed open day and night come before lines whose hours are
unconfirmed, and only they are promised to answer now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from nlu.screening import Category, Person

HELPLINES_FILE = Path(__file__).with_name("helplines.yml")


class Hours(StrEnum):
    ALWAYS = "always"  # confirmed open day and night
    UNCONFIRMED = "unconfirmed"


class Audience(StrEnum):
    EVERYONE = "everyone"
    UNDER_18 = "under_18"
    YOUTH = "youth"  # 15-24
    PARENTS = "parents"


@dataclass(frozen=True)
class HelpLine:
    id: str
    name: str
    number: str | None
    hours: Hours
    audience: Audience
    source: str
    checked_on: date
    web: str | None = None
    number_unconfirmed: bool = False


# The lines the flows refer to; the content check fails when one is missing.
EMERGENCY, CHILD_LINE, LIFELINE, VIOLENCE_LINE, ABROAD_LINE, YOUTH_CHAT, PARENT_LINE = (
    "emergency", "child_line", "lifeline", "violence_line", "abroad_line", "youth_chat", "parent_line")
REQUIRED = (EMERGENCY, CHILD_LINE, LIFELINE, VIOLENCE_LINE, ABROAD_LINE, YOUTH_CHAT, PARENT_LINE)
# The line for each kind of danger, after 112.
BY_CATEGORY = {
    Category.SUICIDE: (LIFELINE,),
    Category.VIOLENCE: (VIOLENCE_LINE,),
    Category.FORCED_MARRIAGE: (ABROAD_LINE, VIOLENCE_LINE),
    Category.HOMELESS: (),
    Category.DANGER: (),
    None: (),
}


# Who gets which lines beside 112 and the line for the danger. Age unknown: both the
# under-18 and the 15-24 lines. A parent: the child's line (to pass on) and the parents' line.
FOR_AGE_GROUP = {
    None: {Audience.UNDER_18, Audience.YOUTH},
    "under_15": {Audience.UNDER_18},
    "15_17": {Audience.UNDER_18, Audience.YOUTH},
    "18_plus": {Audience.YOUTH},
    "parent": {Audience.UNDER_18, Audience.PARENTS},
}


class HelpLinesError(ValueError):
    pass


def load_helplines(path: Path = HELPLINES_FILE) -> dict[str, HelpLine]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HelpLinesError(f"{path}: cannot read the help lines: {exc}") from exc
    lines = {}
    for key, entry in (raw or {}).items():
        where = f"{path}: {key}"
        try:
            line = HelpLine(
                id=key, name=str(entry["name"]), number=entry.get("number"), hours=Hours(entry["hours"]),
                audience=Audience(entry["for"]), source=entry["source"], checked_on=entry["checked_on"],
                web=entry.get("web"), number_unconfirmed=bool(entry.get("number_unconfirmed")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HelpLinesError(f"{where}: needs name, number, hours (always/unconfirmed), "
                                 f"for (everyone/under_18/youth/parents), source and checked_on ({exc})") from exc
        if not line.source.startswith("https://"):
            raise HelpLinesError(f"{where}.source: give the https:// link the line was checked against")
        if not isinstance(line.checked_on, date) or line.checked_on > date.today():
            raise HelpLinesError(f"{where}.checked_on: give the date it was last checked, like 2026-12-01")
        if line.number is None and not line.web:
            raise HelpLinesError(f"{where}: without a confirmed number, give its web address (web)")
        lines[key] = line
    missing = [key for key in REQUIRED if key not in lines]
    if missing:
        raise HelpLinesError(f"{path}: the line {missing[0]!r} is missing; the crisis answers need it")
    if lines[EMERGENCY].hours is not Hours.ALWAYS:
        raise HelpLinesError(f"{path}: emergency: 112 answers always (hours: always)")
    return lines


@cache
def helplines() -> dict[str, HelpLine]:
    return load_helplines()


def lines_for(category: Category | None, person: Person, age_group: str | None, open_now_only: bool = False) -> list[HelpLine]:
    """112 first; the line for the danger; the lines for the person's age, or for a parent.
    With open_now_only, only lines confirmed to answer day and night."""
    known = helplines()
    group = "parent" if person is Person.CHILD else age_group
    audiences = FOR_AGE_GROUP.get(group, FOR_AGE_GROUP[None])
    ids = [EMERGENCY, *BY_CATEGORY.get(category, ())]
    ids += [line.id for line in known.values() if line.audience in audiences]
    chosen = [known[key] for key in dict.fromkeys(ids)]
    if open_now_only:
        chosen = [line for line in chosen if line.hours is Hours.ALWAYS]
    first, rest = chosen[:1], chosen[1:]
    return first + sorted(rest, key=lambda line: line.hours is not Hours.ALWAYS)
