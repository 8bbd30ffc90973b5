"""One way out and one way in: nothing lost, nothing doubled, nobody waits behind someone
else. Faults are injected where the outside world makes them (the Bot API answering
5xx, timing out, refusing; a crash between storing and handling); the core is the
real one with a scripted understander, so no NLU server is needed."""

from __future__ import annotations

import asyncio
import collections
import json
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.config import Settings
from bot.outbox import MESSAGE_LIMIT, Dispatcher, Undeliverable, split_text
from bot.store.inbox import Inbox
from bot.store.models import Outgoing, Ticket
from bot.telegram import check_staff_group, replay_unhandled
from conftest import RecordingOutlet, ScriptedUnderstander, gettext, make_core, press, say, staff_gettext
from fake_telegram import FakeTelegram, bot_on_fake

# Each test runs on SQLite and on a real PostgreSQL (tests/postgres.py).
pytestmark = pytest.mark.both_databases

TOKEN = "424242:DELIVERY-not-a-real-token"
STAFF = -1004242424242
NO_CHAT = ("I am sorry: here I cannot pass you on to a counsellor by chat. You can meet the counsellors in person at "
           "the open guidance:")


def person_dispatcher(core, outlet) -> Dispatcher:
    return Dispatcher(core.handoff, outlet, "person", channel="test")


async def unsent(core) -> list[Outgoing]:
    async with core.store.sessions() as session:
        return list(await session.scalars(select(Outgoing).order_by(Outgoing.id)))


# The outbox: order, retries, parts ---------------------------------------------------

async def test_a_reply_that_fails_to_send_is_sent_later_once_and_holds_back_that_chat_only(logic_core, clock):
    outlet = RecordingOutlet()
    replies_a = await logic_core.handle(say("/help", user="a", kind="command"))
    replies_a += await logic_core.handle(say("/start", user="a", kind="command"))
    replies_b = await logic_core.handle(say("/help", user="b", kind="command"))
    outlet.failures = [httpx.ConnectError("502 from a proxy")]
    dispatcher = person_dispatcher(logic_core, outlet)
    await dispatcher.run_once()
    # Chat a's first reply failed: its second waits behind it; chat b is not held up.
    assert [text for chat, text, _ in outlet.person] == [reply.text for reply in replies_b]
    assert {row.chat_id for row in await unsent(logic_core)} == {"a"}

    clock.advance(minutes=1)  # past the back-off
    await dispatcher.run_once()
    # All of a's replies, in the order written: the help before the welcome.
    assert [text for chat, text, _ in outlet.person if chat == "a"] == [reply.text for reply in replies_a]
    assert await unsent(logic_core) == []
    await dispatcher.run_once()
    assert len(outlet.person) == len(replies_a) + len(replies_b)  # nothing sent twice


