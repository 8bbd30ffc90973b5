"""The handoff at core level: consent, a named counsellor, the warm referral, and the
staff side taking, answering, passing on and closing; on a real database (SQLite and
PostgreSQL) with the real crisis stage and language detection. Which topic a message is
about is scripted here (the handoff is the bot's own logic); the real NLU's reading of
such messages is tested in test_core.py and measured by `make nlu-eval`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import COPENHAGEN
from bot.matching import expect_answer
from bot.outbox import Dispatcher, TryLater, Undeliverable
from bot.store import Store, connect
from bot.store.models import Person
from flows.formatting import day
from flows.turn import Turn
from conftest import (EXAMPLE_SITE, RecordingOutlet, button_data, gettext, make_core, press, say, scripted_core,
                      staff_gettext)

# Each test runs on SQLite and on a real PostgreSQL (tests/postgres.py).
pytestmark = pytest.mark.both_databases

CONSENT_QUESTION = ("May I show a local counsellor our conversation so far? Then you do not have to explain it all "
                    "again. Only the local counsellors can see it.")
NO_SHOWS_THE_QUESTION = "If you say no, the counsellor sees only your question, not the rest of our conversation."
EVEJLEDNING = ("Until then: eVejledning, the national education guidance on ug.dk, answers questions about education by "
               "chat, phone and mail, also in the evening and at weekends. I am not sure of its exact hours.")
UNDER_15 = ("You are under 15, so I share the conversation with the counsellors only. Sharing it with anyone else "
            "needs a parent's consent.")
CLOSED = "{name} has closed the chat. Broen answers you again from now on. You can ask for a person at any time."
HEIDI, AMINA, EMRE = (EXAMPLE_SITE.counsellor(name) for name in ("heidi", "amina", "emre"))
# What the messages in this file ask (scripted); anything else is not understood.
TOPICS = {
    "hvornår er sidste frist for at søge gymnasiet": "admission_deadline",
    "kan jeg snakke med en rigtig vejleder": "handoff_request",
    "what average do i need for htx?": "admission_gymnasium",
    "متى يفتح الإرشاد المفتوح": "opening_hours",
    "merhaba, 15 yaşındayım, yarı zamanlı iş bulmak istiyorum": "leisure_job_find",
    "jeg har 4,8 i snit, hvad gør jeg?": "admission_gymnasium",
    "hvornår er der åben vejledning": "opening_hours",
    "kan jeg snakke med emre? han hjalp mig sidst": "handoff_request",
}

core = scripted_core(TOPICS)


async def hand_over(core, user="u1", age="15_17", consent=True, reason=None, first_name="Amal"):
    """Ask for a person (a text, or the person button), answer the age and consent."""
    if reason:
        await core.handle(say(reason, user=user, first_name=first_name))
    else:
        await core.handle(press("person", user=user))
    await core.handle(press(f"agegroup:{age}", user=user))
    return await core.handle(press(f"consent:{'yes' if consent else 'no'}", user=user))


async def deliver(core, outlet=None):
    outlet = outlet or RecordingOutlet()
    await Dispatcher(core.handoff, outlet, "staff").run_once()
    await Dispatcher(core.handoff, outlet, "person", channel="test").run_once()
    return outlet


async def ticket_of(core, user="u1"):
    """The person's open ticket, looked up without writing to their conversation."""
    async with core.store.sessions() as session:
        person_id = await session.scalar(select(Person.id).where(Person.channel == "test", Person.external_id == user))
    return await core.handoff.person.active(person_id)


