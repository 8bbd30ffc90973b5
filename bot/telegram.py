"""The Telegram channel (python-telegram-bot 22): private chats go to the conversation
core; the staff group (a supergroup with topics) goes to the handoff's staff side.

Everything Broen sends is HTML-escaped, so text a person or counsellor wrote can
never turn into formatting or links in someone else's chat.
"""

from __future__ import annotations

import asyncio
import html
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from telegram import (
    Bot, BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter, Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters,
)

from bot.config import Settings
from bot.core import Core
from bot.handoff import Handoff, StaffReply
from bot.outbox import Buttons, Dispatcher, TryLater, Undeliverable, every
from bot.replies import Incoming, Reply, command
from flows import staff as staff_texts
from flows.commands import command_menu
from flows.turn import Turn
from nlu.language import SUPPORTED

log = logging.getLogger(__name__)

T = TypeVar("T")
CHANNEL = "telegram"
# Every minute: the morning summary and announcing unclaimed chats again.
TICK_SECONDS = 60
PURGE_SECONDS = 24 * 3600


# Rendering -------------------------------------------------------------------------

def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """One button per row; short labels (languages, age groups) two per row."""
    if not buttons:
        return None
    per_row = 2 if all(len(label) <= 16 for label, _ in buttons) and len(buttons) > 3 else 1
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows])


def reply_buttons(reply: Reply) -> Buttons:
    return tuple((button.label, button.data) for button in reply.buttons)


def _kind(message: Message) -> str:
    if message.text:
        return "command" if message.text.startswith("/") else "text"
    for kind in ("photo", "voice", "sticker", "document", "video", "audio", "animation", "video_note", "location"):
        if getattr(message, kind, None):
            return kind
    return "other"


def _translated(error: TelegramError) -> Exception:
    """Telegram's errors in the outbox's terms: wait, give up, or try again later."""
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        return TryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
    if isinstance(error, Forbidden):
        return Undeliverable("blocked")
    if isinstance(error, BadRequest):
        return Undeliverable(f"bad request: {error.message}"[:32])
    return error


class TelegramOutlet:
    """Sends outbox rows with the application's bot (through its rate limiter)."""

    def __init__(self, application: Application, staff_chat_id: int | None) -> None:
        self.bot = application.bot
        self.staff_chat_id = staff_chat_id

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await request
        except TelegramError as error:
            raise _translated(error) from error

    def _staff_chat(self) -> int:
        if self.staff_chat_id is None:
            raise Undeliverable("no staff group")
        return self.staff_chat_id

    async def to_person(self, channel: str, chat_id: str, text: str, buttons: Buttons) -> None:
        await self._call(self.bot.send_message(int(chat_id), html.escape(text), parse_mode=ParseMode.HTML,
                                               reply_markup=keyboard(buttons)))

    async def to_staff(self, thread_id: int | None, text: str, buttons: Buttons, notify: bool,
                       ticket_id: int | None = None) -> None:
        await self._call(self.bot.send_message(self._staff_chat(), html.escape(text), parse_mode=ParseMode.HTML,
                                               message_thread_id=thread_id, reply_markup=keyboard(buttons),
                                               disable_notification=not notify))

    async def open_topic(self, title: str) -> int | None:
        topic = await self._call(self.bot.create_forum_topic(self._staff_chat(), title))
        return topic.message_thread_id

    async def close_topic(self, thread_id: int) -> None:
        try:
            await self.bot.close_forum_topic(self.staff_chat_id, thread_id)
        except BadRequest as error:  # already closed, or deleted by hand: nothing to do
            log.info("could not close topic %s: %s", thread_id, error.message)


# Handlers --------------------------------------------------------------------------

