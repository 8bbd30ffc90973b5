"""Reminders a person asks for with a button: before a desk's next opening, and 14 and 2
days before the application deadline.

Young people sleep in the morning and forget deadlines, so Broen reminds them, but only
when asked, never between 21:00 and 09:00, and always through the outbox. An opening is
checked again when its reminder is due: one cancelled since (a closure added to the site
file) gets a correction with the next opening instead.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from bot.clock import COPENHAGEN, Clock
from bot.replies import Reply, as_pairs
from bot.schedule import openings_from, openings_on
from bot.site import QUIET_FROM, QUIET_UNTIL, Desk, Site, is_quiet
from bot.store.reminders import DueReminder, Planned, ReminderKind, ReminderStore
from bot.store.tickets import Out, Target
from flows import reminders as texts
from flows.admission import next_deadline
from flows.facts import facts
from flows.turn import Turn
from nlu.language import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)

# The deadline reminders: this many days before it.
DAYS_BEFORE_DEADLINE = (14, 2)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, COPENHAGEN)


def awake(moment: datetime, before: datetime) -> datetime:
    """`moment`, unless it falls between 21:00 and 09:00: then 09:00 after it if that is
    still before `before` (the opening), else 20:00 the evening before."""
    if not is_quiet(moment.time()):
        return moment
    morning = at(moment.date() + timedelta(days=moment.time() >= QUIET_FROM), QUIET_UNTIL)
    return morning if morning < before else at(morning.date() - timedelta(days=1), time(20, 0))


def plan_opening(desk: Desk, now: datetime, before: timedelta) -> Planned | None:
    """The reminder for the first opening whose reminder time is still ahead: asked at
    15:00 for a desk opening at 16:00, that is next week's."""
    for day, hours in openings_from(desk, now.date()):
        start = at(day, hours.start)
        due = awake(start - before, start)
        if due > now:
            return Planned(ReminderKind.OPENING, start, due, desk=desk.id)
    return None


def plan_deadline(deadline: date, now: datetime, moment: time, for_child: bool) -> list[Planned]:
    """14 and 2 days before the deadline, those still ahead."""
    planned = [Planned(ReminderKind.DEADLINE, at(deadline, time(0)), at(deadline - timedelta(days=days), moment),
                       for_child=for_child) for days in DAYS_BEFORE_DEADLINE]
    return [item for item in planned if item.due_at > now]


class Reminders:
    def __init__(self, store: ReminderStore, site: Site, clock: Clock) -> None:
        self.store = store
        self.site = site
        self.clock = clock

    # A person's side: the buttons, /stop_reminders, /mydata ---------------------------

    async def remind_opening(self, turn: Turn, person_id: int, desk_id: str) -> list[Reply] | None:
        """None for a desk the site file does not list (a forged or outdated button)."""
        desk = self.site.find_desk(desk_id)
        if desk is None:
            return None
        planned = plan_opening(desk, turn.now, self.site.remind_before)
        if planned is None:
            return texts.no_opening_ahead(turn)
        await self.store.add(person_id, [planned], turn.now)
        return texts.will_remind(turn, [planned.due_at])

    async def remind_deadline(self, turn: Turn, person_id: int, for_child: bool) -> list[Reply]:
        deadline = next_deadline(turn.now.date(), facts()["deadline"])
        planned = plan_deadline(deadline, turn.now, self.site.deadline_reminder_at, for_child)
        if not planned:
            return texts.deadline_too_close(turn, deadline)
        await self.store.add(person_id, planned, turn.now)
        return texts.will_remind(turn, [item.due_at for item in planned])

    async def stop(self, turn: Turn, person_id: int) -> list[Reply]:
        return texts.stopped(turn, await self.store.stop(person_id))

    async def listed(self, turn: Turn, person_id: int) -> list[str]:
        return [texts.listed(turn, item) for item in await self.store.of_person(person_id)]

    # The leader's minute tick ----------------------------------------------------------

    async def tick(self) -> int:
        """Queues the reminders that are due, in each person's language; how many were
        queued. At night nothing goes: what fell due then waits for 09:00."""
        now = self.clock.now()
        if is_quiet(now.time()):
            return 0
        queued = 0
        for reminder in await self.store.due(now):
            reply = self._message(reminder, Turn(language=reminder.language or DEFAULT_LANGUAGE, now=now))
            out = Out(Target.PERSON, reply.text, buttons=as_pairs(reply.buttons), channel=reminder.channel,
                      chat_id=reminder.chat_id) if reply else None
            if await self.store.done(reminder.id, out, now) and out is not None:
                queued += 1
        return queued

    def _message(self, reminder: DueReminder, turn: Turn) -> Reply | None:
        """The reminder as it should read now; None when it has nothing left to say (the
        deadline or the opening is over, or the desk left the site file)."""
        planned = reminder.planned
        event = planned.event_at
        if planned.kind is ReminderKind.DEADLINE:
            return texts.deadline(turn, event.date(), planned.for_child) if turn.now.date() <= event.date() else None
        desk = self.site.find_desk(planned.desk)
        if desk is None:
            log.info("reminder %s: its desk left the site file", reminder.id)
            return None
        hours = next((h for h in openings_on(desk, event.date()) if h.start == event.time()), None)
        if hours is None:  # cancelled since it was asked for
            return texts.cancelled(turn, desk, event.date())
        return texts.opening(turn, desk, event.date(), hours) if turn.now < at(event.date(), hours.end) else None