async def test_a_person_is_asked_age_then_consent_then_referred_warmly_to_a_named_counsellor(core, clock):
    await core.handle(say("hvornår er sidste frist for at søge gymnasiet", first_name="Amal"))
    asked = await core.handle(say("kan jeg snakke med en rigtig vejleder"))
    assert button_data(asked) == ["agegroup:under_15", "agegroup:15_17", "agegroup:18_plus", "agegroup:parent"]
    consent = await core.handle(press("agegroup:15_17"))
    assert consent[0].text.startswith(gettext("da", CONSENT_QUESTION))
    assert gettext("da", UNDER_15) not in consent[0].text  # no note about parents at 15-17
    assert gettext("da", NO_SHOWS_THE_QUESTION) in consent[0].text  # what "no" still shows
    referral = (await core.handle(press("consent:yes")))[0].text
    # Named, with role, desk, languages and when she answers (Thursday 14:30: at work now).
    assert "Heidi Jensen" in referral and "uddannelsesvejleder" in referral
    assert "Åben vejledning i Beboerhuset" in referral and "Nordparken 12" in referral
    assert gettext("da", "{name} is at work now and usually answers within an hour.").format(name="Heidi") in referral
    assert "dansk og engelsk" in referral
    assert gettext("da", EVEJLEDNING) not in referral  # Heidi is at work now
    ticket = await ticket_of(core)
    assert (ticket.counsellor, ticket.consent, ticket.topic, ticket.age_group) == ("heidi", True, "admission", "15_17")
    assert ticket.consent_at == clock.now()
    outlet = await deliver(core)
    assert outlet.topics == [f"#{ticket.id} Amal · {staff_gettext('admission')}"]
    card, transcript = outlet.staff[0], outlet.staff[1]
    assert card["thread"] == 101 and card["notify"] is True
    assert [data for _, data in card["buttons"]] == [f"take:{ticket.id}", f"passto:{ticket.id}", f"close:{ticket.id}"]
    assert staff_gettext("Name: {value}").format(value="Amal") in card["text"]
    assert "hvornår er sidste frist for at søge gymnasiet" in transcript["text"]  # consented: no retelling
    # Button presses read as the words on the buttons, not as their data.
    assert "[15-17]" in transcript["text"] and f"[{gettext('da', 'Yes, show it')}]" in transcript["text"]
    assert "agegroup:" not in transcript["text"] and "consent:" not in transcript["text"]


async def test_without_consent_the_counsellor_sees_the_question_and_nothing_else(core):
    await core.handle(say("my email is amal@example.com", first_name="Amal"))
    await core.handle(say("what average do I need for HTX?"))
    await core.handle(say("kan jeg snakke med en rigtig vejleder"))
    await core.handle(press("agegroup:15_17"))
    referral = (await core.handle(press("consent:no")))[0].text
    outlet = await deliver(core)
    sent = "\n".join(message["text"] for message in outlet.staff)
    assert "amal@example.com" not in sent and "rigtig vejleder" not in sent
    # The question that led here, so nobody has to ask it twice; it is the card's summary.
    assert staff_gettext("Summary: {value}").format(value="what average do I need for HTX?") in sent
    assert staff_gettext("Name: {value}").format(value="Amal") in sent
    # The warm referral is given either way, and says what the counsellor will not see.
    assert "Heidi Jensen" in referral
    assert gettext("da", "{name} sees only your first name, your language and what you need help with, not our "
                         "conversation.").format(name="Heidi") in referral  # the last words were Danish


async def test_the_age_group_is_asked_once_and_under_15_hears_about_parents(core):
    await core.handle(press("person"))
    consent = await core.handle(press("agegroup:under_15"))
    assert consent[0].text.startswith(gettext('da', CONSENT_QUESTION)) and gettext('da', UNDER_15) in consent[0].text
    await core.handle(press("consent:yes"))
    ticket = await ticket_of(core)
    await core.handoff.staff.close(HEIDI, ticket.id, "answered")
    again = await core.handle(press("person"))
    assert button_data(again) == ["consent:yes", "consent:no", "menu"]  # no second age question


async def test_the_counsellor_speaks_the_language_and_helps_with_the_topic(core):
    await core.handle(say("متى يفتح الإرشاد المفتوح", user="ar"))
    referral = (await hand_over(core, user="ar"))[0].text
    assert "Amina Hassan" in referral
    await core.handle(say("Merhaba, 15 yaşındayım, yarı zamanlı iş bulmak istiyorum", user="tr"))
    assert "Emre Yılmaz" in (await hand_over(core, user="tr"))[0].text


async def test_a_counsellor_asked_for_by_name_gets_the_chat(core):
    # Without the name: Heidi, the first of three free counsellors who all speak Danish.
    referral = (await hand_over(core, reason="kan jeg snakke med Emre? han hjalp mig sidst"))[0].text
    assert (await ticket_of(core, "u1")).counsellor == "emre"
    assert "Emre Yılmaz" in referral


async def test_a_follow_up_after_a_tapped_topic_is_read_on_both_databases(core):
    # The last topic asked about is looked up by time on SQLite and PostgreSQL alike.
    await core.handle(press("topic:opening_hours"))
    assert "Nordparken 12" in (await core.handle(say("hvor ligger det?")))[0].text


