"""A fake Telegram Bot API on loopback, for python-telegram-bot to talk real HTTP to.

It plays the outside world: young people's private chats and one staff supergroup
with topics. Tests put updates in (`say`, `press`, `staff_says`) and read what the
bot sent (`sent`); they can make Telegram answer 429 or "blocked" (`fail_next`).
Updates go out by getUpdates, or, once the bot has set a webhook, by POST to it, one at
a time and again until the bot answers 200, as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import tornado.web
from tornado.httpserver import HTTPServer

from nlu.server import free_port

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Broen", "username": "BroenTestBot",
            "can_join_groups": True, "can_read_all_group_messages": True, "supports_inline_queries": False}


class FakeTelegram:
    def __init__(self, token: str, staff_chat_id: int) -> None:
        self.token = token
        self.staff_chat_id = staff_chat_id
        self.port = free_port()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict] = []
        self.topics: dict[int, dict] = {}
        self.blocked: set[int] = set()
        self.fail_next: dict[str, list[tuple[int, dict]]] = {}
        self.forum = True  # the staff group has topics
        self.confirmed = 0  # the highest getUpdates offset asked for: updates below it are confirmed
        self.webhook: tuple[str, str | None] | None = None  # (url, secret) once set
        self._pusher: asyncio.Task | None = None
        self.polled = False  # a bot has asked for updates
        self.bot_rights = {"status": "administrator", "can_manage_topics": True}
        self._ids = itertools.count(1)
        self._new = asyncio.Event()
        self._server: HTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", _Method, {"fake": self})])
        self._server = app.listen(self.port, address="127.0.0.1")

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    # What young people and counsellors do ------------------------------------------

    def _push(self, update: dict) -> None:
        update["update_id"] = next(self._ids)
        self.updates.append(update)
        self._new.set()

    def _user(self, user_id: int, first_name: str, language: str | None) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language:
            user["language_code"] = language
        return user

    def say(self, user_id: int, text: str | None = None, first_name: str = "Amal", language: str | None = "da",
            **extra: Any) -> None:
        message = {"message_id": next(self._ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private", "first_name": first_name},
                   "from": self._user(user_id, first_name, language), **extra}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def press(self, user_id: int, data: str, chat_id: int | None = None, first_name: str = "Amal",
              thread_id: int | None = None) -> None:
        chat_id = chat_id if chat_id is not None else user_id
        message = {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER, "text": "…",
                   "chat": self._chat(chat_id)}
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        self._push({"callback_query": {"id": str(next(self._ids)), "from": self._user(user_id, first_name, "da"),
                                       "chat_instance": "x", "data": data, "message": message}})

    def staff_says(self, user_id: int, thread_id: int | None, text: str, first_name: str = "Heidi") -> None:
        message = {"message_id": next(self._ids), "date": int(time.time()), "chat": self._chat(self.staff_chat_id),
                   "from": self._user(user_id, first_name, "da"), "text": text}
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def _chat(self, chat_id: int) -> dict:
        if chat_id == self.staff_chat_id:
            return {"id": chat_id, "type": "supergroup", "title": "Broen staff", "is_forum": True}
        return {"id": chat_id, "type": "private", "first_name": "Amal"}

    # What the bot did ----------------------------------------------------------------

    def sent(self, chat_id: int, thread_id: int | None = None) -> list[dict]:
        return [params for method, params in self.calls if method == "sendMessage"
                and int(params["chat_id"]) == chat_id
                and (thread_id is None or int(params.get("message_thread_id") or 0) == thread_id)]

    def texts(self, chat_id: int, thread_id: int | None = None) -> list[str]:
        return [params["text"] for params in self.sent(chat_id, thread_id)]

    async def wait_for(self, condition, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting; the bot called: {[m for m, _ in self.calls][-15:]}")

    # The Bot API ---------------------------------------------------------------------

    async def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        if method != "getUpdates":
            self.calls.append((method, params))
        failures = self.fail_next.get(method)
        if failures:
            status, body = failures.pop(0)
            return status, {"ok": False, **body}
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "setWebhook":
            self.webhook = (params["url"], params.get("secret_token"))
            self._pusher = self._pusher or asyncio.create_task(self._push_to_webhook())
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            if chat_id in self.blocked:
                return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            message = {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                       "chat": self._chat(chat_id), "text": params.get("text", "")}
            if params.get("message_thread_id"):
                message.update(message_thread_id=int(params["message_thread_id"]), is_topic_message=True)
            return 200, {"ok": True, "result": message}
        if method in ("sendDocument", "sendPhoto"):
            message = {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                       "chat": self._chat(int(params["chat_id"])), "caption": params.get("caption", "")}
            upload = {"file_id": f"f{message['message_id']}", "file_unique_id": f"u{message['message_id']}"}
            message.update(document=upload) if method == "sendDocument" \
                else message.update(photo=[{**upload, "width": 100, "height": 100}])
            return 200, {"ok": True, "result": message}
        if method == "getChat":
            chat = self._chat(int(params["chat_id"]))
            if int(params["chat_id"]) == self.staff_chat_id:
                chat["is_forum"] = self.forum
            return 200, {"ok": True, "result": {**chat, "accent_color_id": 0, "max_reaction_count": 11,
                                                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                                                        "unique_gifts": False, "premium_subscription": False,
                                                                        "gifts_from_channels": False}}}
        if method == "getChatMember":
            status = self.bot_rights["status"]
            member = {"status": status, "user": BOT_USER}
            if status == "administrator":
                member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
                              can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
                              can_change_info=True, can_invite_users=True, can_post_stories=False,
                              can_edit_stories=False, can_delete_stories=False,
                              can_manage_topics=self.bot_rights.get("can_manage_topics", False))
            return 200, {"ok": True, "result": member}
        if method == "createForumTopic":
            if not self.forum:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: the chat is not a forum"}
            thread_id = 1000 + next(self._ids)
            self.topics[thread_id] = {"name": params["name"], "closed": False}
            return 200, {"ok": True, "result": {"message_thread_id": thread_id, "name": params["name"],
                                                "icon_color": 7322096}}
        if method == "closeForumTopic":
            self.topics[int(params["message_thread_id"])]["closed"] = True
        if method == "deleteForumTopic":
            thread = int(params["message_thread_id"])
            self.topics.pop(thread, None)
            self.calls = [(m, p) for m, p in self.calls
                          if not (m == "sendMessage" and int(p.get("message_thread_id") or 0) == thread)]
        return 200, {"ok": True, "result": True}

    async def _push_to_webhook(self) -> None:
        """Telegram's webhook delivery with max_connections=1: oldest first, one at a time,
        repeated until the bot answers 200."""
        async with httpx.AsyncClient(timeout=5.0) as client:
            while True:
                if not self.updates:
                    self._new.clear()
                    await self._new.wait()
                    continue
                url, secret = self.webhook
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                try:
                    response = await client.post(url, json=self.updates[0], headers=headers)
                except httpx.HTTPError:
                    response = None
                if response is not None and response.status_code == 200:
                    self.updates.pop(0)
                else:
                    await asyncio.sleep(0.1)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        offset = int(params.get("offset") or 0)
        self.confirmed = max(self.confirmed, offset)
        self.polled = True
        self.updates = [update for update in self.updates if update["update_id"] >= offset]
        if not self.updates:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), min(float(params.get("timeout") or 0), 1.0) or 0.05)
            except TimeoutError:
                pass
        return list(self.updates)


@asynccontextmanager
async def bot_on_fake(core, database_url: str, token: str, staff_chat_id: int, polling: bool = True,
                      menus: bool = False, webhook_secret: str | None = None) -> AsyncIterator[tuple[FakeTelegram, Any]]:
    """The bot's Telegram application (as `make run` wires it) against a fake Bot API,
    with its outbox dispatchers running; (fake, application). With `webhook_secret` the
    bot takes updates by webhook on a loopback port, as in production."""
    from bot.config import Settings
    from bot.telegram import build_application, set_commands, start_updates

    fake = FakeTelegram(token, staff_chat_id)
    await fake.start()
    settings = replace(Settings.from_env(), telegram_bot_token=token, telegram_base_url=fake.base_url,
                       staff_chat_id=staff_chat_id, database_url=database_url)
    if webhook_secret:
        port = free_port()
        settings = replace(settings, webhook_url=f"http://127.0.0.1:{port}/telegram", webhook_secret=webhook_secret,
                           webhook_port=port, webhook_listen="127.0.0.1")
    application, dispatchers = build_application(settings, core)
    try:
        async with application:
            if menus:
                await set_commands(application, settings, core.clock.now())
            await application.start()
            if webhook_secret:
                await start_updates(application, settings)
            elif polling:
                await application.updater.start_polling(poll_interval=0.0, timeout=1)
            for dispatcher in dispatchers:
                dispatcher.interval = 0.1
            tasks = [asyncio.create_task(dispatcher.run()) for dispatcher in dispatchers]
            try:
                yield fake, application
            finally:
                for dispatcher in dispatchers:
                    dispatcher.stop()
                await asyncio.gather(*tasks)
                if application.updater.running:
                    await application.updater.stop()
                await application.stop()
    finally:
        await fake.stop()


class _Method(tornado.web.RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def post(self, token: str, method: str) -> None:
        if token != self.fake.token:
            self.set_status(401)
            self.finish({"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        params: dict[str, Any] = {name: self.get_body_argument(name) for name in self.request.body_arguments}
        # Uploads (sendDocument, sendPhoto) come as multipart files: kept as (filename, bytes).
        params.update({name: (files[0].filename, files[0].body) for name, files in self.request.files.items()})
        if "reply_markup" in params:
            params["reply_markup"] = json.loads(params["reply_markup"])
        status, body = await self.fake.answer(method, params)
        self.set_status(status)
        self.finish(body)

    get = post
