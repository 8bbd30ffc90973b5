"""python-telegram-bot against a fake Bot API over real HTTP on loopback: private chats,
the staff group with topics, and what Telegram does wrong (429, blocked, forged data)."""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest_asyncio

from bot.clock import COPENHAGEN
from conftest import gettext, say, staff_gettext
from fake_telegram import FakeTelegram, bot_on_fake
from flows.facts import facts

TOKEN = "123456:TEST-not-a-real-token"
STAFF = -1001234567890
HEIDI_ID, STRANGER_ID = 1000001, 999
CLOSED = "{name} has closed the chat. Broen answers you again from now on. You can ask for a person at any time."
CLOSED_TOPIC = ("This chat is closed, so your message was not sent. It is saved with the ticket. "
                "If the person writes again and asks for a person, a new chat opens.")


def buttons(params: dict) -> list[str]:
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    return [button["callback_data"] for row in markup["inline_keyboard"] for button in row]


@pytest_asyncio.fixture(loop_scope="session")
async def telegram(core, database_url) -> AsyncIterator[FakeTelegram]:
    async with bot_on_fake(core, database_url, TOKEN, STAFF, menus=True) as (fake, _):
        yield fake


async def test_start_welcomes_in_the_phones_language_with_topic_buttons(telegram):
    telegram.say(111, "/start", first_name="Amal", language="ar")
    reply = (await telegram.wait_for(lambda: telegram.sent(111)))[0]
    assert reply["text"].startswith(gettext("ar", "Hi {name}!").format(name="\u2068Amal\u2069"))
    assert reply["parse_mode"] == "HTML"
    assert buttons(reply)[:3] == ["topic:admission", "topic:opening_hours", "topic:leisure_job"]


async def test_command_menus_are_localised_and_the_staff_group_gets_luk(telegram):
    menus = {params.get("language_code"): params for method, params in telegram.calls if method == "setMyCommands"}
    danish = [command["command"] for command in json.loads(menus["da"]["commands"])]
    assert danish == ["start", "sprog", "mine_data", "slet", "stop_paamindelser", "help"]
    arabic = json.loads(menus["ar"]["commands"])
    assert [c["command"] for c in arabic][:3] == ["start", "language", "mydata"]
    assert arabic[2]["description"] == gettext("ar", "See what Broen stores about you")
    staff = [params for method, params in telegram.calls if method == "setMyCommands" and "scope" in params]
    assert '"luk"' in staff[0]["commands"] and str(STAFF) in staff[0]["scope"]


async def test_a_crisis_in_a_photo_caption_gets_the_help_lines_first(telegram, store):
    telegram.say(113, None, caption="jeg vil ikke leve mere",
                 photo=[{"file_id": "p2", "file_unique_id": "u2", "width": 90, "height": 90}])
    reply = (await telegram.wait_for(lambda: telegram.sent(113)))[0]
    assert reply["text"].splitlines()[0] == gettext("da", "If you are in danger right now, call {number}.").format(number="112")
    stored = [message for message in await store.messages("telegram", "113") if message.direction == "in"][0]
    assert (stored.kind, stored.topic) == ("photo", "crisis")


async def test_after_an_alarm_the_bot_still_answers_questions_with_a_status(telegram):
    telegram.say(114, "jeg vil ikke leve mere")
    await telegram.wait_for(lambda: telegram.sent(114))
    telegram.say(114, "hvornår har I åben vejledning i beboerhuset?")
    texts = await telegram.wait_for(lambda: telegram.texts(114)[2:] if len(telegram.texts(114)) >= 4 else None)
    assert any(text.startswith(gettext("da", "Open guidance: {desk}, {address}.").split("{")[0]) for text in texts)
    assert texts[-1].startswith(gettext("da", "Your message is passed on to {name}.").split("{")[0])


async def test_a_photo_gets_a_kind_answer_and_is_stored(telegram, store):
    telegram.say(112, None, photo=[{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}])
    reply = (await telegram.wait_for(lambda: telegram.sent(112)))[0]
    assert reply["text"] == gettext("da", "I can only read text for now. Please write your question, or choose a topic:")
    assert [message.kind for message in await store.messages("telegram", "112")][0] == "photo"


async def test_a_429_from_telegram_delays_the_answer_but_does_not_lose_it(telegram):
    telegram.fail_next["sendMessage"] = [(429, {"error_code": 429, "description": "Too Many Requests: retry after 1",
                                                "parameters": {"retry_after": 1}})]
    telegram.say(113, "/help")
    reply = (await telegram.wait_for(lambda: telegram.sent(113)))[0]
    assert "/sprog" in reply["text"]  # the help text, in Danish


