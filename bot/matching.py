"""Which named counsellor takes a handoff, and when they can be expected to answer.

Pure functions of the site file and the clock: no database, no channel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.schedule import is_holiday
from bot.site import Counsellor, Hours, Site
from nlu.text import normalise

# What the warm referral promises: an answer within this long after work starts.
ANSWER_WITHIN = timedelta(hours=1)
# Someone with no working time in this many days counts as away.
_HORIZON_DAYS = 60


def _hours_on(person: Counsellor, day: date) -> tuple[Hours, ...]:
    if is_holiday(day) or any(leave.first <= day <= leave.last for leave in person.away):
        return ()
    return person.working_hours.get(day.weekday(), ())


def at_work(person: Counsellor, now: datetime) -> bool:
    return any(hours.start <= now.time() < hours.end for hours in _hours_on(person, now.date()))


def next_at_work(person: Counsellor, now: datetime) -> datetime | None:
    """Now, if at work; else when their next working time starts."""
    if at_work(person, now):
        return now
    for offset in range(_HORIZON_DAYS):
        day = now.date() + timedelta(days=offset)
        for hours in _hours_on(person, day):
            start = datetime.combine(day, hours.start, tzinfo=now.tzinfo)
            if start > now:
                return start
    return None


@dataclass(frozen=True)
class Expectation:
    """When the user can expect an answer from the counsellor."""

    now: bool  # at work right now
    starts: datetime | None  # when work starts, if not now (None: not in the coming weeks)
    answer_by: datetime | None


def expect_answer(person: Counsellor, now: datetime) -> Expectation:
    if at_work(person, now):
        return Expectation(True, None, now + ANSWER_WITHIN)
    starts = next_at_work(person, now)
    return Expectation(False, starts, starts + ANSWER_WITHIN if starts else None)


def anyone_at_work(site: Site, now: datetime) -> bool:
    return any(at_work(person, now) for person in site.counsellors)


def asked_for(site: Site, texts: Sequence[str]) -> Counsellor | None:
    """The counsellor a person asked for by name ("kan jeg snakke med Heidi?", "is Mette
    there?"), in the latest of their messages that names one."""
    for text in reversed(texts):
        words = set(re.findall(r"\w+", normalise(text)))
        named = [person for person in site.counsellors if normalise(person.first_name) in words]
        if named:
            return named[0]
    return None


def choose_counsellor(
    site: Site,
    topic: str | None,
    language: str,
    now: datetime,
    load: Mapping[str, int],
    previous: str | None = None,
    urgent: bool = False,
    area: str | None = None,
    asked: Counsellor | None = None,
) -> Counsellor | None:
    """The one the person asked for by name (a known face), or else had before, if still
    listed; otherwise the best fit: helps with the topic, speaks the language, works in
    the person's area (the desk whose poster brought them), at work soonest, fewest open
    chats, then the site file's order. An urgent chat goes to someone at work now before
    anything else, the one asked for too."""
    if asked is not None and not (urgent and not at_work(asked, now)):
        return asked
    if (known := site.find_counsellor(previous)) is not None:
        return known
    far = now + timedelta(days=_HORIZON_DAYS)

    def fit(entry: tuple[int, Counsellor]) -> tuple:
        order, person = entry
        return (
            urgent and not at_work(person, now),
            topic is not None and topic not in person.topics,
            language not in person.languages,
            area is not None and area not in person.areas,
            next_at_work(person, now) or far,
            load.get(person.id, 0),
            order,
        )

    ranked = sorted(enumerate(site.counsellors), key=fit)
    return ranked[0][1] if ranked else None
