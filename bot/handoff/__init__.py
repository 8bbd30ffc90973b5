"""The handoff between a person and a named counsellor, in three parts: the person's
side (`person`), the staff side (`staff`) and the reminders to staff (`reminders`).

The conversation core opens tickets and relays the person's words; the staff side
(Telegram's staff group, or `chat --as <counsellor>`) takes, answers, passes on and
closes them. Every effect is a row in the outbox, written with the change itself, so
a restart in the middle of a handoff loses nothing.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.handoff.person import PersonSide
from bot.handoff.reminders import ANNOUNCE_AGAIN_AFTER, Reminders
from bot.handoff.staff import StaffSide, staff_reply
from bot.site import Site
from bot.store.tickets import Tickets

__all__ = ["ANNOUNCE_AGAIN_AFTER", "Handoff", "PersonSide", "Reminders", "StaffSide", "staff_reply"]


class Handoff:
    """The three sides over one set of tickets, built once in the runtime."""

    def __init__(self, tickets: Tickets, site: Site, clock: Clock, staff_language: str = "da") -> None:
        self.tickets = tickets
        self.site = site
        self.clock = clock
        self.staff_language = staff_language
        self.person = PersonSide(tickets, site, clock, staff_language)
        self.staff = StaffSide(tickets, site, clock, staff_language)
        self.reminders = Reminders(tickets, site, clock, staff_language)