async def test_forged_button_data_gets_the_menu(telegram):
    telegram.press(114, "closed:1:answered")
    reply = (await telegram.wait_for(lambda: telegram.sent(114)))[0]
    assert reply["text"] == gettext("da", "That button no longer works. Here is the menu:")


async def test_the_whole_handoff_through_the_staff_group(telegram, store):
    user = 115
    telegram.say(user, "hvornår er sidste frist for at søge gymnasiet")
    await telegram.wait_for(lambda: telegram.sent(user))
    telegram.say(user, "kan jeg snakke med en rigtig vejleder")
    await telegram.wait_for(lambda: "agegroup:15_17" in buttons(telegram.sent(user)[-1]))
    telegram.press(user, "agegroup:15_17")
    await telegram.wait_for(lambda: "consent:yes" in buttons(telegram.sent(user)[-1]))
    telegram.press(user, "consent:yes")
    await telegram.wait_for(lambda: "Heidi Jensen" in telegram.sent(user)[-1]["text"])

    # A topic with the card and its buttons; the consented transcript follows.
    thread = await telegram.wait_for(lambda: next(iter(telegram.topics), None))
    assert telegram.topics[thread]["name"].endswith(f"Amal · {staff_gettext('admission')}")
    card = (await telegram.wait_for(lambda: telegram.sent(STAFF, thread)))[0]
    ticket = buttons(card)[0].split(":")[1]
    assert buttons(card) == [f"take:{ticket}", f"passto:{ticket}", f"close:{ticket}"]
    await telegram.wait_for(lambda: any("gymnasiet" in text for text in telegram.texts(STAFF, thread)))

    # Strangers in the staff group are ignored: no take, no relay.
    telegram.press(STRANGER_ID, f"take:{ticket}", chat_id=STAFF, thread_id=thread)
    telegram.staff_says(STRANGER_ID, thread, "hej, jeg er ikke vejleder")
    await telegram.wait_for(lambda: any(m == "answerCallbackQuery" and p.get("show_alert") for m, p in telegram.calls))
    sent_to_user = len(telegram.sent(user))

    telegram.press(HEIDI_ID, f"take:{ticket}", chat_id=STAFF, thread_id=thread)
    taken = gettext("da", "{name} has taken your chat and will write to you here.").format(name="Heidi Jensen")
    await telegram.wait_for(lambda: taken in telegram.texts(user))
    assert not any("ikke vejleder" in text for text in telegram.texts(user))
    assert len(telegram.sent(user)) == sent_to_user + 1

    # Relayed both ways, escaped; Broen is silent while Heidi has the chat.
    telegram.staff_says(HEIDI_ID, thread, "<b>Hej</b> & velkommen")
    await telegram.wait_for(lambda: "Heidi Jensen:\n&lt;b&gt;Hej&lt;/b&gt; &amp; velkommen" in telegram.texts(user))
    telegram.say(user, "tak! <i>vi ses</i>")
    await telegram.wait_for(lambda: "Amal: tak! &lt;i&gt;vi ses&lt;/i&gt;" in telegram.texts(STAFF, thread))
    # No bot answer to it: the next thing the person gets is Heidi's next message.
    telegram.staff_says(HEIDI_ID, thread, "Godt, vi ses")
    await telegram.wait_for(lambda: "Heidi Jensen:\nGodt, vi ses" in telegram.texts(user))
    assert len(telegram.sent(user)) == sent_to_user + 3  # taken, Heidi's two messages

    # /luk: the outcomes; then closed, the topic too, and Broen answers again.
    telegram.staff_says(HEIDI_ID, thread, "/luk")
    outcomes = await telegram.wait_for(lambda: [p for p in telegram.sent(STAFF, thread) if buttons(p)[:1] == [f"closed:{ticket}:answered"]])
    assert outcomes
    telegram.press(HEIDI_ID, f"closed:{ticket}:answered", chat_id=STAFF, thread_id=thread)
    await telegram.wait_for(lambda: telegram.topics[thread]["closed"])
    await telegram.wait_for(lambda: telegram.texts(user)[-1] == gettext("da", CLOSED).format(name="Heidi"))
    telegram.staff_says(HEIDI_ID, thread, "en sidste ting")
    await telegram.wait_for(lambda: staff_gettext(CLOSED_TOPIC) in telegram.texts(STAFF, thread))
    assert not any("en sidste ting" in text for text in telegram.texts(user))