async def test_load_is_spread_and_a_known_counsellor_comes_back(core):
    # No topic yet, all three at work and speaking Danish: the one with fewest chats.
    for user in ("a", "b", "c"):
        await hand_over(core, user=user)
    assert [(await ticket_of(core, user)).counsellor for user in "abc"] == ["heidi", "amina", "emre"]
    await core.handoff.staff.close(EMRE, (await ticket_of(core, "c")).id, "answered")
    await hand_over(core, user="d")  # Emre is free again, Heidi and Amina are busy
    await hand_over(core, user="c")  # the same person again: the same counsellor, busy or not
    assert [(await ticket_of(core, user)).counsellor for user in "dc"] == ["emre", "emre"]


async def test_out_of_hours_the_referral_says_when_and_the_card_waits_for_the_morning(core, clock):
    clock.moment = datetime(2026, 11, 19, 22, 0, tzinfo=COPENHAGEN)  # Thursday evening
    await core.handle(say("hvornår er sidste frist for at søge gymnasiet"))
    referral = (await hand_over(core))[0].text
    # Heidi is next at work on Monday, Amina on Friday 10-14: Amina, tomorrow.
    tomorrow = gettext("da", "{name} is at work tomorrow from {time} and usually answers before {by}.")
    assert tomorrow.format(name="Amina", time="10.00", by="11.00") in referral
    # An education question in the evening: the national evening channel, honestly unsure of its hours.
    assert gettext("da", EVEJLEDNING) in referral
    ticket = await ticket_of(core)
    assert (await deliver(core)).staff[0]["notify"] is False  # posted quietly at night
    await core.handoff.reminders.tick()
    assert (await deliver(core)).staff == []  # nobody at work: no summary yet
    clock.moment = datetime(2026, 11, 20, 10, 1, tzinfo=COPENHAGEN)  # Friday, Amina at work
    await core.handoff.reminders.tick()
    summary = (await deliver(core)).staff
    assert len(summary) == 1 and summary[0]["thread"] is None  # in the group's General topic
    assert f"#{ticket.id} {staff_gettext('(no name)')}" in summary[0]["text"]
    await core.handoff.reminders.tick()
    assert (await deliver(core)).staff == []  # announced once, not every minute
    clock.moment += timedelta(hours=2, minutes=1)
    await core.handoff.reminders.tick()
    again = (await deliver(core)).staff
    assert [message["text"] for message in again] == [
        staff_gettext("Still waiting for an answer: #{id} {name}, for {counsellor}.").format(
            id=ticket.id, name=staff_gettext("(no name)"), counsellor="Amina Hassan")]


async def test_take_answer_pass_on_and_close(core):
    await hand_over(core, first_name="Amal")
    ticket = await ticket_of(core)
    await deliver(core)  # the replies to the handoff questions
    assert await core.handoff.staff.press(HEIDI, f"take:{ticket.id}") == []
    taken = (await deliver(core)).person
    assert taken[0][1] == gettext("da", "{name} has taken your chat and will write to you here.").format(name="Heidi Jensen")

    # While Heidi has the chat, Broen is silent and the words go to her.
    assert await core.handle(say("jeg har 4,8 i snit, hvad gør jeg?")) == []
    relayed = (await deliver(core)).staff
    assert relayed[0]["text"].endswith("jeg har 4,8 i snit, hvad gør jeg?")
    await core.handoff.staff.relay_out(HEIDI, ticket.id, "Hej Amal, kom forbi torsdag <b>kl. 16</b>")
    answer = (await deliver(core)).person
    assert answer[0][1] == "Heidi Jensen:\nHej Amal, kom forbi torsdag <b>kl. 16</b>"

    menu = await core.handoff.staff.press(HEIDI, f"passto:{ticket.id}")
    assert [button.data for button in menu[0].buttons] == [f"pass:{ticket.id}:amina", f"pass:{ticket.id}:emre"]
    await core.handoff.staff.press(HEIDI, f"pass:{ticket.id}:amina")
    passed = (await deliver(core)).person[0][1]
    assert "Amina Hassan" in passed and "Heidi" in passed
    assert (await ticket_of(core)).state == "open"

    outcomes = await core.handoff.staff.press(AMINA, f"close:{ticket.id}")
    assert f"closed:{ticket.id}:answered" in [button.data for button in outcomes[0].buttons]
    await core.handoff.staff.press(AMINA, f"closed:{ticket.id}:answered")
    delivered = await deliver(core)
    assert delivered.person[0][1] == gettext("da", CLOSED).format(name="Amina")
    assert delivered.closed == [101]  # the ticket's topic in the staff group
    assert await ticket_of(core) is None
    back = await core.handle(say("hvornår er der åben vejledning"))
    assert back[0].text.startswith(gettext("da", "Open guidance: {desk}, {address}.").split("{")[0])  # Broen answers again


