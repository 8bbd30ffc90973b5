"""Sends what the outbox holds, through whatever channel runs (Telegram, the terminal).

Everything Broen sends goes this way: replies to a person, relays, cards, notices.
Rows leave the outbox only once sent, so a restart, a 429 or a network failure delays
a message but never loses it:
- each chat is delivered in order, on its own, so one slow or failing chat holds up
  nobody else; a row that failed holds back that chat's later rows, so a "closed"
  notice never overtakes the counsellor's last words;
- a 429 waits as long as Telegram asks; a network error, a timeout or a 5xx is tried
  again with a growing pause; only a message that can never arrive is given up, with
  its honest reason (blocked only when the person blocked Broen);
- a report or a chart is drawn when it is sent, from the figures of that moment;
- a long text goes in parts split at lines or words, a card in its parts, and the row
  remembers how many parts went out, so a retry never repeats one;
- bursts of relayed messages to one staff topic are merged into one message, since
  Telegram allows about 20 messages a minute into a group.
"""

from __future__ import annotations

import asyncio
import html
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from bot.handoff import Handoff
from bot.handoff.staff import Attachment
from bot.store.tickets import Kind, Out, Pending, Target
from flows import staff as staff_texts

log = logging.getLogger(__name__)

Buttons = tuple[tuple[str, str], ...]
# Telegram's limit for one message, counted after HTML escaping (the strictest channel).
MESSAGE_LIMIT = 4096
MAX_RETRY_SECONDS = 300
# How long a worker holds the rows it is sending (see Tickets.claim).
LEASE = timedelta(seconds=60)
COALESCE_SECONDS = 0.02


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

    async def send_file(self, thread_id: int | None, attachment: Attachment) -> None:
        """A file for the staff group: the monthly report, `/tal`'s chart."""

    async def delete_topic(self, thread_id: int) -> None:
        """Deletes a topic with all its messages (the person deleted their data)."""


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The text in parts of at most `limit` characters once HTML-escaped, cut at a line
    break in the second half of a part where there is one, else at a space, else anywhere."""
    def size(part: str) -> int:
        return len(html.escape(part))

    if size(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while size(rest) > limit:
        # The longest prefix that fits, then back to the last line break or space in it.
        low, high = 1, len(rest)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if size(rest[:middle]) <= limit else (low, middle - 1)
        cut = rest.rfind("\n", 0, low + 1)
        if cut < low // 2:  # a line break early on would leave a part nearly empty
            cut = rest.rfind(" ", 0, low + 1)
        if cut <= 0:
            cut = low
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [part for part in parts + [rest] if part]


def _merged(rows: Sequence[Pending]) -> list[list[Pending]]:
    """Consecutive relayed messages for the same ticket become one message."""
    groups: list[list[Pending]] = []
    for row in rows:
        last = groups[-1] if groups else None
        if (last and row.kind == Kind.RELAY and last[-1].kind == Kind.RELAY and last[-1].ticket_id == row.ticket_id
                and last[0].parts_sent == 0 and row.parts_sent == 0
                and sum(len(r.text) + 1 for r in last) + len(row.text) <= staff_texts.MESSAGE_LIMIT):
            last.append(row)
        else:
            groups.append([row])
    return groups


def chat_key(row: Pending) -> tuple:
    """Rows with the same key are delivered in order: a person's chat, or a ticket's topic."""
    if row.target == Target.PERSON:
        return (Target.PERSON, row.channel, row.chat_id)
    return (Target.STAFF, row.ticket_id if row.ticket_id is not None else row.thread_id)


class Dispatcher:
    """Delivers one target's rows: a channel's people, or the staff group."""

    def __init__(self, handoff: Handoff, outlet: Outlet, target: Target, channel: str | None = None,
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
        self._busy: dict[tuple, asyncio.Task] = {}
        self._threads: dict[int, int | None] = {}
        # This worker, for the leases on rows it sends (several may share a database).
        self.owner = uuid.uuid4().hex

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Ends `run` after the rows being sent now. (Cancelling could cut a database
        transaction in half and leave SQLite locked.)"""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                self._start_due(await self._due())
            except Exception:  # a bad row must not stop delivery for everyone else
                log.exception("outbox delivery failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
                # Many wakes in a burst make one look at the outbox, not one each.
                await asyncio.sleep(COALESCE_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
        await asyncio.gather(*self._busy.values(), return_exceptions=True)

    async def deliver_chat(self, channel: str, chat_id: str) -> None:
        """Sends one person's new rows now (the handler that wrote them calls this),
        through the same code as everything else; looks at that chat's rows only."""
        key = (Target.PERSON, channel, chat_id)
        if key in self._busy:
            self._wake.set()  # being delivered: the loop takes the new rows after it
            return
        now = self.handoff.clock.now()
        rows = await self.tickets.pending(Target.PERSON, channel, chat_id)
        due = [row for row in rows if self._may_go(row, now)]
        if len(due) == len(rows) and due:  # nothing held back in front of them
            self._start_due({key: due})
        elif rows:
            self._wake.set()

    async def run_once(self, rounds: int = 5) -> int:
        """Send everything due now and wait until it is sent (also what `run` is sending
        at this moment, and what came meanwhile); the number of messages."""
        sent = 0
        for _ in range(rounds):
            self._start_due(await self._due())
            if not self._busy:
                break
            results = await asyncio.gather(*self._busy.values(), return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException):
                    log.error("outbox delivery failed: %s", type(result).__name__)
            sent += sum(result for result in results if isinstance(result, int))
        return sent

    async def _due(self) -> dict[tuple, list[Pending]]:
        """Each chat's rows that may go now: in order, up to the first that must wait."""
        now = self.handoff.clock.now()
        rows = await self.tickets.pending(self.target, self.channel, self.chat_id)
        due: dict[tuple, list[Pending]] = {}
        held: set[tuple] = set()
        for row in rows:
            key = chat_key(row)
            if key in held:
                continue
            if not self._may_go(row, now):
                held.add(key)  # waiting out a failure, or another worker sends it: the chat's later rows wait too
                continue
            due.setdefault(key, []).append(row)
        return due

    def _may_go(self, row: Pending, now) -> bool:
        if row.not_before is not None and row.not_before > now:
            return False
        return not (row.lease_owner not in (None, self.owner) and row.lease_until is not None and row.lease_until > now)

    def _start_due(self, due: dict[tuple, list[Pending]]) -> list[asyncio.Task]:
        started = []
        for key, rows in due.items():
            if key in self._busy:
                continue  # being delivered; its new rows come in the next round
            task = asyncio.create_task(self._deliver(key, rows))
            self._busy[key] = task
            task.add_done_callback(lambda _, key=key: self._done(key))
            started.append(task)
        return started

    def _done(self, key: tuple) -> None:
        self._busy.pop(key, None)
        self._wake.set()  # rows may have come for this chat while it was busy

    async def _deliver(self, key: tuple, rows: list[Pending]) -> int:
        """One chat's rows, in order; stops at the first that must wait."""
        now = self.handoff.clock.now()
        # The claim also tells which rows are still to be sent: this list may be stale (read
        # before a round that sent or put off some of them). Only the rows before the first
        # one not claimed go, with their parts count as it is now.
        claimed = await self.tickets.claim([row.id for row in rows], self.owner, now, now + LEASE)
        kept = []
        for row in rows:
            if row.id not in claimed:
                break
            kept.append(replace(row, parts_sent=claimed[row.id]))
        rows = kept
        sent = 0
        for group in _merged(rows):
            if self._stopping:
                break
            ids = [row.id for row in group]
            now = self.handoff.clock.now()
            try:
                sent += await self._send(group)
            except TryLater as wait:
                await self.tickets.later(ids, now + timedelta(seconds=wait.seconds))
                break
            except Undeliverable as error:
                if group[0].target == Target.STAFF and group[0].ticket_id is not None and "thread" in error.reason:
                    # The chat's topic was deleted by hand: a new one, and the row again.
                    await self.tickets.set_thread(group[0].ticket_id, None)
                    self._threads.pop(group[0].ticket_id, None)
                    await self.tickets.later(ids, now)
                    break
                await self._undeliverable(group, error.reason)
            except Exception as error:  # network trouble, a timeout, a 5xx: back off, keep the rows
                delay = min(2 ** group[0].attempts, MAX_RETRY_SECONDS)
                log.warning("could not send outbox rows %s (%s); again in %s s", ids, type(error).__name__, delay)
                await self.tickets.later(ids, now + timedelta(seconds=delay))
                break
            else:
                await self.tickets.sent(ids)
        return sent

    async def _send(self, group: list[Pending]) -> int:
        first = group[0]
        if first.target == Target.PERSON:
            return await self._parts(first, [(part, ()) for part in split_text(first.text)], first.buttons,
                                     lambda text, buttons: self.outlet.to_person(first.channel or "", first.chat_id or "",
                                                                                 text, buttons))
        thread = await self._thread(first)
        if first.kind in (Kind.CLOSE_TOPIC, Kind.DELETE_TOPIC):
            if thread is not None:
                await (self.outlet.close_topic if first.kind == Kind.CLOSE_TOPIC else self.outlet.delete_topic)(thread)
            return 0
        if first.kind in (Kind.REPORT, Kind.NUMBERS):
            await self.outlet.send_file(thread, await self.handoff.staff.attachment(first.kind, first.text))
            return 1
        if first.kind in (Kind.CARD, Kind.TRANSCRIPT):
            parts = [(text, buttons) for rendered, buttons in await self.handoff.staff.render(first.kind, first.ticket_id)
                     for text in split_text(rendered)]
            return await self._parts(first, parts, (), lambda text, buttons: self.outlet.to_staff(
                thread, text, buttons, first.notify, first.ticket_id))
        text = "\n".join(row.text for row in group)
        return await self._parts(first, [(part, ()) for part in split_text(text)], first.buttons,
                                 lambda part, buttons: self.outlet.to_staff(thread, part, buttons, first.notify,
                                                                            first.ticket_id))

    async def _parts(self, row: Pending, parts: list[tuple[str, Buttons]], buttons: Buttons,
                     send: Callable[[str, Buttons], Awaitable[None]]) -> int:
        """Sends the parts not sent before; a text's buttons go with its last part."""
        for index in range(row.parts_sent, len(parts)):
            text, part_buttons = parts[index]
            await send(text, part_buttons or (buttons if index == len(parts) - 1 else ()))
            if index < len(parts) - 1:
                await self.tickets.part_sent(row.id, index + 1)
        return len(parts) - row.parts_sent

    async def _thread(self, row: Pending) -> int | None:
        """Where a staff row goes: where the counsellor acted, else the ticket's topic,
        opened with its first message."""
        if row.thread_id is not None or row.ticket_id is None:
            return row.thread_id
        if row.ticket_id in self._threads:
            return self._threads[row.ticket_id]
        ticket = await self.tickets.get(row.ticket_id)
        thread = ticket.thread_id if ticket else None
        if thread is None and ticket is not None and row.kind not in (Kind.CLOSE_TOPIC, Kind.DELETE_TOPIC):
            try:
                thread = await self.outlet.open_topic(self.handoff.staff.topic_title(ticket))
            except Undeliverable as error:
                # No topics, or no right to make them: the General topic, so nothing is
                # missed; the next row for this chat tries to open its topic again.
                log.error("could not open a topic for ticket %s (%s); posting in General", row.ticket_id, error.reason)
                return None
            if thread is not None:
                await self.tickets.set_thread(row.ticket_id, thread)
        self._threads[row.ticket_id] = thread
        return thread

    async def _undeliverable(self, group: list[Pending], reason: str) -> None:
        await self.tickets.undeliverable([row.id for row in group], reason)
        first = group[0]
        log.warning("outbox rows %s cannot be delivered: %s", [row.id for row in group], reason)
        if first.target == Target.PERSON and first.ticket_id is not None:
            text = staff_texts.fixed(staff_texts.BLOCKED, self.handoff.staff_language) if reason == "blocked" \
                else staff_texts.undelivered(reason, self.handoff.staff_language)
            await self.tickets.queue([Out(Target.STAFF, text, ticket_id=first.ticket_id)], self.handoff.clock.now())
        elif first.target == Target.STAFF and first.ticket_id is not None and reason != "no staff group":
            # The topic is gone or the bot lost a right: said in the General topic, so it is seen.
            self._threads.pop(first.ticket_id, None)
            note = staff_texts.staff_undelivered(first.ticket_id, reason, self.handoff.staff_language)
            await self.tickets.queue([Out(Target.STAFF, note, thread_id=None)], self.handoff.clock.now())


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