class TelegramFront:
    """The handlers, with what they need; wired in `build_application`."""

    def __init__(self, core: Core, bot: Bot, staff_chat_id: int | None, wake: Callable[[], None]) -> None:
        self.core = core
        self.handoff: Handoff = core.handoff
        self.bot = bot
        self.staff_chat_id = staff_chat_id
        self.wake = wake  # the outbox has something new

    async def private_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        incoming = Incoming(CHANNEL, str(update.effective_chat.id), kind=_kind(message),
                            text=message.text or message.caption, first_name=user.first_name if user else None,
                            client_language=user.language_code if user else None)
        await self._answer(update, incoming)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None and chat.id == self.staff_chat_id:
            await self.staff_button(update, context)
        elif chat is not None and chat.type == ChatType.PRIVATE:
            await self.private_button(update, context)
        else:
            await update.callback_query.answer()

    async def private_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        await query.answer()
        incoming = Incoming(CHANNEL, str(update.effective_chat.id), kind="button", text=query.data or "",
                            first_name=user.first_name, client_language=user.language_code)
        await self._answer(update, incoming)

    async def _answer(self, update: Update, incoming: Incoming) -> None:
        replies = await self.core.handle(incoming)
        self.wake()
        for reply in replies:
            await update.effective_chat.send_message(html.escape(reply.text), parse_mode=ParseMode.HTML,
                                                     reply_markup=keyboard(reply_buttons(reply)))

    async def staff_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        actor = self._counsellor(update)
        if actor is None or not message.is_topic_message:
            return  # chatter in the General topic, or someone not listed (logged)
        ticket = await self.handoff.tickets.by_thread(message.message_thread_id)
        if ticket is None:
            return  # a topic the counsellors made themselves
        text = message.text or message.caption
        name, note = command(text or "")
        if name == "/luk":
            replies = await self.handoff.close_command(actor, ticket.id, note)
        elif text:
            replies = await self.handoff.relay_out(actor, ticket.id, text)
        else:
            replies = [StaffReply(staff_texts.fixed(staff_texts.TEXT_ONLY, self.handoff.staff_language))]
        await self._staff_replies(message.message_thread_id, replies)

    async def staff_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        actor = self._counsellor(update)
        if actor is None:
            await query.answer(staff_texts.fixed(staff_texts.NOT_LISTED, self.handoff.staff_language), show_alert=True)
            return
        await query.answer()
        replies = await self.handoff.press(actor, query.data or "")
        thread = query.message.message_thread_id if query.message and query.message.is_topic_message else None
        await self._staff_replies(thread, replies)

    def _counsellor(self, update: Update):
        user = update.effective_user
        actor = self.handoff.site.counsellor_by_telegram(user.id) if user else None
        if actor is None:
            # Not in the site file: ignored. Logged by id only; their words are not kept.
            log.warning("ignored an update from user id %s in the staff group: not a listed counsellor",
                        user.id if user else None)
        return actor

    async def _staff_replies(self, thread: int | None, replies: Sequence[StaffReply]) -> None:
        self.wake()
        for reply in replies:
            await self.bot.send_message(self.staff_chat_id, html.escape(reply.text), parse_mode=ParseMode.HTML,
                                                message_thread_id=thread, reply_markup=keyboard(reply.buttons))

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("could not handle an update: %s", context.error, exc_info=context.error)


def build_application(settings: Settings, core: Core) -> tuple[Application, list[Dispatcher]]:
    builder = ApplicationBuilder().token(settings.telegram_bot_token).rate_limiter(AIORateLimiter(max_retries=2))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    application = builder.build()

    outlet = TelegramOutlet(application, settings.staff_chat_id)
    dispatchers = [Dispatcher(core.handoff, outlet, "person", channel=CHANNEL), Dispatcher(core.handoff, outlet, "staff")]

    def wake() -> None:
        for dispatcher in dispatchers:
            dispatcher.wake()

    front = TelegramFront(core, application.bot, settings.staff_chat_id, wake)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(private, front.private_message))
    application.add_handler(CallbackQueryHandler(front.button))
    if settings.staff_chat_id is not None:
        staff = filters.Chat(chat_id=settings.staff_chat_id) & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
        application.add_handler(MessageHandler(staff, front.staff_message))
    application.add_error_handler(front.error)
    return application, dispatchers


async def set_commands(application: Application, settings: Settings, now) -> None:
    """The "/" menu in each user language, and /luk in the staff group."""
    bot = application.bot
    for language in SUPPORTED:
        commands = [BotCommand(name, text) for name, text in command_menu(Turn(language, now))]
        await bot.set_my_commands(commands, language_code=language)
    await bot.set_my_commands([BotCommand(name, text) for name, text in command_menu(Turn("en", now))])
    if settings.staff_chat_id is not None:
        await bot.set_my_commands([BotCommand("luk", staff_texts.fixed(staff_texts.CLOSE_COMMAND, settings.staff_language))],
                                  scope=BotCommandScopeChat(settings.staff_chat_id))


async def run_telegram(settings: Settings, core: Core) -> None:
    """Runs until SIGINT or SIGTERM: polling by default, a webhook when WEBHOOK_URL is set."""
    application, dispatchers = build_application(settings, core)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def remind() -> None:
        await core.handoff.tick()
        for dispatcher in dispatchers:
            dispatcher.wake()

    async def purge() -> None:
        deleted = await core.handoff.tickets.purge(core.clock.now() - timedelta(days=settings.retention_days))
        log.info("purged data older than %s days: %s", settings.retention_days, deleted)

    async with application:
        try:
            await set_commands(application, settings, core.clock.now())
        except TelegramError as error:  # a menu is nice to have, never a reason not to start
            log.warning("could not set the command menus: %s", error)
        await application.start()
        if settings.webhook_url:
            await application.updater.start_webhook(
                listen="0.0.0.0", port=settings.webhook_port, url_path="telegram",
                webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
            )
        else:
            await application.updater.start_polling()
        print("Broen is running on Telegram. Ctrl-C stops it.", flush=True)
        tasks = [asyncio.create_task(dispatcher.run()) for dispatcher in dispatchers]
        tasks.append(asyncio.create_task(every(TICK_SECONDS, remind, stop)))
        tasks.append(asyncio.create_task(every(PURGE_SECONDS, purge, stop)))
        await stop.wait()
        for dispatcher in dispatchers:
            dispatcher.stop()
        await asyncio.gather(*tasks)
        await application.updater.stop()
        await application.stop()