async def test_commands_still_work_and_a_crisis_gets_the_numbers_while_held(core):
    await hand_over(core)
    ticket = await ticket_of(core)
    await core.handoff.staff.take(HEIDI, ticket.id)
    assert "topic:admission" in button_data(await core.handle(say("/help", kind="command")))
    crisis = await core.handle(say("jeg vil ikke leve mere"))
    assert crisis[0].text.splitlines()[0] == gettext("da", "If you are in danger right now, call {number}.").format(number="112")
    staff = (await deliver(core)).staff
    urgent = staff_gettext("URGENT: {name} wrote something that may be a crisis and has been given the emergency numbers.")
    note = next(message["text"] for message in staff if urgent.format(name=staff_gettext("(no name)")) in message["text"])
    assert "jeg vil ikke leve mere" in note  # the words that raised it, whatever the consent
    assert (await ticket_of(core)).urgent


async def test_a_crisis_alerts_a_counsellor_at_once_even_at_night(core, clock):
    clock.moment = datetime(2026, 11, 21, 2, 0, tzinfo=COPENHAGEN)  # Saturday night
    replies = await core.handle(say("I want to kill myself", client_language="en"))
    assert replies[0].text.startswith("If you are in danger right now, call 112.")
    assert button_data(replies) == ["consent:yes", "consent:no", "menu"]
    ticket = await ticket_of(core)
    assert ticket.urgent and ticket.reason == "crisis" and ticket.consent_at is None
    card = (await deliver(core)).staff[0]
    assert card["notify"] is True and staff_gettext("URGENT: crisis signal. The person has been given the emergency numbers.") in card["text"]
    # What the person was promised, as a date: the card is read later than it is written.
    starts = expect_answer(EXAMPLE_SITE.counsellor(ticket.counsellor), clock.now()).starts
    assert day(Turn("da", clock.now()), starts.date()) in card["text"]
    await core.handle(press("consent:yes"))
    assert any("I want to kill myself" in message["text"] for message in (await deliver(core)).staff)


async def test_a_restart_in_the_middle_of_a_handoff_loses_nothing(core, database_url, scripted, screen, detector, clock):
    await hand_over(core)
    ticket = await ticket_of(core)
    await core.handoff.staff.take(HEIDI, ticket.id)
    await core.handle(say("er du der?"))  # queued for the staff group, not yet sent
    # The process stops here. A new one starts on the same database:
    engine, sessions = connect(database_url)
    try:
        restarted = make_core(Store(sessions), scripted, screen, detector, clock)
        outlet = await deliver(restarted)
        assert any(message["text"].endswith("er du der?") for message in outlet.staff)
        assert any("Heidi Jensen" in text for _, text, _ in outlet.person)  # "has taken your chat"
        assert await restarted.handle(say("hallo?")) == []  # still held: silent
        assert (await ticket_of(restarted)).state == "taken"
    finally:
        await engine.dispose()


async def test_forged_buttons_and_a_closed_chat_change_nothing(core):
    await hand_over(core)
    ticket = await ticket_of(core)
    stale = staff_gettext("That button is out of date.")
    for forged in ("take:999", f"pass:{ticket.id}:nobody", f"closed:{ticket.id}:lol", "take:", "drop table", f"pass:{ticket.id}:heidi"):
        assert [reply.text for reply in await core.handoff.staff.press(AMINA, forged)] == [stale], forged
    assert (await ticket_of(core)).state == "open"
    await core.handoff.staff.close(HEIDI, ticket.id, "answered")
    late = await core.handoff.staff.relay_out(HEIDI, ticket.id, "one more thing")
    assert late[0].text == staff_gettext(
        "This chat is closed, so your message was not sent. It is saved with the ticket. "
        "If the person writes again and asks for a person, a new chat opens.")
    assert not [text for _, text, _ in (await deliver(core)).person if "one more thing" in text]
    assert [m.kind for m in await core.store.messages("test", "u1") if m.text == "one more thing"] == ["not_sent"]
    assert "consent:yes" in button_data(await core.handle(press("person")))  # a new chat can open


