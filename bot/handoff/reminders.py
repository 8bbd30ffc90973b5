"""Reminders to the staff group, run every minute by the leader: the morning summary
of chats queued out of hours, and unclaimed chats announced again."""

from __future__ import annotations

from datetime import timedelta

from bot.handoff.common import Side
from bot.matching import anyone_at_work
from bot.store.tickets import Out, State, Target
from flows import staff as staff_texts


# An unclaimed chat is announced again after this long, during working hours.
ANNOUNCE_AGAIN_AFTER = timedelta(hours=2)


class Reminders(Side):
    async def tick(self) -> None:
        """Runs every minute: the morning summary of chats queued out of hours, and
        announcing unclaimed chats again, both only while someone is at work."""
        now = self.clock.now()
        if not anyone_at_work(self.site, now):
            return
        waiting = [ticket for ticket in await self.tickets.active() if ticket.state == State.OPEN]
        queued = [ticket for ticket in waiting if ticket.announced_at is None]
        if queued:
            summary = Out(Target.STAFF, staff_texts.morning_summary(queued, self.site, self.staff_language))
            for i, ticket in enumerate(queued):
                await self.tickets.change(ticket.id, now, [summary] if i == 0 else [], announced_at=now)
        for ticket in waiting:
            if ticket.announced_at is not None and now - ticket.announced_at >= ANNOUNCE_AGAIN_AFTER:
                person = self.site.find_counsellor(ticket.counsellor)
                note = Out(Target.STAFF, staff_texts.still_waiting(ticket, person, self.staff_language), ticket_id=ticket.id)
                await self.tickets.change(ticket.id, now, [note], announced_at=now)
