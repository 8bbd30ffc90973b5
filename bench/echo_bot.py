"""The floor for `make bench-load`: the smallest python-telegram-bot bot, which answers
every private message with its own text. Whatever Broen adds to this is Broen's cost."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(update.effective_message.text or "?")


def main() -> None:
    application = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
                   .base_url(os.environ["TELEGRAM_BASE_URL"]).concurrent_updates(64).build())
    application.add_handler(MessageHandler(filters.ALL, echo))
    application.run_polling(poll_interval=0.0)


if __name__ == "__main__":
    main()
