"""The terminal channel: the same core as Telegram, read from stdin, printed to stdout.

Buttons are shown as numbered options; typing the number presses the button. With
`--as <counsellor>` the terminal plays the staff group instead, against the same
database: two terminals are enough to try a whole handoff without Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TextIO

from bot.core import Core
from bot.outbox import Buttons, Dispatcher, every
from bot.replies import Button, Incoming, Reply, as_pairs, command
from bot.handoff.staff import Attachment
from bot.site import Counsellor
from bot.store.tickets import Target

CHANNEL = "console"
# Where the staff terminal puts the files Telegram's staff group would get (reports, charts).
REPORTS_DIR = Path("var/reports")


def render_text(text: str, buttons: Buttons) -> str:
    lines = [text]
    lines += [f"  {number}. {label}" for number, (label, _) in enumerate(buttons, start=1)]
    return "\n".join(lines)


def to_incoming(line: str, user_id: str, language: str | None, options: list[Button]) -> Incoming:
    text = line.rstrip("\n")
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(options):
        return Incoming(CHANNEL, user_id, kind="button", text=options[int(stripped) - 1].data, client_language=language)
    if stripped.startswith("/"):
        return Incoming(CHANNEL, user_id, kind="command", text=stripped, client_language=language)
    return Incoming(CHANNEL, user_id, kind="text", text=text, client_language=language)


class _PersonOutlet:
    """Prints what Broen and a counsellor send to this terminal's user (the outbox's
    rows for this user, like every channel's)."""

    def __init__(self, stdout: TextIO, options: list[Button]) -> None:
        self.stdout = stdout
        self.options = options

    async def to_person(self, channel: str, chat_id: str, text: str, buttons: Buttons) -> None:
        print(f"{render_text(text, buttons)}\n", file=self.stdout, flush=True)
        if buttons:
            self.options[:] = [Button(label, data) for label, data in buttons]


@contextlib.asynccontextmanager
async def _delivering(dispatcher: Dispatcher, interval: float) -> AsyncIterator[None]:
    dispatcher.interval = interval
    await dispatcher.run_once()  # what waited while nobody was looking, before any input
    task = asyncio.create_task(dispatcher.run())
    try:
        yield
    finally:
        dispatcher.stop()
        await task
        await dispatcher.run_once()  # whatever arrived at the very end


async def chat(core: Core, user_id: str, language: str | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    interactive = stdin.isatty()
    if interactive:
        print("Broen chat. Write a message (numbers choose an option); Ctrl-D quits.", file=stdout)
    options: list[Button] = []
    relays = Dispatcher(core.handoff, _PersonOutlet(stdout, options), Target.PERSON, channel=CHANNEL, chat_id=user_id)
    # The reminders this terminal's user asked for come as on Telegram (`chat --now` to try them).
    stopping = asyncio.Event()
    reminding = asyncio.create_task(every(60, core.reminders.tick, stopping))
    async with _delivering(relays, 1.0):
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await core.handle(to_incoming(line, user_id, language, options))
            await relays.run_once()  # the replies, through the outbox like everything sent
    stopping.set()
    await reminding


class _StaffOutlet:
    """Prints the staff group: each chat's messages under its number."""

    def __init__(self, desk: CounsellorDesk) -> None:
        self.desk = desk

    async def to_person(self, channel: str, chat_id: str, text: str, buttons: Buttons) -> None:
        raise NotImplementedError("the staff terminal sends to the staff group only")

    async def to_staff(self, thread_id: int | None, text: str, buttons: Buttons, notify: bool,
                       ticket_id: int | None = None) -> None:
        if ticket_id is not None:
            self.desk.current = ticket_id
        self.desk.show(f"[#{ticket_id}] {text}" if ticket_id else text, buttons)

    async def send_file(self, thread_id: int | None, attachment: Attachment) -> None:
        REPORTS_DIR.mkdir(parents=True, exist_ok=True)
        path = REPORTS_DIR / attachment.filename
        path.write_bytes(attachment.data)
        self.desk.show(f"{attachment.caption}\n[{path}]", ())

    async def open_topic(self, title: str) -> int | None:
        return None  # the terminal has no topics; chats are told apart by their number

    async def close_topic(self, thread_id: int) -> None:
        return None

    async def delete_topic(self, thread_id: int) -> None:
        return None


class CounsellorDesk:
    """`chat --as heidi`: a counsellor's view of the staff group in the terminal.

    Numbers press the last buttons shown; text goes to the current chat (the last one
    shown; `#12` switches to chat 12, `#12 text` writes to it); `/luk [outcome]` closes it;
    `/tal` draws the last 30 days.
    """

    def __init__(self, core: Core, actor: Counsellor, stdout: TextIO) -> None:
        self.handoff = core.handoff
        self.actor = actor
        self.stdout = stdout
        self.current: int | None = None
        self.options: Buttons = ()

    def show(self, text: str, buttons: Buttons) -> None:
        print(render_text(text, buttons), file=self.stdout, flush=True)
        if buttons:
            self.options = buttons

    async def handle(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            data = self.options[int(text) - 1][1]
            self._show_replies(await self.handoff.staff.press(self.actor, data))
            return
        if command(text)[0] == "/tal":  # the last 30 days: a chart saved under var/reports
            await self.handoff.staff.numbers(None)
            return
        if text.startswith("#"):
            number, _, rest = text[1:].partition(" ")
            if number.isdigit():
                self.current, text = int(number), rest.strip()
                if not text:
                    return
        if self.current is None:
            self.show("No chat yet: wait for one to arrive, or write #<number> to pick one.", ())
            return
        name, note = command(text)
        if name == "/luk":
            self._show_replies(await self.handoff.staff.close_command(self.actor, self.current, note))
        else:
            self._show_replies(await self.handoff.staff.relay_out(self.actor, self.current, text))

    def _show_replies(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self.show(reply.text, as_pairs(reply.buttons))


async def counsel(core: Core, actor: Counsellor, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                  interval: float = 1.0) -> None:
    desk = CounsellorDesk(core, actor, stdout)
    if stdin.isatty():
        print(f"Broen staff group as {actor.name}. Numbers press buttons, text answers the current chat, "
              "#12 picks chat 12, /luk closes, /tal shows the last 30 days; Ctrl-D quits.", file=stdout)
    staff = Dispatcher(core.handoff, _StaffOutlet(desk), Target.STAFF)

    stopping = asyncio.Event()
    reminders = asyncio.create_task(every(60, core.handoff.reminders.tick, stopping))
    async with _delivering(staff, interval):
        while True:
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await desk.handle(line)
            staff.wake()
    stopping.set()
    await reminders
