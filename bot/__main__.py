"""Command line: `python -m bot chat | run | content check | db upgrade | poster | report`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path

from bot.clock import StartedClock
from bot.config import Settings
from bot.console import chat, counsel
from bot.content_check import check
from bot.runtime import running_core
from bot.site import SiteError
from bot.store.db import upgrade, upgrade_sync
from flows.facts import FactsError
from nlu.language import SUPPORTED


async def _chat(settings: Settings, args: argparse.Namespace) -> None:
    clock = StartedClock(datetime.fromisoformat(args.now)) if args.now else None
    async with running_core(settings, clock) as core:
        if args.as_counsellor:
            actor = core.site.find_counsellor(args.as_counsellor)
            if actor is None:
                known = ", ".join(person.id for person in core.site.counsellors)
                raise SystemExit(f"No counsellor {args.as_counsellor!r} in {settings.site_file}; known: {known}")
            await counsel(core, actor)
        else:
            await chat(core, user_id=args.user, language=args.lang)


async def _telegram(settings: Settings) -> None:
    from bot.telegram import run_telegram  # python-telegram-bot loads only when used

    async with running_core(settings, chat_handoff=settings.staff_chat_id is not None) as core:
        await run_telegram(settings, core)


MIN_SECRET_LENGTH = 8


class _Redacting(logging.Formatter):
    """Formats log lines, tracebacks included, with every secret replaced by <secret>
    (python-telegram-bot puts a rejected token into its error message)."""

    def __init__(self, fmt: str, secrets: list[str | None]) -> None:
        super().__init__(fmt)
        # A real secret is long; a short test value ("x") would blank out ordinary words.
        self.secrets = [secret for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        return text


async def _ask_telegram_for_username(settings: Settings) -> str:
    from telegram import Bot  # python-telegram-bot loads only when used

    base = {"base_url": settings.telegram_base_url} if settings.telegram_base_url else {}
    async with Bot(settings.telegram_bot_token or "", **base) as bot:
        return bot.username


def _poster(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import TelegramError

    from bot.poster import PosterError, make_poster
    from bot.site import load_site

    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    unknown = [code for code in languages if code not in SUPPORTED]
    if unknown or not languages:
        print(f"--languages: use some of {', '.join(SUPPORTED)} (not {', '.join(unknown) or 'none'})", file=sys.stderr)
        return 2
    username = args.bot_username or settings.telegram_bot_username
    if not username:
        if not settings.telegram_bot_token:
            print("Which bot? Pass --bot-username, or set TELEGRAM_BOT_USERNAME or TELEGRAM_BOT_TOKEN (see .env.example).",
                  file=sys.stderr)
            return 2
        try:
            username = asyncio.run(_ask_telegram_for_username(settings))
        except TelegramError as error:
            print(f"Telegram did not tell the bot's username ({type(error).__name__}); pass --bot-username.",
                  file=sys.stderr)
            return 1
    try:
        poster = make_poster(load_site(settings.site_file), args.desk, languages, username, Path(args.out))
    except (PosterError, SiteError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Poster for {poster.desk.name} written to {args.out}: the QR code opens {poster.link}")
    return 0


async def _write_report(settings: Settings, month: tuple[int, int], out: Path) -> None:
    from bot.report import Period, gather
    from bot.report_pdf import render_pdf
    from bot.site import load_site
    from bot.store import connect

    site = load_site(settings.site_file)
    await upgrade(settings.database_url)
    engine, sessions = connect(settings.database_url)
    try:
        report = await gather(sessions, Period.month(*month))
    finally:
        await engine.dispose()
    out.write_bytes(render_pdf(report, site.name, settings.staff_language))


def _report(settings: Settings, args: argparse.Namespace) -> int:
    try:
        month = datetime.strptime(args.month, "%Y-%m")
    except ValueError:
        print(f"--month: a month like 2026-11, not {args.month!r}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_write_report(settings, (month.year, month.month), Path(args.out)))
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"The report for {args.month} is written to {args.out}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Broen, the guidance bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="chat in the terminal")
    chat_parser.add_argument("--lang", help="the client's language code, as Telegram would send it (da, en, ar, ...)")
    chat_parser.add_argument("--user", default="local", help="who you are (a conversation per user)")
    chat_parser.add_argument("--now", help="start the clock at this ISO date-time (Europe/Copenhagen)")
    chat_parser.add_argument("--as", dest="as_counsellor", metavar="COUNSELLOR",
                             help="play a counsellor in the staff group (a site file id, e.g. heidi)")
    commands.add_parser("run", help="run on Telegram when TELEGRAM_BOT_TOKEN is set, else chat in the terminal")
    content_parser = commands.add_parser("content", help="check the site file and the catalogues")
    content_parser.add_argument("action", choices=["check"])
    content_parser.add_argument("site_file", nargs="?", help="the site file (default: SITE_FILE)")
    db_parser = commands.add_parser("db", help="database maintenance")
    db_parser.add_argument("action", choices=["upgrade"])
    poster_parser = commands.add_parser("poster", help="a printable A4 poster with a QR code for one desk")
    poster_parser.add_argument("--desk", required=True, help="the desk's id in the site file")
    poster_parser.add_argument("--languages", default=",".join(SUPPORTED),
                               help="the welcomes on the poster, in this order (default: all eight)")
    poster_parser.add_argument("--out", default="poster.pdf", help="the PDF to write")
    poster_parser.add_argument("--bot-username", help="the bot's @username (default: TELEGRAM_BOT_USERNAME, "
                                                      "else asked of Telegram with TELEGRAM_BOT_TOKEN)")
    report_parser = commands.add_parser("report", help="the monthly report (charts, counts only) as a PDF, from "
                                                       "DATABASE_URL")
    report_parser.add_argument("--month", required=True, help="the month, e.g. 2026-11")
    report_parser.add_argument("--out", default="report.pdf", help="the PDF to write")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry URLs with tokens
    secrets = [settings.telegram_bot_token, settings.webhook_secret, settings.nlu_token]
    for handler in logging.getLogger().handlers:  # and should a token reach a log line anyway
        handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))

    if args.command == "content":
        site_file = Path(args.site_file) if args.site_file else settings.site_file
        problems = check(site_file)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in the content; the bot would not start or would answer wrongly.",
                  file=sys.stderr)
            return 1
        print(f"Content OK: {site_file}, the rule facts, the help lines, the crisis lexicons and the "
              f"catalogues for {len(SUPPORTED)} languages.")
        return 0
    if args.command == "db":
        upgrade_sync(settings.database_url)
        return 0
    if args.command == "poster":
        return _poster(settings, args)
    if args.command == "report":
        return _report(settings, args)
    telegram = args.command == "run" and settings.telegram_bot_token
    if telegram and settings.webhook_url and not settings.webhook_secret:
        # Without the secret anyone who finds the URL could post updates as Telegram.
        print("WEBHOOK_URL is set but WEBHOOK_SECRET is not: set a long random secret (see .env.example).",
              file=sys.stderr)
        return 2
    if args.command == "run" and not telegram:
        print("No TELEGRAM_BOT_TOKEN set (see .env.example): chatting in the terminal.", file=sys.stderr)
        args = chat_parser.parse_args([])
    try:
        asyncio.run(_telegram(settings) if telegram else _chat(settings, args))
    except KeyboardInterrupt:
        pass
    except (SiteError, FactsError) as error:
        # Broken content stops the start with the reason, not a traceback.
        print(f"{error}\nFix it, then check with `python -m bot content check`.", file=sys.stderr)
        return 2
    except Exception:
        # Through the log, so that a token in the error (a rejected one) is redacted.
        logging.getLogger("bot").exception("Broen stopped on an error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
