"""What each side of a handoff shares: the tickets, the site, the clock and the staff
group's language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.site import Site
from bot.store.tickets import Tickets


@dataclass
class Side:
    tickets: Tickets
    site: Site
    clock: Clock
    staff_language: str = "da"
