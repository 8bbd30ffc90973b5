"""When an open-guidance desk is open: weekly hours, minus holidays and closures,
plus extra openings. All times are Europe/Copenhagen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays

from bot.site import Desk, Hours

# Danish public holidays from the maintained `holidays` package; it fills in each
# year on first use. Christmas Eve, New Year's Eve and Constitution Day are not
# public holidays but municipal services close on them too.
_PUBLIC_HOLIDAYS = holidays.country_holidays("DK")
_ALSO_CLOSED = {(12, 24), (12, 31), (6, 5)}
# Looking further ahead than this for the next opening means the desk has closed.
_HORIZON_DAYS = 400


def is_holiday(day: date) -> bool:
    return day in _PUBLIC_HOLIDAYS or (day.month, day.day) in _ALSO_CLOSED


def openings_on(desk: Desk, day: date) -> tuple[Hours, ...]:
    """The desk's opening hours on a day. An extra opening wins over everything."""
    extra = tuple(opening.hours for opening in desk.extra if opening.day == day)
    if extra:
        return extra
    if is_holiday(day) or any(closure.first <= day <= closure.last for closure in desk.closed):
        return ()
    return desk.weekly.get(day.weekday(), ())


@dataclass(frozen=True)
class Status:
    open_now: Hours | None
    next_day: date | None
    next_hours: Hours | None
    holiday_today: bool


def status(desk: Desk, now: datetime) -> Status:
    today, moment = now.date(), now.time()
    open_now = next((hours for hours in openings_on(desk, today) if hours.start <= moment < hours.end), None)
    day, hours = next(((day, hours) for day, hours in openings_from(desk, today)
                       if day > today or hours.start > moment), (None, None))
    return Status(open_now, day, hours, is_holiday(today))


def closure_reason(desk: Desk, day: date) -> str | None:
    """Why the desk is closed on a day it would normally be open, as the site file says."""
    return next((closure.reason or None for closure in desk.closed if closure.first <= day <= closure.last), None)


def openings_from(desk: Desk, first: date) -> Iterator[tuple[date, Hours]]:
    """Every opening from the day `first` on, in order, as far as Broen looks ahead."""
    for offset in range(_HORIZON_DAYS):
        day = first + timedelta(days=offset)
        for hours in openings_on(desk, day):
            yield day, hours


def next_opening(desk: Desk, after: date) -> tuple[date, Hours] | None:
    """The first opening on a later day than `after`."""
    return next(openings_from(desk, after + timedelta(days=1)), None)
