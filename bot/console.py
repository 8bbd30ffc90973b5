"""The terminal channel: the same core as Telegram, read from stdin, printed to stdout.

Buttons are shown as numbered options; typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.core import Core
from bot.replies import Button, Incoming, Reply


def render(reply: Reply) -> str:
    lines = [reply.text]
    lines += [f"  {number}. {button.label}" for number, button in enumerate(reply.buttons, start=1)]
    return "\n".join(lines)


def to_incoming(line: str, user_id: str, language: str | None, options: list[Button]) -> Incoming:
    text = line.rstrip("\n")
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(options):
        return Incoming("console", user_id, kind="button", text=options[int(stripped) - 1].data, client_language=language)
    if stripped.startswith("/"):
        return Incoming("console", user_id, kind="command", text=stripped, client_language=language)
    return Incoming("console", user_id, kind="text", text=text, client_language=language)


async def chat(core: Core, user_id: str, language: str | None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    interactive = stdin.isatty()
    if interactive:
        print("Broen chat. Write a message (numbers choose an option); Ctrl-D quits.", file=stdout)
    options: list[Button] = []
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        replies = await core.handle(to_incoming(line, user_id, language, options))
        for reply in replies:
            print(render(reply), file=stdout, flush=True)
        options = [button for reply in replies for button in reply.buttons] or options
        print(file=stdout, flush=True)
