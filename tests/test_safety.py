"""Safety at core level, on a real database and the real crisis stage, with a scripted
understander (no Rasa): the right lines first, idioms answered normally, the gentle
"are you safe?" check, and never silence while a person waits."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.clock import COPENHAGEN
from bot.store.models import Person, Ticket
from conftest import EXAMPLE_SITE, button_data, gettext, make_core, press, say, staff_gettext
from nlu.crisis_lexicon import CrisisLexicon
from nlu.screening import CrisisScreen, Thresholds
from test_handoff import deliver, ticket_of

DANGER_NOW = "If you are in danger right now, call {number}."
WAITING = "Your message is passed on to {name}."
OPEN_NOW = "If it cannot wait, these answer now:"
SAFE_QUESTION = "I want to be sure I understand you. Are you safe right now?"
SATURDAY_NIGHT = datetime(2026, 11, 21, 2, 30, tzinfo=COPENHAGEN)


def script(core, **intents: str) -> None:
    core.understander.intents.update({text.casefold(): intent for text, intent in intents.items()})


async def test_a_crisis_gets_the_lines_for_its_kind_first_and_an_urgent_named_counsellor(logic_core):
    replies = await logic_core.handle(say("my dad beats me every night", client_language="en"))
    lines = replies[0].text.splitlines()
    assert lines[0] == DANGER_NOW.format(number="112")
    assert any("Lev Uden Vold 1888" in line for line in lines[1:3])  # violence at home: its own line next
    assert "116 111" in replies[0].text  # age unknown: Børnetelefonen too
    assert "Amina Hassan" in replies[0].text or "Heidi Jensen" in replies[0].text
    assert button_data(replies) == ["consent:yes", "consent:no", "menu"]
    ticket = await ticket_of(logic_core)
    assert ticket.urgent and ticket.crisis_category == "violence" and ticket.consent_at is None


async def test_the_crisis_card_shows_the_kind_of_danger_and_the_words_without_consent(logic_core):
    await logic_core.handle(say("my email is amal@example.com", client_language="en"))
    await logic_core.handle(say("my parents want to force me to marry my cousin this summer", client_language="en"))
    await logic_core.handle(press("consent:no"))
    sent = "\n".join(message["text"] for message in (await deliver(logic_core)).staff)
    assert staff_gettext("Danger: {kind}").format(kind=staff_gettext("forced marriage, honour-related control or a trip abroad")) in sent
    assert "force me to marry my cousin" in sent  # vital interest: the words that raised it
    assert "amal@example.com" not in sent  # but not the rest of the conversation


async def test_forced_marriage_gets_the_foreign_ministrys_line_and_a_parent_is_addressed_as_a_parent(logic_core):
    replies = await logic_core.handle(say("min datter siger at hun ikke vil leve mere"))
    text = replies[0].text
    assert text.splitlines()[0] == gettext("da", "If your child is in danger right now, call {number}.").format(number="112")
    assert "70 201 201" in text and "ForældreTelefonen" in text
    assert "116 111" in text  # the child can call Børnetelefonen
    marriage = (await logic_core.handle(say("they are taking my passport and will marry me off in Pakistan",
                                            user="u2", client_language="en")))[0].text
    assert "+45 33 92 11 12" in marriage


async def test_an_idiom_with_a_question_gets_the_answer_not_an_alarm(logic_core):
    script(logic_core, **{"mum will kill me if I'm late, when do you close?": "opening_hours"})
    replies = await logic_core.handle(say("mum will kill me if I'm late, when do you close?", client_language="en"))
    assert replies[0].text.startswith("Open guidance:")
    assert "112" not in replies[0].text
    assert await ticket_of(logic_core) is None


async def test_a_false_alarm_does_not_silence_the_bot(logic_core):
    script(logic_core, **{"hvornår har i åbent": "opening_hours"})
    await logic_core.handle(say("jeg vil ikke leve mere"))  # a crisis: an urgent ticket waits for a counsellor
    replies = await logic_core.handle(say("hvornår har i åbent"))
    assert replies[0].text.startswith(gettext("da", "Open guidance: {desk}, {address}.").split("{")[0])
    assert replies[-1].text.startswith(gettext("da", WAITING).format(name="Heidi")) or \
        replies[-1].text.startswith(gettext("da", WAITING).format(name="Amina"))


def checking_core(store, scripted, detector, clock):
    """A crisis stage whose classifier never decides: what the lexicon says is all."""
    lexicon = CrisisLexicon({"suicide": ["hurt myself"]}, negations=["never"])
    screen = CrisisScreen(lexicon, CrisisScreen.load().model, Thresholds(alarm=0.999, check=0.999))
    return make_core(store, scripted, screen, detector, clock)


async def test_an_uncertain_message_gets_one_gentle_check_and_i_am_ok_answers_the_question(store, scripted, detector, clock):
    core = checking_core(store, scripted, detector, clock)
    question = "I would never hurt myself, but when are you open?"
    script(core, **{question: "opening_hours"})
    check = await core.handle(say(question, client_language="en"))
    assert check[0].text == SAFE_QUESTION
    assert button_data(check) == ["safety:danger", "safety:talk", "safety:ok"]
    answer = await core.handle(press("safety:ok"))
    assert answer[0].text.startswith("Open guidance:")  # the question, answered without asking again
    assert await ticket_of(core) is None


async def test_in_danger_after_the_check_is_the_full_crisis_path(store, scripted, detector, clock):
    core = checking_core(store, scripted, detector, clock)
    await core.handle(say("I would never hurt myself", client_language="en"))
    replies = await core.handle(press("safety:danger"))
    assert replies[0].text.splitlines()[0] == DANGER_NOW.format(number="112")
    ticket = await ticket_of(core)
    assert ticket.urgent and ticket.crisis_category == "suicide"


async def test_talk_to_someone_after_the_check_starts_the_handoff(store, scripted, detector, clock):
    core = checking_core(store, scripted, detector, clock)
    await core.handle(say("I would never hurt myself", client_language="en"))
    replies = await core.handle(press("safety:talk"))
    assert button_data(replies)[0] == "agegroup:under_15"


async def test_while_a_chat_waits_every_message_gets_a_status_and_silence_starts_when_taken(logic_core):
    await logic_core.handle(press("person"))
    await logic_core.handle(press("agegroup:15_17"))
    await logic_core.handle(press("consent:yes"))
    waiting = await logic_core.handle(say("hej, er der nogen der læser det her?"))
    assert waiting[0].text.startswith(gettext("da", WAITING).format(name="Heidi"))
    assert gettext("da", DANGER_NOW).format(number="112") in waiting[0].text
    ticket = await ticket_of(logic_core)
    await logic_core.handoff.staff.take(EXAMPLE_SITE.counsellor("heidi"), ticket.id)
    assert await logic_core.handle(say("er du der?")) == []


async def test_at_night_a_follow_up_after_a_crisis_gets_the_lines_that_answer_now(logic_core, clock):
    clock.moment = SATURDAY_NIGHT
    script(logic_core, **{"can anyone talk now?": "handoff_request"})
    await logic_core.handle(say("I want to kill myself", client_language="en"))
    replies = await logic_core.handle(say("can anyone talk now?", client_language="en"))
    status = replies[-1].text
    assert OPEN_NOW in status
    assert "116 111" in status and "112" in status  # open day and night
    assert "70 201 201" not in status  # Livslinien's night hours are unconfirmed: not promised


async def test_a_new_crisis_in_a_taken_chat_gets_the_lines_and_an_urgent_note(logic_core):
    await logic_core.handle(press("person"))
    await logic_core.handle(press("agegroup:15_17"))
    await logic_core.handle(press("consent:no"))
    ticket = await ticket_of(logic_core)
    await logic_core.handoff.staff.take(EXAMPLE_SITE.counsellor("heidi"), ticket.id)
    replies = await logic_core.handle(say("min stedfar slår mig"))
    assert replies[0].text.splitlines()[0] == gettext("da", DANGER_NOW).format(number="112")
    assert (await ticket_of(logic_core)).crisis_category == "violence"
    notes = [message["text"] for message in (await deliver(logic_core)).staff]
    assert any("min stedfar slår mig" in note for note in notes)


async def test_a_crisis_in_a_chat_whose_counsellor_left_is_reassigned_with_an_urgent_card(logic_core, store, scripted, screen, detector, clock):
    await logic_core.handle(press("person"))
    await logic_core.handle(press("agegroup:18_plus"))
    await logic_core.handle(press("consent:no"))
    assert (await ticket_of(logic_core)).counsellor == "heidi"
    await deliver(logic_core)
    without_heidi = replace(EXAMPLE_SITE, counsellors=tuple(p for p in EXAMPLE_SITE.counsellors if p.id != "heidi"))
    core = make_core(store, scripted, screen, detector, clock, site=without_heidi)
    replies = await core.handle(say("jeg vil ikke leve mere"))
    assert replies[0].text.splitlines()[0] == gettext("da", DANGER_NOW).format(number="112")
    ticket = await ticket_of(core)
    assert ticket.counsellor != "heidi" and ticket.urgent and ticket.state == "open"
    card = (await deliver(core)).staff[0]
    assert card["notify"] and staff_gettext("URGENT: crisis signal. The person has been given the emergency numbers.") in card["text"]


async def test_a_caption_a_slash_and_the_end_of_a_long_message_are_all_screened(logic_core):
    caption = await logic_core.handle(say("jeg vil ikke leve mere", kind="photo", user="a"))
    slash = await logic_core.handle(say("/jeg vil ikke leve mere", kind="command", user="b"))
    long = await logic_core.handle(say("hej " * 1500 + "jeg vil ikke leve mere", user="c"))
    for replies in (caption, slash, long):
        assert replies[0].text.splitlines()[0] == gettext("da", DANGER_NOW).format(number="112")
    unknown = await logic_core.handle(say("/foo", kind="command", user="d"))
    assert unknown[0].text == gettext("da", "I do not know that command. Try /start, /help or /language.")


async def test_delete_forgets_the_words_that_raised_a_crisis(logic_core):
    await logic_core.handle(say("jeg vil ikke leve mere"))
    await logic_core.handle(press("delete:yes"))
    async with logic_core.store.sessions() as session:
        ticket = await session.scalar(select(Ticket))
        assert await session.scalar(select(Person)) is None
    assert ticket.person_id is None and ticket.trigger_message_id is None