def test_long_text_is_split_at_line_breaks_within_telegrams_limit_after_escaping():
    lines = [f"line {i}: <b> & more words here" for i in range(300)]
    parts = split_text("\n".join(lines))
    assert len(parts) > 1
    assert all(len(part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")) <= MESSAGE_LIMIT
               for part in parts)
    assert "\n".join(parts) == "\n".join(lines)  # every line, whole, in order
    assert split_text("x" * 9000) == ["x" * MESSAGE_LIMIT, "x" * MESSAGE_LIMIT, "x" * 808]


async def test_a_long_counsellor_message_arrives_whole_and_a_failed_part_is_not_repeated(logic_core, clock):
    handoff = logic_core.handoff
    await logic_core.handle(press("person", user="long"))
    await logic_core.handle(press("agegroup:18_plus", user="long"))
    await logic_core.handle(press("consent:yes", user="long"))
    ticket = (await handoff.tickets.active())[0]
    heidi = handoff.site.find_counsellor(ticket.counsellor)
    await handoff.staff.take(heidi, ticket.id)
    outlet = RecordingOutlet()
    await person_dispatcher(logic_core, outlet).run_once()
    before = len(outlet.person)

    words = " ".join(f"ord{i}" for i in range(1500))  # about 10,000 characters
    await handoff.staff.relay_out(heidi, ticket.id, words)
    outlet.failures = []
    dispatcher = person_dispatcher(logic_core, outlet)

    original = outlet.to_person
    calls = 0

    async def fail_the_second_part(channel, chat_id, text, buttons):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise httpx.ReadTimeout("timed out")
        await original(channel, chat_id, text, buttons)

    outlet.to_person = fail_the_second_part
    await dispatcher.run_once()
    clock.advance(minutes=1)
    await dispatcher.run_once()
    parts = [text for _, text, _ in outlet.person[before:]]
    assert len(parts) == 3  # each part once, though the second had to be tried again
    assert " ".join(parts).endswith("ord1499") and "ord0" in parts[0]
    assert " ".join(" ".join(parts).split()) .count("ord749 ") == 1


async def test_an_undeliverable_reply_is_reported_with_its_real_reason(logic_core):
    await logic_core.handle(press("person", user="gone"))
    await logic_core.handle(press("agegroup:18_plus", user="gone"))
    await logic_core.handle(press("consent:no", user="gone"))
    ticket = (await logic_core.handoff.tickets.active())[0]
    heidi = logic_core.handoff.site.find_counsellor(ticket.counsellor)
    outlet = RecordingOutlet()
    await person_dispatcher(logic_core, outlet).run_once()
    await logic_core.handoff.staff.relay_out(heidi, ticket.id, "Hej, er du der?")
    outlet.failures = [Undeliverable("bad request: chat not found")]
    await person_dispatcher(logic_core, outlet).run_once()
    staff = RecordingOutlet()
    await Dispatcher(logic_core.handoff, staff, "staff").run_once()
    notes = [message["text"] for message in staff.staff]
    blocked = staff_gettext("The person has blocked Broen, so messages cannot reach them. The chat stays open.")
    assert blocked not in notes
    assert any("chat not found" in note for note in notes)


async def test_without_topics_the_card_goes_to_the_general_topic_and_a_deleted_topic_is_made_again(logic_core):
    await logic_core.handle(press("person", user="forum"))
    await logic_core.handle(press("agegroup:18_plus", user="forum"))
    await logic_core.handle(press("consent:no", user="forum"))
    outlet = RecordingOutlet()

    async def no_topics(title: str) -> int:
        raise Undeliverable("bad request: the chat is not a forum")

    outlet.open_topic = no_topics
    await Dispatcher(logic_core.handoff, outlet, "staff").run_once()
    card = outlet.staff[0]
    assert card["thread"] is None and card["buttons"]  # in General, with its Take button

    # Topics on again; the first topic is then deleted by hand: the next message opens a new one.
    ticket = (await logic_core.handoff.tickets.active())[0]
    outlet = RecordingOutlet()
    dispatcher = Dispatcher(logic_core.handoff, outlet, "staff")
    await logic_core.handoff.person.relay_in(ticket, "text", "er der nogen?", logic_core.clock.now())
    await dispatcher.run_once()
    assert outlet.staff[-1]["thread"] == 101
    outlet.failures = [Undeliverable("bad request: Message thread not found")]
    await logic_core.handoff.person.relay_in(ticket, "text", "hallo?", logic_core.clock.now())
    await dispatcher.run_once()
    assert outlet.staff[-1]["thread"] == 102 and "hallo?" in outlet.staff[-1]["text"]


async def test_a_double_tap_on_yes_opens_one_ticket_with_one_card(logic_core):
    await logic_core.handle(press("person", user="tap"))
    await logic_core.handle(press("agegroup:15_17", user="tap"))
    await asyncio.gather(logic_core.handle(press("consent:yes", user="tap")),
                         logic_core.handle(press("consent:yes", user="tap")))
    async with logic_core.store.sessions() as session:
        tickets = list(await session.scalars(select(Ticket).where(Ticket.state.in_(("open", "taken")))))
        cards = list(await session.scalars(select(Outgoing).where(Outgoing.kind == "card")))
    assert len(tickets) == 1
    assert len(cards) == 1


# Telegram: the inbox, concurrency, callbacks ---------------------------------------

class SlowUnderstander(ScriptedUnderstander):
    """An NLU that hangs on one person's message (2 s), as a stuck Rasa would."""

    async def understand(self, text: str):
        if "slow" in text:
            await asyncio.sleep(2.0)
        return await super().understand(text)


@pytest_asyncio.fixture(loop_scope="session")
async def bot(store, screen, detector, clock, database_url) -> AsyncIterator[tuple[FakeTelegram, object, object]]:
    core = make_core(store, SlowUnderstander({"hvornår har I åbent": "opening_hours"}), screen, detector, clock)
    async with bot_on_fake(core, database_url, TOKEN, STAFF, polling=False) as (fake, application):
        yield fake, application, core


async def start_polling(application) -> None:
    await application.updater.start_polling(poll_interval=0.0, timeout=1)


async def test_a_hung_nlu_for_one_person_delays_nobody_else(bot):
    fake, application, _ = bot
    await start_polling(application)
    fake.say(601, "this is slow to understand")
    fake.say(602, "/help")
    await fake.wait_for(lambda: fake.sent(602))
    assert fake.sent(601) == []  # the other person's answer came while this one was still being understood
    await fake.wait_for(lambda: fake.sent(601), timeout=10)


async def test_a_502_or_a_timeout_from_telegram_delays_a_reply_but_never_loses_it(bot, clock):
    fake, application, _ = bot
    await start_polling(application)
    fake.fail_next["sendMessage"] = [(502, {"error_code": 502, "description": "Bad Gateway"})]
    fake.say(603, "/help")
    await fake.wait_for(lambda: fake.calls and fake.calls[-1][0] == "sendMessage")
    clock.advance(minutes=1)
    await fake.wait_for(lambda: fake.sent(603))
    assert len(fake.sent(603)) == 1  # once: the 502 one never arrived


async def test_a_press_whose_callback_expired_still_counts(bot):
    fake, application, core = bot
    await start_polling(application)
    fake.fail_next["answerCallbackQuery"] = [(400, {"error_code": 400, "description":
                                                    "Bad Request: query is too old and response timeout expired"})]
    fake.press(604, "topic:opening_hours")
    await fake.wait_for(lambda: fake.sent(604))
    assert [message.kind for message in await core.store.messages("telegram", "604")][0] == "button"


async def test_updates_stored_before_a_crash_are_handled_at_start_and_repeats_are_dropped(bot):
    fake, application, core = bot
    inbox = Inbox(core.store.sessions)
    # Two updates committed to the inbox, then the process died before handling them.
    for update_id, chat, text in ((9001, 605, "/help"), (9002, 606, "/start")):
        update = {"update_id": update_id, "message": {
            "message_id": update_id, "date": 1_700_000_000, "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
            "chat": {"id": chat, "type": "private", "first_name": "Amal"},
            "from": {"id": chat, "is_bot": False, "first_name": "Amal", "language_code": "da"}}}
        assert await inbox.store(update_id, json.dumps(update), core.clock.now())
    assert await replay_unhandled(application) == 2
    await fake.wait_for(lambda: fake.sent(605) and fake.sent(606))
    assert await inbox.unhandled() == []
    # Telegram sends one of them again (it was never confirmed): dropped, not answered twice.
    fake.updates.append({"update_id": 9001, "message": {
        "message_id": 9001, "date": 1_700_000_000, "text": "/help", "chat": {"id": 605, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        "from": {"id": 605, "is_bot": False, "first_name": "Amal"}}})
    await start_polling(application)
    fake.say(607, "/help")  # a new one after it, to know the repeat was read
    await fake.wait_for(lambda: fake.sent(607))
    assert len(fake.sent(605)) == 1
    assert len([m for m in await core.store.messages("telegram", "605") if m.direction == "in"]) == 1


async def test_a_staff_group_without_topics_is_reported_at_start(bot):
    fake, application, _ = bot
    settings = replace(Settings.from_env(), staff_chat_id=STAFF)
    assert await check_staff_group(application, settings) == []
    fake.forum = False
    fake.bot_rights = {"status": "administrator", "can_manage_topics": False}
    problems = await check_staff_group(application, settings)
    assert any("no topics" in problem for problem in problems)
    assert any("Manage topics" in problem for problem in problems)


# Without a staff group ---------------------------------------------------------------

async def test_without_a_staff_group_broen_promises_no_chat_and_gives_the_desk_and_its_hours(store, screen, detector,
                                                                                            clock):
    core = make_core(store, ScriptedUnderstander(), screen, detector, clock, chat_handoff=False)
    replies = await core.handle(press("person", user="alone"))
    assert replies[0].text == gettext("da", NO_CHAT)
    assert any(gettext("da", "Usually open: {hours}.").split("{")[0] in reply.text for reply in replies[1:])
    assert await core.handoff.tickets.active() == []
    # A crisis still gets the help lines first, and no promise that someone was alerted.
    crisis = await core.handle(say("jeg vil ikke leve mere, jeg har taget alle mine piller", user="alone"))
    assert "112" in crisis[0].text
    assert await core.handoff.tickets.active() == []


# Button data -------------------------------------------------------------------------

def test_button_data_round_trips_and_forged_data_is_refused():
    from bot.actions import Act, Action, StaffAct, StaffAction

    for action in (Action(Act.TOPIC, "admission"), Action(Act.PERSON), Action(Act.LANG, "ar")):
        assert Action.decode(action.encode()) == action
    assert StaffAction.decode(StaffAction(StaffAct.PASS, 12, "amina").encode()) == StaffAction(StaffAct.PASS, 12, "amina")
    for forged in ("", "hack:1", "x" * 65, "topic" + ":a" * 40):
        assert Action.decode(forged) is None
    for forged in ("take:abc", "take:", "steal:1", "closed:1:answered" + "x" * 60):
        assert StaffAction.decode(forged) is None


# Two workers on one database ---------------------------------------------------------

async def test_two_workers_sending_the_same_outbox_send_each_message_once_in_order(logic_core, database_url):
    from bot.handoff import Handoff
    from bot.store import connect
    from bot.store.tickets import Tickets

    sent_by_chat: dict[str, list[str]] = {}
    for index in range(24):
        chat = f"w{index % 6}"
        for reply in await logic_core.handle(say("/help" if index % 2 else "/start", user=chat, kind="command")):
            sent_by_chat.setdefault(chat, []).append(reply.text)
    assert len(await unsent(logic_core)) == sum(len(texts) for texts in sent_by_chat.values())
    # A second worker: its own engine and connections, as another process would have.
    engine, sessions = connect(database_url)
    other = Handoff(Tickets(sessions), logic_core.site, logic_core.clock)
    delivered: list[tuple[str, str, str]] = []  # (worker, chat, text), in the order sent

    class Worker(RecordingOutlet):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

        async def to_person(self, channel, chat_id, text, buttons) -> None:
            await asyncio.sleep(0.01)  # long enough for the other worker to look at the same rows
            delivered.append((self.name, chat_id, text))

    a = Dispatcher(logic_core.handoff, Worker("a"), "person", channel="test")
    b = Dispatcher(other, Worker("b"), "person", channel="test")
    try:
        for _ in range(3):
            await asyncio.gather(a.run_once(), b.run_once())
    finally:
        await engine.dispose()
    got = collections.Counter(text for _, _, text in delivered)
    want = collections.Counter(text for texts in sent_by_chat.values() for text in texts)
    assert got == want  # every message once
    for chat, texts in sent_by_chat.items():  # each chat in the order written, whichever worker sent it
        assert [text for _, c, text in delivered if c == chat] == texts
    assert await unsent(logic_core) == []


async def test_one_worker_leads_the_minute_tick_and_another_takes_over_when_it_goes(database_url, database_backend):
    from bot.leader import Leadership
    from bot.store import connect, upgrade

    await upgrade(database_url)
    first_engine, _ = connect(database_url)
    second_engine, _ = connect(database_url)
    first, second = Leadership(first_engine), Leadership(second_engine)
    try:
        assert await first.leading()
        if database_backend == "postgres":
            assert not await second.leading()  # one leader at a time
            await first.close()  # the leader's process ends
            assert await second.leading()
        else:
            assert await second.leading()  # SQLite serves one process, which always leads
    finally:
        await first.close()
        await second.close()
        await first_engine.dispose()
        await second_engine.dispose()


async def test_the_tick_and_the_purge_asking_for_the_lead_at_once_leave_the_database_usable(
        database_url, database_backend):
    from sqlalchemy import text

    from bot.leader import Leadership
    from bot.store import connect, upgrade

    await upgrade(database_url)
    engines = [connect(database_url)[0] for _ in range(2)]
    workers = [Leadership(engine) for engine in engines]
    try:
        # Each worker's minute tick and daily purge start together and both ask.
        answers = await asyncio.gather(*(worker.leading() for worker in workers for _ in range(3)))
        by_worker = [set(answers[:3]), set(answers[3:])]
        assert all(len(said) == 1 for said in by_worker)  # each worker gives itself one answer
        leaders = sum(True in said for said in by_worker)
        # Whichever connects first leads; on PostgreSQL one at a time, SQLite always leads.
        assert leaders == (1 if database_backend == "postgres" else 2)
        for engine in engines:  # no pooled connection was left mid-transaction
            for _ in range(6):
                async with engine.begin() as connection:
                    assert await connection.scalar(text("SELECT 1")) == 1
    finally:
        for worker in workers:
            await worker.close()
        for engine in engines:
            await engine.dispose()


async def test_an_update_waits_for_its_chats_earlier_update_held_by_another_worker(store, clock):
    inbox = Inbox(store.sessions)
    for update_id, chat in ((501, "9"), (502, "7"), (503, "9")):
        assert await inbox.store(update_id, "{}", clock.now(), chat)
    # 503 is this worker's; 501 (same chat) is another worker's, still being handled.
    waiting = asyncio.create_task(inbox.wait_turn(503, "9"))
    assert await inbox.wait_turn(502, "7", timeout=1) is True  # another chat: no wait
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await inbox.handled(501, clock.now())
    assert await asyncio.wait_for(waiting, 5) is True
    # A worker that died holding one: the wait ends, and the update goes ahead.
    assert await inbox.store(504, "{}", clock.now(), "5") and await inbox.store(505, "{}", clock.now(), "5")
    assert await inbox.wait_turn(505, "5", timeout=0.2) is False


async def test_a_database_locked_by_another_process_delays_a_message_but_loses_nothing(logic_core, database_url,
                                                                                       database_backend):
    from sqlalchemy import text

    from bot.store import connect

    locked, release = asyncio.Event(), asyncio.Event()
    engine, _ = connect(database_url)

    async def hold_the_lock() -> None:  # another process writing for a while (a backup, a migration)
        async with engine.connect() as connection:
            if database_backend == "postgres":
                await connection.execute(text("BEGIN"))
                await connection.execute(text("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"))
            else:
                await connection.exec_driver_sql("BEGIN EXCLUSIVE")
            locked.set()
            await release.wait()
            await connection.execute(text("COMMIT"))

    holder = asyncio.create_task(hold_the_lock())
    await locked.wait()
    handled = asyncio.create_task(logic_core.handle(say("/help", user="locked", kind="command")))
    await asyncio.sleep(1.0)
    assert not handled.done()  # waiting for the lock, not failing
    release.set()
    replies = await asyncio.wait_for(handled, 30)
    await holder
    await engine.dispose()
    assert [m.direction for m in await logic_core.store.messages("test", "locked")] == ["in", "out"]
    assert [row.text for row in await unsent(logic_core)] == [reply.text for reply in replies]
