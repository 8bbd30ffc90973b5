"""Reminders to the staff group, run every minute by the leader: the morning summary
of chats queued out of hours, unclaimed chats announced again, and the monthly report
on the 1st at 09:00."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.handoff.common import Side
from bot.matching import anyone_at_work
from bot.store.tickets import Out, State, Target
from flows import staff as staff_texts


# An unclaimed chat is announced again after this long, during working hours.
ANNOUNCE_AGAIN_AFTER = timedelta(hours=2)
# The month's report goes to the staff group on the 1st at 09:00; a bot that was down
# then sends it when it is back, within the first week.
REPORT_AT = time(9, 0)
REPORT_LATEST_DAY = 7


class Reminders(Side):
    _report_month: str | None = None  # the last month whose report this worker saw queued

    async def tick(self) -> None:
        """Runs every minute: the monthly report when it is due; the morning summary of
        chats queued out of hours, and announcing unclaimed chats again, both only while
        someone is at work."""
        now = self.clock.now()
        await self._monthly_report(now)
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

    async def _monthly_report(self, now: datetime) -> None:
        """Last month's report, once: the database keeps which months were queued."""
        if now.day > REPORT_LATEST_DAY or (now.day == 1 and now.time() < REPORT_AT):
            return
        month = f"{now.replace(day=1) - timedelta(days=1):%Y-%m}"
        if self._report_month != month:
            await self.tickets.queue_monthly_report(month, now)
            self._report_month = month
