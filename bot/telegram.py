"""The Telegram channel (python-telegram-bot 22): private chats go to the conversation
core; the staff group (a supergroup with topics) goes to the handoff's staff side.

- Every update is committed to the inbox before Telegram learns it arrived (the
  update queue stores it; polling confirms the offset and the webhook answers 200 only
  after that), and updates stored but never handled are handled at the next start.
- Chats are handled concurrently, each chat (each staff topic) in order, so one
  person's slow question delays nobody else.
- Nothing is sent from a handler: replies are outbox rows, delivered by the
  dispatchers (bot.outbox), which the handler wakes.
- Everything Broen sends is HTML-escaped, so text a person or counsellor wrote can
  never turn into formatting or links in someone else's chat.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import signal
from collections import defaultdict
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from telegram import (
    BotCommand, BotCommandScopeChat, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions,
    Message, Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor, CallbackQueryHandler, ContextTypes,
    MessageHandler, filters,
)

from bot.clock import Clock
from bot.config import Settings
from bot.core import Core
from bot.handoff import Handoff, staff_reply
from bot.handoff.staff import Attachment
from bot.leader import Leadership
from bot.links import to_telegram_html
from bot.outbox import Buttons, Dispatcher, TryLater, Undeliverable, every
from bot.replies import Incoming, Reply, as_pairs, command
from bot.store.db import engine_of
from bot.store.inbox import Inbox
from bot.store.tickets import Out, Target
from bot.telegram_request import AiohttpRequest
from flows import staff as staff_texts
from flows.commands import command_menu
from flows.turn import Turn
from nlu.language import SUPPORTED

log = logging.getLogger(__name__)

T = TypeVar("T")
CHANNEL = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Every minute: the morning summary and announcing unclaimed chats again.
TICK_SECONDS = 60
PURGE_SECONDS = 24 * 3600
# Updates handled at the same time (different chats); one chat's are always in order.
CONCURRENT_UPDATES = 64


# Rendering -------------------------------------------------------------------------

def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """One button per row; short labels (languages, age groups) two per row."""
    if not buttons:
        return None
    per_row = 2 if all(len(label) <= 16 for label, _ in buttons) and len(buttons) > 3 else 1
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows])


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
        return Undeliverable("blocked" if "blocked" in error.message.lower() else f"forbidden: {error.message}"[:32])
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
        # No preview card under an answer: the source link is one tap, and the answer stays one screen.
        await self._call(self.bot.send_message(int(chat_id), to_telegram_html(text), parse_mode=ParseMode.HTML,
                                               reply_markup=keyboard(buttons), link_preview_options=NO_PREVIEW))

    async def to_staff(self, thread_id: int | None, text: str, buttons: Buttons, notify: bool,
                       ticket_id: int | None = None) -> None:
        await self._call(self.bot.send_message(self._staff_chat(), html.escape(text), parse_mode=ParseMode.HTML,
                                               message_thread_id=thread_id, reply_markup=keyboard(buttons),
                                               disable_notification=not notify))

    async def send_file(self, thread_id: int | None, attachment: Attachment) -> None:
        if attachment.photo:
            await self._call(self.bot.send_photo(self._staff_chat(), attachment.data, caption=attachment.caption,
                                                 message_thread_id=thread_id))
        else:
            await self._call(self.bot.send_document(self._staff_chat(), attachment.data, filename=attachment.filename,
                                                    caption=attachment.caption, message_thread_id=thread_id))

    async def open_topic(self, title: str) -> int | None:
        topic = await self._call(self.bot.create_forum_topic(self._staff_chat(), title))
        return topic.message_thread_id

    async def close_topic(self, thread_id: int) -> None:
        try:
            await self.bot.close_forum_topic(self.staff_chat_id, thread_id)
        except BadRequest as error:  # already closed, or deleted by hand: nothing to do
            log.info("could not close topic %s: %s", thread_id, error.message)

    async def delete_topic(self, thread_id: int) -> None:
        try:
            await self.bot.delete_forum_topic(self.staff_chat_id, thread_id)
        except BadRequest as error:  # deleted by hand already: nothing to do
            log.info("could not delete topic %s: %s", thread_id, error.message)


# The inbox and the order of updates ---------------------------------------------------

class StoringUpdateQueue(asyncio.Queue):
    """python-telegram-bot's update queue, committing each update to the inbox before it
    is queued. Polling confirms an update only after `put` returns, the webhook answers
    Telegram only then; an update stored before (Telegram sent it again) is dropped."""

    def __init__(self, inbox: Inbox, clock: Clock) -> None:
        super().__init__()
        self.inbox = inbox
        self.clock = clock

    async def put(self, item: Any) -> None:
        if isinstance(item, Update):
            key = order_key(item)
            chat_key = str(key) if key is not None else None
            if not await self.inbox.store(item.update_id, item.to_json(), self.clock.now(), chat_key):
                log.info("update %s arrived again; already stored", item.update_id)
                return
        await super().put(item)

    async def put_stored(self, update: Update) -> None:
        """An update from the inbox itself (not handled before a stop)."""
        await super().put(update)


def order_key(update: object) -> object:
    """Updates with the same key are handled in order: a private chat, or a staff topic."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    message = update.effective_message
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    return (update.effective_chat.id, thread) if update.effective_chat.type != ChatType.PRIVATE \
        else update.effective_chat.id


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Different chats at the same time, each chat's updates one after another (a double
    tap on "Yes" is handled as two taps in a row, not two at once). Marks each update
    handled in the inbox when done, whatever came of it (an update that always fails must
    not come back at every start), unless the handling was cut off."""

    def __init__(self, inbox: Inbox, clock: Clock, shared: bool,
                 max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self.inbox = inbox
        self.clock = clock
        # Other workers take updates from the same inbox (webhook mode); polling means
        # one process, since Telegram serves getUpdates to one caller at a time.
        self.shared = shared
        self._locks: dict[object, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: dict[object, int] = defaultdict(int)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        self._waiting[key] += 1
        try:
            async with self._locks[key]:
                if self.shared and isinstance(update, Update) and key is not None:
                    # Another worker may hold an earlier update of this chat.
                    await self.inbox.wait_turn(update.update_id, str(key))
                try:
                    await coroutine
                except asyncio.CancelledError:
                    raise  # cut off, not handled: the inbox hands it over again at the next start
                except Exception:
                    log.exception("an update failed")  # handled as far as it goes: never retried for ever
                if isinstance(update, Update):
                    await self.inbox.handled(update.update_id, self.clock.now())
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this chat: forget its lock
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


async def answer_quietly(query: CallbackQuery, text: str | None = None, show_alert: bool = False) -> None:
    """Stops the button's spinner. An expired query (pressed while Broen was down) cannot
    be answered; the press itself still counts."""
    try:
        await query.answer(text, show_alert=show_alert)
    except TelegramError as error:
        log.info("could not answer a button press: %s", error)


# Handlers --------------------------------------------------------------------------

class TelegramFront:
    """The handlers, with what they need; wired in `build_application`."""

    def __init__(self, core: Core, staff_chat_id: int | None, person: Dispatcher, staff: Dispatcher) -> None:
        self.core = core
        self.handoff: Handoff = core.handoff
        self.staff_chat_id = staff_chat_id
        self.person = person
        self.deliver = person.deliver_chat  # a person's replies, at once
        self.wake_staff = staff.wake  # relays and cards for the staff group

    def wake(self) -> None:
        """The outbox has something new for anyone (a counsellor's words, a notice)."""
        self.wake_staff()
        self.person.wake()

    async def private_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        incoming = Incoming(CHANNEL, str(update.effective_chat.id), kind=_kind(message),
                            text=message.text or message.caption, first_name=user.first_name if user else None,
                            client_language=user.language_code if user else None, update_id=update.update_id)
        await self._answer(incoming)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None and chat.id == self.staff_chat_id:
            await self.staff_button(update, context)
        elif chat is not None and chat.type == ChatType.PRIVATE:
            await self.private_button(update, context)
        else:
            await answer_quietly(update.callback_query)

    async def private_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        await answer_quietly(query)
        incoming = Incoming(CHANNEL, str(update.effective_chat.id), kind="button", text=query.data or "",
                            first_name=user.first_name, client_language=user.language_code,
                            update_id=update.update_id)
        await self._answer(incoming)

    async def _answer(self, incoming: Incoming) -> None:
        staff_rows = self.handoff.tickets.staff_rows_queued
        await self.core.handle(incoming)  # the replies are in the outbox now
        await self.deliver(incoming.channel, incoming.user_id)
        if self.handoff.tickets.staff_rows_queued != staff_rows:  # a relay or a card, for a counsellor
            self.wake_staff()

    async def staff_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        actor = self._counsellor(update)
        if actor is None:
            return  # someone not listed (logged)
        thread = message.message_thread_id if message.is_topic_message else None
        if command(message.text or "")[0] == "/tal":  # the last 30 days, where it was asked
            await self.handoff.staff.numbers(thread)
            self.wake()
            return
        if thread is None:
            return  # chatter in the General topic
        ticket = await self.handoff.tickets.by_thread(message.message_thread_id)
        if ticket is None:
            return  # a topic the counsellors made themselves
        text = message.text or message.caption
        name, note = command(text or "")
        if name == "/luk":
            replies = await self.handoff.staff.close_command(actor, ticket.id, note)
        elif text:
            replies = await self.handoff.staff.relay_out(actor, ticket.id, text)
        else:
            replies = [staff_reply(staff_texts.fixed(staff_texts.TEXT_ONLY, self.handoff.staff_language))]
        await self._staff_replies(message.message_thread_id, replies)

    async def staff_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        actor = self._counsellor(update)
        if actor is None:
            await answer_quietly(query, staff_texts.fixed(staff_texts.NOT_LISTED, self.handoff.staff_language),
                                 show_alert=True)
            return
        await answer_quietly(query)
        replies = await self.handoff.staff.press(actor, query.data or "")
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

    async def _staff_replies(self, thread: int | None, replies: Sequence[Reply]) -> None:
        """Answers to the counsellor who acted, where they acted, through the outbox."""
        await self.handoff.tickets.queue(
            [Out(Target.STAFF, reply.text, buttons=as_pairs(reply.buttons), thread_id=thread) for reply in replies],
            self.handoff.clock.now())
        self.wake()

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("could not handle an update: %s", context.error, exc_info=context.error)


def build_application(settings: Settings, core: Core) -> tuple[Application, list[Dispatcher]]:
    inbox = core.store.inbox  # shared with the core, which marks an answered update handled itself
    builder = (
        ApplicationBuilder().token(settings.telegram_bot_token).rate_limiter(AIORateLimiter(max_retries=2))
        .request(AiohttpRequest()).get_updates_request(AiohttpRequest(pool_size=1))
        .update_queue(StoringUpdateQueue(inbox, core.clock))
        .concurrent_updates(OrderedUpdateProcessor(inbox, core.clock, shared=bool(settings.webhook_url)))
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    application = builder.build()

    outlet = TelegramOutlet(application, settings.staff_chat_id)
    dispatchers = [Dispatcher(core.handoff, outlet, Target.PERSON, channel=CHANNEL),
                   Dispatcher(core.handoff, outlet, Target.STAFF)]

    front = TelegramFront(core, settings.staff_chat_id, *dispatchers)
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
        await bot.set_my_commands([BotCommand("luk", staff_texts.fixed(staff_texts.CLOSE_COMMAND, settings.staff_language)),
                                   BotCommand("tal", staff_texts.fixed(staff_texts.NUMBERS_COMMAND, settings.staff_language))],
                                  scope=BotCommandScopeChat(settings.staff_chat_id))


async def replay_unhandled(application: Application) -> int:
    """Queues the updates stored before the last stop but never handled, oldest first,
    before any new one is fetched."""
    queue = application.update_queue
    assert isinstance(queue, StoringUpdateQueue)
    stored = await queue.inbox.unhandled()
    for _, payload in stored:
        update = Update.de_json(json.loads(payload), application.bot)
        if update is not None:
            await queue.put_stored(update)
    if stored:
        log.info("handling %s updates that arrived before the last stop", len(stored))
    return len(stored)


async def check_staff_group(application: Application, settings: Settings) -> list[str]:
    """What stops the staff group from working, in words a person setting it up can act
    on; empty when all is well. Checked at start, logged and printed."""
    if settings.staff_chat_id is None:
        return []
    bot = application.bot
    try:
        chat = await bot.get_chat(settings.staff_chat_id)
        me = await bot.get_chat_member(settings.staff_chat_id, bot.id)
    except TelegramError as error:
        return [f"STAFF_CHAT_ID {settings.staff_chat_id}: Broen cannot see the group ({error.message}). "
                "Add the bot to the group as an administrator."]
    except Exception as error:  # an answer this library version cannot read: no reason not to start
        log.warning("could not check the staff group: %s", type(error).__name__)
        return []
    problems = []
    if not getattr(chat, "is_forum", False):
        problems.append("The staff group has no topics: turn on Topics in the group settings, so each chat gets "
                        "its own topic.")
    if me.status != "administrator":
        problems.append("Broen is not an administrator of the staff group: make it one, with the right to manage topics.")
    elif not getattr(me, "can_manage_topics", False):
        problems.append("Broen may not manage topics in the staff group: give it the right 'Manage topics'.")
    return problems


async def start_updates(application: Application, settings: Settings, poll_interval: float = 0.0) -> None:
    """Updates by webhook when WEBHOOK_URL is set (several workers behind a proxy), else
    by polling."""
    if settings.webhook_url:
        await application.updater.start_webhook(
            listen=settings.webhook_listen, port=settings.webhook_port, url_path="telegram",
            webhook_url=settings.webhook_url, secret_token=settings.webhook_secret,
            # One delivery at a time: each update is in the inbox before Telegram sends
            # the next, so a worker handling a chat's second message sees the first
            # (Inbox.wait_turn) even when another worker has it. Storing takes a few
            # ms, far below Telegram's 30 messages/s.
            max_connections=1,
        )
    else:
        await application.updater.start_polling(poll_interval=poll_interval)


async def run_telegram(settings: Settings, core: Core) -> None:
    """Runs until SIGINT or SIGTERM: polling by default, a webhook when WEBHOOK_URL is set."""
    application, dispatchers = build_application(settings, core)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    leadership = Leadership(engine_of(core.store.sessions))

    async def remind() -> None:
        if not await leadership.leading():
            return
        await core.tick()
        for dispatcher in dispatchers:
            dispatcher.wake()

    async def purge() -> None:
        if not await leadership.leading():
            return
        deleted = await core.handoff.tickets.purge(core.clock.now() - timedelta(days=settings.retention_days))
        deleted["inbox"] = await core.store.inbox.purge(core.clock.now())
        log.info("purged data older than %s days: %s", settings.retention_days, deleted)

    async with application:
        try:
            await set_commands(application, settings, core.clock.now())
        except TelegramError as error:  # a menu is nice to have, never a reason not to start
            log.warning("could not set the command menus: %s", error)
        for problem in await check_staff_group(application, settings):
            log.error("staff group: %s", problem)
            print(f"Staff group problem: {problem}", flush=True)
        await application.start()
        await replay_unhandled(application)
        await start_updates(application, settings)
        print("Broen is running on Telegram. Ctrl-C stops it.", flush=True)
        tasks = [asyncio.create_task(dispatcher.run()) for dispatcher in dispatchers]
        tasks.append(asyncio.create_task(every(TICK_SECONDS, remind, stop)))
        tasks.append(asyncio.create_task(every(PURGE_SECONDS, purge, stop)))
        await stop.wait()
        for dispatcher in dispatchers:
            dispatcher.stop()
        await asyncio.gather(*tasks)
        await leadership.close()
        await application.updater.stop()
        await application.stop()