async def test_a_person_who_blocked_the_bot_is_reported_to_the_counsellor(telegram, core):
    user = 116
    telegram.press(user, "person")
    await telegram.wait_for(lambda: telegram.sent(user))
    telegram.press(user, "agegroup:18_plus")
    telegram.press(user, "consent:no")
    thread = await telegram.wait_for(lambda: next(iter(telegram.topics), None))
    ticket = buttons((await telegram.wait_for(lambda: telegram.sent(STAFF, thread)))[0])[0].split(":")[1]
    telegram.press(HEIDI_ID, f"take:{ticket}", chat_id=STAFF, thread_id=thread)
    await telegram.wait_for(lambda: len(telegram.sent(user)) >= 4)
    telegram.blocked.add(user)
    telegram.staff_says(HEIDI_ID, thread, "Er du der stadig?")
    blocked = staff_gettext("The person has blocked Broen, so messages cannot reach them. The chat stays open.")
    await telegram.wait_for(lambda: blocked in telegram.texts(STAFF, thread))
    stored = [m for m in await core.store.messages("telegram", str(user)) if m.kind == "counsellor"]
    assert [m.text for m in stored] == ["Er du der stadig?"]  # kept, though it could not be delivered


async def test_webhook_mode_answers_in_order_and_refuses_updates_without_the_secret(core, database_url):
    async with bot_on_fake(core, database_url, TOKEN, STAFF, webhook_secret="s3cret-hook") as (fake, _):
        hook = next(params for method, params in fake.calls if method == "setWebhook")
        # One delivery at a time, so each update is stored before the next (order across workers).
        assert (hook["max_connections"], hook["secret_token"]) == ("1", "s3cret-hook")
        fake.say(131, "/start")
        fake.say(131, "/help")
        sent = await fake.wait_for(lambda: fake.sent(131) if len(fake.sent(131)) >= 2 else None)
        assert sent[0]["text"].startswith(gettext("da", "Hi {name}!").format(name="Amal"))
        assert sent[1]["text"] == (await core.handle(say("/help", user="webhook-check", kind="command")))[0].text

        forged = {"update_id": 999999, "message": {"message_id": 1, "date": 0, "text": "/start",
                  "chat": {"id": 132, "type": "private", "first_name": "X"}, "from": {"id": 132, "is_bot": False,
                  "first_name": "X"}}}
        async with httpx.AsyncClient() as client:
            refused = await client.post(fake.webhook[0], json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert refused.status_code == 403
        await asyncio.sleep(0.5)
        assert fake.sent(132) == []


async def test_a_rule_answer_shows_its_source_as_a_link_named_by_the_site(telegram):
    telegram.say(131, "hvilket snit skal man have for at komme i gymnasiet?")
    reply = (await telegram.wait_for(lambda: telegram.sent(131)))[0]
    text = reply["text"]
    source = facts()["gymnasium"].source
    assert f'<a href="{html.escape(source)}">uvm.dk</a>' in text  # one tap opens the page
    assert text.count(source) == 1  # the long address itself is not printed in the answer
    assert json.loads(reply["link_preview_options"]) == {"is_disabled": True}  # no preview card under the answer


async def test_tal_in_the_staff_group_sends_a_chart_with_the_last_30_days(telegram):
    telegram.say(120, "hej")
    await telegram.wait_for(lambda: telegram.sent(120))
    telegram.staff_says(STRANGER_ID, None, "/tal")  # not a listed counsellor: nothing
    telegram.staff_says(HEIDI_ID, None, "/tal@BroenBot")
    photo = await telegram.wait_for(lambda: [params for method, params in telegram.calls if method == "sendPhoto"])
    await asyncio.sleep(0.5)  # the stranger's came first: had it counted, a second chart would be here by now
    photo = [params for method, params in telegram.calls if method == "sendPhoto"]
    assert len(photo) == 1 and int(photo[0]["chat_id"]) == STAFF and "message_thread_id" not in photo[0]
    filename, data = photo[0]["photo"]
    assert data.startswith(b"\x89PNG")
    # One person wrote: too few to show, so the count is hidden.
    assert staff_gettext("People who wrote: {value}").format(value="-") in photo[0]["caption"]
    staff = [params for method, params in telegram.calls if method == "setMyCommands" and "scope" in params]
    assert '"tal"' in staff[0]["commands"]


async def test_the_monthly_report_reaches_the_staff_group_as_a_pdf(telegram, core, clock):
    clock.moment = datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN)  # the leader's minute tick on the 1st
    await core.tick()
    sent = await telegram.wait_for(lambda: [params for method, params in telegram.calls if method == "sendDocument"],
                                   timeout=60)
    filename, data = sent[0]["document"]
    assert (filename, int(sent[0]["chat_id"])) == ("broen-2026-11.pdf", STAFF) and data.startswith(b"%PDF")
    assert "november 2026" in sent[0]["caption"]
