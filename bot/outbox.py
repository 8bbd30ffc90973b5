"""Sends what the outbox holds, through whatever channel runs (Telegram, the terminal).

Rows leave the outbox only once sent. A 429 or a network error puts them back with
a later time; a person who blocked the bot marks their rows undeliverable (kept, and
the counsellor is told). Bursts of relayed messages to one staff topic are merged
into one message, since Telegram allows about 20 messages a minute into a group.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Protocol

from bot.handoff import Handoff
from bot.store.tickets import Out, Pending
from flows import staff as staff_texts

log = logging.getLogger(__name__)

Buttons = tuple[tuple[str, str], ...]


class Undeliverable(Exception):
    """The message can never arrive (the person blocked the bot, the chat is gone)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TryLater(Exception):
    """Telegram said "too many requests": try again after this many seconds."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Outlet(Protocol):
    async def to_person(self, channel: str, chat_id: str, text: str, buttons: Buttons) -> None: ...

    async def to_staff(self, thread_id: int | None, text: str, buttons: Buttons, notify: bool,
                       ticket_id: int | None = None) -> None: ...

    async def open_topic(self, title: str) -> int | None:
        """A new topic in the staff group, its thread id (None where there are no topics)."""

    async def close_topic(self, thread_id: int) -> None: ...


def _merged(rows: Sequence[Pending]) -> list[list[Pending]]:
    """Consecutive relayed messages for the same ticket become one message."""
    groups: list[list[Pending]] = []
    for row in rows:
        last = groups[-1] if groups else None
        if (last and row.kind == "relay" and last[-1].kind == "relay" and last[-1].ticket_id == row.ticket_id
                and sum(len(r.text) + 1 for r in last) + len(row.text) <= staff_texts.MESSAGE_LIMIT):
            last.append(row)
        else:
            groups.append([row])
    return groups


class Dispatcher:
    """Delivers one target's rows: a channel's people, or the staff group."""

    def __init__(self, handoff: Handoff, outlet: Outlet, target: str, channel: str | None = None,
                 chat_id: str | None = None, interval: float = 1.0) -> None:
        self.handoff = handoff
        self.tickets = handoff.tickets
        self.outlet = outlet
        self.target = target
        self.channel = channel
        self.chat_id = chat_id
        self.interval = interval
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Ends `run` after the current delivery. (Cancelling it could cut a database
        transaction in half and leave SQLite locked.)"""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:  # a bad row must not stop delivery for everyone else
                log.exception("outbox delivery failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except TimeoutError:
                pass
            self._wake.clear()


    async def run_once(self) -> int:
        """Send what is due; the number of messages sent."""
        now = self.handoff.clock.now()
        rows = await self.tickets.pending(self.target, now, self.channel, self.chat_id)
        sent = 0
        threads: dict[int, int | None] = {}
        for group in _merged(rows):
            ids = [row.id for row in group]
            try:
                sent += await self._send(group, threads)
            except TryLater as wait:
                await self.tickets.later(ids, now + timedelta(seconds=wait.seconds))
                break  # the channel asked for a pause; the rest waits too
            except Undeliverable as error:
                await self._undeliverable(group, error.reason)
            except Exception as error:  # network trouble: back off, keep the rows
                delay = min(2 ** group[0].attempts, 300)
                log.warning("could not send outbox rows %s (%s); again in %s s", ids, type(error).__name__, delay)
                await self.tickets.later(ids, now + timedelta(seconds=delay))
            else:
                await self.tickets.sent(ids)
        return sent

    async def _send(self, group: list[Pending], threads: dict[int, int | None]) -> int:
        first = group[0]
        if first.target == "person":
            await self.outlet.to_person(first.channel or "", first.chat_id or "", first.text, first.buttons)
            return 1
        thread = await self._thread(first, threads)
        if first.kind == "close_topic":
            if thread is not None:
                await self.outlet.close_topic(thread)
            return 0
        if first.kind in ("card", "transcript"):
            parts = await self.handoff.render(first.kind, first.ticket_id)
            for text, buttons in parts:
                await self.outlet.to_staff(thread, text, buttons, first.notify, first.ticket_id)
            return len(parts)
        await self.outlet.to_staff(thread, "\n".join(row.text for row in group), first.buttons, first.notify,
                                   first.ticket_id)
        return 1

    async def _thread(self, row: Pending, threads: dict[int, int | None]) -> int | None:
        """The ticket's topic in the staff group, opened with its first message."""
        if row.ticket_id is None:
            return None
        if row.ticket_id in threads:
            return threads[row.ticket_id]
        thread = row.thread_id
        if thread is None and row.kind != "close_topic":
            ticket = await self.tickets.get(row.ticket_id)
            thread = await self.outlet.open_topic(self.handoff.topic_title(ticket)) if ticket else None
            if thread is not None:
                await self.tickets.set_thread(row.ticket_id, thread)
        threads[row.ticket_id] = thread
        return thread

    async def _undeliverable(self, group: list[Pending], reason: str) -> None:
        await self.tickets.undeliverable([row.id for row in group], reason)
        first = group[0]
        log.warning("outbox rows %s cannot be delivered: %s", [row.id for row in group], reason)
        if first.target == "person" and first.ticket_id is not None:
            note = Out("staff", staff_texts.fixed(staff_texts.BLOCKED, self.handoff.staff_language), kind="relay", ticket_id=first.ticket_id)
            await self.tickets.queue([note], self.handoff.clock.now())


async def every(seconds: float, action: Callable[[], Awaitable[None]], stopping: asyncio.Event) -> None:
    """Runs the action now and then every so often until `stopping` is set; never
    cancelled halfway through, for the same reason as `Dispatcher.stop`."""
    while not stopping.is_set():
        try:
            await action()
        except Exception:
            log.exception("%s failed", getattr(action, "__name__", "a repeated action"))
        try:
            await asyncio.wait_for(stopping.wait(), seconds)
        except TimeoutError:
            pass
