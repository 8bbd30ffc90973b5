"""End to end: the bot started the way `make run` starts it (`python -m bot run` with a
token in the environment), pointed by TELEGRAM_BASE_URL at a fake Bot API on loopback
that plays a young person's private chat and the staff supergroup with topics."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import tornado.web

from conftest import EXAMPLE_SITE
from fake_telegram import FakeTelegram
from nlu.server import free_port

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654:E2E-not-a-real-token"
STAFF = -1009876543210
YOUNG = 501
NAMES = [person.name for person in EXAMPLE_SITE.counsellors]


def _buttons(params: dict) -> list[str]:
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    return [button["callback_data"] for row in markup["inline_keyboard"] for button in row]


async def test_a_young_person_is_handed_to_a_counsellor_and_back(nlu_endpoint, tmp_path):
    fake = FakeTelegram(TOKEN, STAFF)
    await fake.start()
    url, token = nlu_endpoint
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url,
           "STAFF_CHAT_ID": str(STAFF), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}",
           "NLU_URL": url, "NLU_TOKEN": token or "", "SITE_FILE": str(ROOT / "sites" / "example.yml"),
           "LOG_LEVEL": "INFO"}
    log = open(tmp_path / "bot.log", "w")
    bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                                               stdout=log, stderr=log)
    try:
        await fake.wait_for(lambda: any(method == "getMe" for method, _ in fake.calls), timeout=60)

        fake.say(YOUNG, "/start", first_name="Amal", language="en")
        await fake.wait_for(lambda: fake.texts(YOUNG))
        assert fake.texts(YOUNG)[0].startswith("Hi Amal!")
        fake.say(YOUNG, "I want to talk to a real person", language="en")
        await fake.wait_for(lambda: "agegroup:18_plus" in _buttons(fake.sent(YOUNG)[-1]))
        fake.press(YOUNG, "agegroup:18_plus")
        await fake.wait_for(lambda: "consent:yes" in _buttons(fake.sent(YOUNG)[-1]))
        fake.press(YOUNG, "consent:yes")
        referral = await fake.wait_for(lambda: [t for t in fake.texts(YOUNG) if t.startswith("I am passing you on to")])
        assert any(name in referral[0] for name in NAMES)

        thread = await fake.wait_for(lambda: next(iter(fake.topics), None))
        card = (await fake.wait_for(lambda: fake.sent(STAFF, thread)))[0]
        ticket = _buttons(card)[0].removeprefix("take:")
        assert "Amal" in card["text"]

        fake.press(1000001, f"take:{ticket}", chat_id=STAFF, thread_id=thread)
        await fake.wait_for(lambda: "Heidi Jensen has taken your chat and will write to you here." in fake.texts(YOUNG))
        fake.staff_says(1000001, thread, "Hi Amal, <a href='x'>come</a> on Thursday")
        await fake.wait_for(lambda: "Heidi Jensen:\nHi Amal, &lt;a href=&#x27;x&#x27;&gt;come&lt;/a&gt; on Thursday"
                            in fake.texts(YOUNG))
        fake.say(YOUNG, "thanks, see you then", language="en")
        await fake.wait_for(lambda: "Amal: thanks, see you then" in fake.texts(STAFF, thread))

        fake.staff_says(1000001, thread, "/luk helped with the application")
        await fake.wait_for(lambda: fake.topics[thread]["closed"])
        await fake.wait_for(lambda: fake.texts(YOUNG)[-1].startswith("Heidi has closed the chat."))
    finally:
        bot.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(bot.wait(), 30)
        log.close()
        await fake.stop()
    assert code == 0, (tmp_path / "bot.log").read_text()
    assert TOKEN not in (tmp_path / "bot.log").read_text()  # not even at INFO


class HangingNlu:
    """An NLU service that accepts every request and never answers, as a stuck Rasa."""

    def __init__(self) -> None:
        self.port = free_port()
        self.server = None

    async def __aenter__(self) -> str:
        release = asyncio.Event()

        class Hang(tornado.web.RequestHandler):
            async def get(self) -> None:
                await release.wait()

            post = get

        self.release = release
        self.server = tornado.web.Application([(r"/.*", Hang)]).listen(self.port, address="127.0.0.1")
        return f"http://127.0.0.1:{self.port}"

    async def __aexit__(self, *exc) -> None:
        self.release.set()
        self.server.stop()


async def _start_bot(env: dict, log_path: Path) -> asyncio.subprocess.Process:
    log = open(log_path, "a")
    try:
        return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                                                    stdout=log, stderr=log)
    finally:
        log.close()


async def test_sigkill_in_the_middle_of_a_burst_loses_nothing_and_doubles_nothing(tmp_path):
    """Eight people write while the NLU hangs; the bot is killed (SIGKILL) after storing
    their messages and before answering any. Started again, it answers each once."""
    fake = FakeTelegram(TOKEN, STAFF)
    await fake.start()
    base = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url,
            "STAFF_CHAT_ID": str(STAFF), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'burst.sqlite3'}",
            "SITE_FILE": str(ROOT / "sites" / "example.yml"), "LOG_LEVEL": "INFO"}
    people = list(range(701, 709))
    try:
        async with HangingNlu() as hanging_url:
            bot = await _start_bot({**base, "NLU_URL": hanging_url, "NLU_TIMEOUT": "120"}, tmp_path / "bot.log")
            await fake.wait_for(lambda: any(method == "getMe" for method, _ in fake.calls), timeout=60)
            for person in people:
                fake.say(person, "hvornår har I åbent på torsdag?")
            last = fake.updates[-1]["update_id"]
            await fake.wait_for(lambda: fake.confirmed > last)  # all eight stored, then confirmed
            bot.kill()
            await bot.wait()
        assert not any(fake.sent(person) for person in people)  # nobody was answered before the kill

        # Again, with the NLU down altogether: Broen answers in its degraded way.
        bot = await _start_bot({**base, "NLU_URL": f"http://127.0.0.1:{free_port()}"}, tmp_path / "bot.log")
        try:
            await fake.wait_for(lambda: all(fake.sent(person) for person in people), timeout=60)
            first = {person: fake.texts(person)[0] for person in people}
            for person in people:  # a second message each: it is handled after anything replayed
                fake.say(person, "/help")
            await fake.wait_for(lambda: all(any("/sprog" in t for t in fake.texts(person)) for person in people))
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), 30)
    finally:
        await fake.stop()
    for person in people:
        assert fake.texts(person).count(first[person]) == 1, "\n".join(fake.texts(person))
        assert fake.confirmed > fake.updates[-1]["update_id"] if fake.updates else True


async def test_a_rejected_token_stops_the_bot_without_printing_the_token(tmp_path):
    fake = FakeTelegram("111:the-right-token", STAFF)
    await fake.start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}", "NLU_URL": "http://127.0.0.1:9",
           "LOG_LEVEL": "DEBUG"}
    try:
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(bot.communicate(), timeout=120)
    finally:
        await fake.stop()
    assert bot.returncode != 0
    printed = (out + err).decode()
    assert "rejected" in printed or "Unauthorized" in printed or "InvalidToken" in printed, printed[-2000:]
    assert TOKEN not in printed and TOKEN.split(":")[1] not in printed


async def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://broen.example.dk/telegram",
           "WEBHOOK_SECRET": "", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}"}
    bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                                               stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(bot.communicate(), timeout=60)
    assert bot.returncode == 2
    assert "WEBHOOK_SECRET" in err.decode()
