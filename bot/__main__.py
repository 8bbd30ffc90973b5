"""Command line: `python -m bot chat | run | db upgrade`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime

from bot.clock import StartedClock
from bot.config import Settings
from bot.console import chat
from bot.runtime import running_core
from bot.store.db import upgrade_sync


async def _chat(settings: Settings, args: argparse.Namespace) -> None:
    clock = StartedClock(datetime.fromisoformat(args.now)) if args.now else None
    async with running_core(settings, clock) as core:
        await chat(core, user_id=args.user, language=args.lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Broen, the guidance bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="chat in the terminal")
    chat_parser.add_argument("--lang", help="the client's language code, as Telegram would send it (da, en, ar, ...)")
    chat_parser.add_argument("--user", default="local", help="who you are (a conversation per user)")
    chat_parser.add_argument("--now", help="start the clock at this ISO date-time (Europe/Copenhagen)")
    commands.add_parser("run", help="run on Telegram when TELEGRAM_BOT_TOKEN is set, else chat in the terminal")
    db_parser = commands.add_parser("db", help="database maintenance")
    db_parser.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry URLs with tokens

    if args.command == "db":
        upgrade_sync(settings.database_url)
        return 0
    if args.command == "run":
        if settings.telegram_bot_token:
            print("TELEGRAM_BOT_TOKEN is set, but the Telegram front end is not built yet; "
                  "starting the terminal chat instead.", file=sys.stderr)
        args = chat_parser.parse_args([])
    try:
        asyncio.run(_chat(settings, args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
