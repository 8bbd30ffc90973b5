"""Time, injectable: Broen reasons in Europe/Copenhagen, and tests fix the clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local(moment: datetime) -> datetime:
    """A stored time in Copenhagen time. SQLite hands times back without a zone
    (they were written in Copenhagen time); PostgreSQL hands them back in UTC."""
    return moment.replace(tzinfo=COPENHAGEN) if moment.tzinfo is None else moment.astimezone(COPENHAGEN)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(COPENHAGEN)


class StartedClock:
    """Starts at a given moment and runs on in real time (for `chat --now`)."""

    def __init__(self, start: datetime) -> None:
        self._start = start if start.tzinfo else start.replace(tzinfo=COPENHAGEN)
        self._began = time.monotonic()

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=time.monotonic() - self._began)).astimezone(COPENHAGEN)


class FixedClock:
    """Stands still until a test sets `moment`."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Moves on, e.g. advance(minutes=1)."""
        self.moment += timedelta(**delta)