async def test_user_buttons_for_consent_and_age_cannot_be_forged_into_anything(core):
    for forged in ("agegroup:42", "consent:maybe", "delete:now"):
        replies = await core.handle(press(forged))
        assert replies[0].text == gettext("da", "That button no longer works. Here is the menu:")
    assert await ticket_of(core) is None


async def test_the_nlu_down_mid_handoff_still_relays(offline_core):
    await hand_over(offline_core)
    ticket = await ticket_of(offline_core)
    await offline_core.handoff.staff.take(HEIDI, ticket.id)
    assert await offline_core.handle(say("hjælp mig med min ansøgning")) == []
    assert any(m["text"].endswith("hjælp mig med min ansøgning") for m in (await deliver(offline_core)).staff)


async def test_a_burst_to_the_staff_group_is_merged_and_nothing_is_dropped(core):
    await hand_over(core)
    ticket = await ticket_of(core)
    await core.handoff.staff.take(HEIDI, ticket.id)
    await deliver(core)
    for number in range(40):
        await core.handoff.person.relay_in(ticket, "text", f"besked {number}", core.clock.now())
    outlet = await deliver(core)
    text = "\n".join(message["text"] for message in outlet.staff)
    assert len(outlet.staff) == 1  # one message into the group instead of forty
    assert all(f"besked {number}" in text for number in range(40))


async def test_telegram_saying_wait_or_blocked_keeps_or_marks_the_messages(core, clock):
    await hand_over(core)
    ticket = await ticket_of(core)
    await deliver(core)
    await core.handoff.staff.take(HEIDI, ticket.id)
    outlet = RecordingOutlet()
    outlet.failures = [TryLater(30)]
    await Dispatcher(core.handoff, outlet, "person", channel="test").run_once()
    assert outlet.person == []  # 429: kept for later
    clock.moment += timedelta(seconds=31)
    await Dispatcher(core.handoff, outlet, "person", channel="test").run_once()
    assert len(outlet.person) == 1
    await core.handoff.staff.relay_out(HEIDI, ticket.id, "Hej?")
    outlet.failures = [Undeliverable("blocked")]
    await Dispatcher(core.handoff, outlet, "person", channel="test").run_once()
    staff = (await deliver(core)).staff
    assert staff_gettext("The person has blocked Broen, so messages cannot reach them. The chat stays open.") in staff[-1]["text"]


DELETED_ALL = ("Deleted: your messages, your name, language and age group, your reminders, and your chat with the "
               "counsellors, also in their group. What remains is an anonymous note that a chat took place (when, the "
               "topic and the kind of outcome), without your name or your words. If you write again, Broen starts "
               "afresh.")


async def test_mydata_shows_what_is_stored_and_delete_removes_it(core, store):
    await core.handle(say("hvornår er der åben vejledning", first_name="Amal"))
    await hand_over(core, first_name="Amal")
    ticket = await ticket_of(core)
    assert (await deliver(core)).topics  # the chat's topic in the staff group, with the card
    mine = "\n".join(reply.text for reply in await core.handle(say("/mine_data", kind="command")))
    assert "Amal" in mine and "hvornår er der åben vejledning" in mine
    assert gettext("da", "Age group: {value}").format(value=gettext("da", "15-17")) in mine
    assert f": {gettext('da', 'Yes, show it')}" in mine and "consent:yes" not in mine  # the button's words
    confirm = await core.handle(say("/slet", kind="command"))
    assert button_data(confirm) == ["delete:yes", "delete:no"]
    assert (await core.handle(press("delete:no")))[0].text == gettext("da", "Nothing was deleted.")
    assert await store.messages("test", "u1")
    await core.handle(press("delete:yes"))
    assert await store.messages("test", "u1") == []
    closed = await core.handoff.tickets.get(ticket.id)
    assert (closed.state, closed.person_id) == ("closed", None)
    outlet = await deliver(core)
    # The chat's topic (card, transcript) is deleted; the General topic says so.
    assert outlet.deleted == [101]
    assert outlet.staff[-1]["thread"] is None and f"#{ticket.id}" in outlet.staff[-1]["text"]
    assert not any("hvornår er der åben vejledning" in message["text"] for message in outlet.staff)
    # The person learns what was deleted and what remains, last.
    assert outlet.person[-1][1] == gettext("da", DELETED_ALL)
    closed = await core.handoff.tickets.get(ticket.id)
    assert (closed.state, closed.person_id, closed.first_name) == ("closed", None, None)
