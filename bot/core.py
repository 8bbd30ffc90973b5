"""The conversation core: one incoming message in, replies out.

It knows nothing about Telegram or terminals. Every incoming message is stored
before anything else happens, so a crash or an NLU outage loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.actions import Act, Action
from bot.clock import Clock
from bot.handoff import Handoff
from bot.matching import anyone_at_work, expect_answer
from bot.reminders import Reminders
from bot.replies import Incoming, Reply, as_pairs, command
from bot.store import Answered, Store
from bot.store.reminders import ReminderStore
from bot.store.repository import Awaiting, Contact, DialogueState
from bot.store.tickets import State, TicketView
from bot.site import Site
from bot.when import asked_day, asked_week
from flows import admission, crisis, fallback, handoff, language, leisure_job, opening_hours, privacy, smalltalk
from flows.turn import Turn
from nlu.client import MAX_PARSE_CHARS
from nlu.details import about_pay, about_tax, after_in, age_in, asks_for_child, grades_in, period_in, programme_in
from nlu.language import SUPPORTED, LanguageDetector, reply_language
from nlu.questions import only_asks
from nlu.screening import Category, CrisisScreen, Level, Signal
from nlu.short_replies import ReplyKind, ShortReply, short_reply
from nlu.text import has_words
from nlu.topics import INTENTS, topic_of
from nlu.understanding import Understander, Understanding

log = logging.getLogger(__name__)

GUIDANCE_TOPICS = frozenset({"admission", "opening_hours", "leisure_job"})
PARENT = "parent"  # the age group of a parent (flows/handoff.py)
# Greetings, thanks and goodbyes stay so even when they name a day ("god jul!", "have a nice weekend").
PARTING = frozenset({"smalltalk_greet", "smalltalk_thanks", "smalltalk_goodbye"})
# What a person can ask for: a short message the model is sure is one of these is no follow-up.
ASKABLE = GUIDANCE_TOPICS | {"handoff"}
# A message this short, soon after a question on a topic, may be a follow-up to it:
# "where is it?" after the opening hours, "I'm 14" after a leisure-job answer.
FOLLOW_UP_WORDS = 6
# A counsellor named under a rule answer is not named again under the next answers for
# this long (the monthly report's conversation: no pause over 30 minutes).
SAID_RECENTLY = timedelta(minutes=30)
FOLLOW_UP_WITHIN = SAID_RECENTLY  # a follow-up belongs to the same conversation
COMMANDS = frozenset({"/start", "/help", "/language", "/sprog", "/mydata", "/mine_data", "/delete", "/slet",
                      "/stop_reminders", "/stop_paamindelser"})
# A topic button asks the topic's broadest question.
TOPIC_BUTTON_INTENTS = {"admission": "admission_general", "opening_hours": "opening_hours", "leisure_job": "leisure_job_rules"}
# The question the other answer buttons ask (pay, CV, an age band, a part of an admission answer).
TAPPED_INTENTS = {Act.LEISURE: "leisure_job_rules", Act.AGE: "leisure_job_rules", Act.MORE: "admission_general"}
SMALLTALK = {
    "smalltalk_greet": smalltalk.greet,
    "smalltalk_help": smalltalk.help_menu,
    "smalltalk_thanks": smalltalk.thanks,
    "smalltalk_goodbye": smalltalk.goodbye,
    "smalltalk_chitchat": smalltalk.chitchat,
    "smalltalk_joke": smalltalk.joke,
}
# Short replies without a question: an acknowledgement, a yes or a no with nothing
# pending is neither a goodbye nor a failed understanding.
SHORT_REPLIES = {
    ReplyKind.ACK: smalltalk.anything_else,
    ReplyKind.YES: smalltalk.anything_else,
    ReplyKind.NO: smalltalk.anything_else,
    ReplyKind.UNSURE: smalltalk.not_sure,
    ReplyKind.THANKS: smalltalk.thanks,
    ReplyKind.GREETING: smalltalk.greet,
    ReplyKind.BYE: smalltalk.goodbye,
}


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    understanding: Understanding | None = None
    # Not-understood messages in a row after this one; None leaves the count as it was.
    failed_in_a_row: int | None = None
    chosen_language: str | None = None
    age_band: str | None = None  # a newly learnt age band for the leisure-job rules
    awaiting: Awaiting | None = None  # a question asked now, answered by the next message
    settled: bool = False  # this message answered the pending question
    age_group: str | None = None  # a newly learnt age group (asked before a handoff)
    handoff_reason: str | None = None  # why a person is wanted, while the questions are asked
    desk: str | None = None  # the desk whose poster brought the person (/start <desk id>)
    forgotten: bool = False  # the person's data was just deleted: nothing more to store


class Core:
    def __init__(
        self, store: Store, understander: Understander, detector: LanguageDetector, clock: Clock, site: Site,
        screen: CrisisScreen, handoff: Handoff, chat_handoff: bool = True,
    ) -> None:
        self.site = site
        # False when no staff group is set up: nobody would read a handed-over chat.
        self.chat_handoff = chat_handoff
        self.store = store
        self.understander = understander
        self.screen = screen
        self.detector = detector
        self.clock = clock
        # Shared with the staff side (Telegram's staff group, `chat --as`).
        self.handoff = handoff
        self.reminders = Reminders(ReminderStore(store.sessions), site, clock)
        self._buttons = {
            Act.TOPIC: self._topic_button, Act.ASK: self._ask_button, Act.LEISURE: self._leisure_button,
            Act.MORE: self._more_button,
            Act.AGE: self._age_button, Act.PERSON: self._person_button, Act.AGE_GROUP: self._age_group_button,
            Act.CONSENT: self._consent_button, Act.DELETE: self._delete_button, Act.MENU: self._menu_button,
            Act.LANG: self._language_button, Act.SAFETY: self._safety_answer, Act.REMIND: self._remind_button,
        }

    async def tick(self) -> None:
        """What runs every minute, on one worker: the staff group's reminders, then the
        reminders people asked for."""
        await self.handoff.reminders.tick()
        await self.reminders.tick()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        now = self.clock.now()
        contact, message_id = await self.store.receive(
            incoming.channel, incoming.user_id, incoming.first_name, incoming.kind, incoming.text, now,
            incoming.update_id,
        )

        # Detection only matters when no language was chosen explicitly.
        wants_detection = incoming.kind not in ("button", "command") and incoming.text and not contact.state.language_choice
        first_message = contact.state.language_last is None
        detected, guessed = self.detector.read(incoming.text, switching=not first_message) if wants_detection \
            else (None, None)
        lang = reply_language(
            chosen=contact.state.language_choice,
            detected=detected,
            previous=contact.state.language_last,
            client=incoming.client_language,
            guessed=guessed,
        )
        introduced = contact.state.introduced if contact.state.introduced_at \
            and now - contact.state.introduced_at < SAID_RECENTLY else None
        turn = Turn(language=lang, now=now, first_name=incoming.first_name, introduced=introduced)
        try:
            outcome = await self._respond(turn, contact, incoming, message_id)
        except Exception:
            log.exception("could not handle message %s", message_id)
            outcome = Outcome(fallback.internal_error(turn))

        if outcome.forgotten:
            return outcome.replies
        understanding = outcome.understanding
        answered = Answered(
            replies=[(reply.text, as_pairs(reply.buttons)) for reply in outcome.replies],
            state=self._next_state(contact.state, outcome, lang, incoming, now),
            intent=understanding.intent if understanding else None,
            topic=understanding.topic if understanding else None,
            confidence=understanding.confidence if understanding else None,
        )
        await self.store.answer(contact, message_id, answered, now, incoming.update_id)
        return outcome.replies

    @staticmethod
    def _next_state(before: DialogueState, outcome: Outcome, language: str, incoming: Incoming,
                    now: datetime) -> DialogueState:
        """The whole dialogue state after this message: what the outcome changed, the rest as it was."""
        awaiting, kept = outcome.awaiting, False
        if (awaiting is None and before.awaiting and not before.awaiting_kept and not outcome.settled
                and incoming.kind not in ("button", "command")
                and not (outcome.understanding and outcome.understanding.topic == "crisis")):
            # One unrelated message in between does not make Broen forget its question.
            awaiting, kept = before.awaiting, True
        return DialogueState(
            language_last=outcome.chosen_language or language,
            language_choice=outcome.chosen_language or before.language_choice,
            failed_in_a_row=before.failed_in_a_row if outcome.failed_in_a_row is None else outcome.failed_in_a_row,
            age_band=outcome.age_band or before.age_band,
            awaiting=awaiting,
            awaiting_kept=kept,
            age_group=outcome.age_group or before.age_group,
            handoff_reason=outcome.handoff_reason,
            desk=outcome.desk or before.desk,
            **Core._introduced(before, outcome, now),
        )

    @staticmethod
    def _introduced(before: DialogueState, outcome: Outcome, now: datetime) -> dict:
        """The counsellor a rule answer just named (and when), else as it was."""
        named = next((reply.introduces for reply in outcome.replies if reply.introduces), None)
        if named is None:
            return {"introduced": before.introduced, "introduced_at": before.introduced_at}
        # Naming again after a while restarts the while; an answer that left the line out keeps it.
        again = named == before.introduced and before.introduced_at and now - before.introduced_at < SAID_RECENTLY
        return {"introduced": named, "introduced_at": before.introduced_at if again else now}

    async def _respond(self, turn: Turn, contact: Contact, incoming: Incoming, message_id: int) -> Outcome:
        text = (incoming.text or "").strip()
        # Buttons and commands always reach the bot, also while a counsellor has the chat.
        if incoming.kind == "button":
            return await self._button(turn, contact, text, message_id)
        if incoming.kind == "command" and command(text)[0] in COMMANDS:
            return await self._command(turn, contact, text)
        # Everything else a person writes is screened first, all of it: text, a caption,
        # a "/" that is no command. A crisis gets the help lines before anything else.
        signal = self.screen.screen(text)
        ticket = await self.handoff.person.active(contact.person_id) if contact.in_handoff else None
        if signal.is_crisis:
            return await self._crisis(turn, contact, signal, ticket, text, message_id)
        if ticket is not None:
            return await self._held(turn, contact, ticket, incoming)
        if signal.level is Level.CHECK:
            return Outcome(crisis.safety_check(turn))
        if incoming.kind == "command":
            return Outcome(fallback.unknown_command(turn))
        if incoming.kind != "text":
            return Outcome(fallback.not_text(turn))
        if not text:
            return Outcome(fallback.empty(turn))
        if not has_words(text) and short_reply(text) is None and not only_asks(text):
            # "👍" and "🙏" are short replies; "?" asks the model like any question.
            return Outcome(fallback.emoji_only(turn))
        if contact.state.age_group is None and asks_for_child(text):
            # "My son ...": a parent, answered as a parent from now on ("does he pay tax
            # too?"), and not asked their age before a handoff.
            contact = replace(contact, state=replace(contact.state, age_group=PARENT))
            outcome = await self._answer(turn, contact, text)
            return replace(outcome, age_group=outcome.age_group or PARENT)
        return await self._answer(turn, contact, text)

    async def _answer(self, turn: Turn, contact: Contact, text: str) -> Outcome:
        """The answer to a message that shows no crisis: a pending question, or what the
        NLU model makes of it."""
        failed = contact.state.failed_in_a_row
        if (pending := await self._pending_answer(turn, contact, text)) is not None:
            return pending
        if (reply := short_reply(text, turn.language)) is not None:
            # "ok" is no answer to a pending question, and does not cancel it either.
            return replace(self._short_reply(turn, reply), awaiting=contact.state.awaiting,
                           handoff_reason=contact.state.handoff_reason)

        message = await self.understander.understand_message(text)
        understanding = message.first
        if understanding.source == "unavailable":
            return Outcome(fallback.understanding_unavailable(turn), understanding, failed + 1)
        if len(text.split()) <= FOLLOW_UP_WORDS and not (understanding.sure and understanding.topic in ASKABLE):
            asked_before = await self.store.last_topic(contact.conversation_id, since=turn.now - FOLLOW_UP_WITHIN)
            if asked_before == "leisure_job" and (age := age_in(text, alone=True)) is not None:
                # "I'm 14", "16" after a leisure-job answer: what is allowed at that age.
                return self._leisure_rules_for_age(turn, age, self._as_parent(contact, text))
            if asked_before == "opening_hours" and (
                    not understanding.understood or understanding.topic == "other"
                    or (understanding.intent not in PARTING and self._names_a_day(turn, text))
                    or (not understanding.sure and understanding.considers("opening_hours"))):
                # "Where is it?", "and on Monday?", "when do you close?" after the opening hours: that desk.
                understanding = replace(understanding, intent="opening_hours", topic="opening_hours")
        if about_pay(text) and understanding.topic not in ("admission", "opening_hours", "handoff"):
            # Pay and tax are asked in ways the model misreads ("skal jeg betale skat" as a
            # goodbye); the marker words decide unless another guidance topic is clear.
            understanding = replace(understanding, intent="leisure_job_rules", topic="leisure_job")
        if not understanding.understood and failed + 1 >= 2:
            # Twice in a row: a person can help where Broen cannot.
            wanted = await self._want_person(turn, contact, "not_understood")
            return replace(wanted, replies=handoff.still_not_understood(turn) + wanted.replies,
                           understanding=understanding, failed_in_a_row=0)
        if not understanding.understood:
            return Outcome(fallback.not_understood(turn), understanding, failed + 1)

        if understanding.topic == "handoff":
            return replace(await self._want_person(turn, contact, "request"), understanding=understanding,
                           failed_in_a_row=0)
        outcome = replace(self._by_topic(turn, contact, understanding, text), understanding=understanding, failed_in_a_row=0)
        if message.other is not None and message.other.topic in GUIDANCE_TOPICS:
            # "When do you open? And how many hours can I work at 15?": the second as a button.
            outcome = replace(outcome, replies=[*outcome.replies[:-1], smalltalk.with_other_question(
                turn, outcome.replies[-1], message.other.intent)])
        if len(text) > MAX_PARSE_CHARS:
            outcome = replace(outcome, replies=fallback.long_message(turn) + outcome.replies)
        return outcome

    async def _pending_answer(self, turn: Turn, contact: Contact, text: str) -> Outcome | None:
        """A typed answer to the question Broen asked last, however loosely put: "16",
        "jeg er 16", "١٦" for an age, "ja"/"haa"/"yes" for consent."""
        if contact.state.awaiting is Awaiting.AGE and (age := age_in(text, alone=True)) is not None:
            return self._leisure_rules_for_age(turn, age, self._as_parent(contact, text))
        if contact.state.awaiting is Awaiting.AGE_GROUP:
            if asks_for_child(text):
                return self._age_group(turn, contact, PARENT)
            if (age := age_in(text, alone=True)) is not None:
                return self._age_group(turn, contact, handoff.age_group_of(age))
        yes_or_no = _yes_or_no(text, turn.language)
        if contact.state.awaiting is Awaiting.CONSENT and yes_or_no:
            return await self._consent(turn, contact, yes_or_no is ReplyKind.YES)
        if contact.state.awaiting is Awaiting.NINTH_GRADE and (
                yes_or_no := yes_or_no or _yes_or_no(text.split(maxsplit=1)[0].strip(",.!"), turn.language)):
            # "ja han er færdig", "no, she is in 8th": the first word answers it (not so for
            # consent, which must be given plainly).
            band = leisure_job.band_after_ninth_grade(finished=yes_or_no is ReplyKind.YES)
            return self._typed_band_rules(turn, band, self._as_parent(contact, text))
        return None

    def _short_reply(self, turn: Turn, reply: ShortReply) -> Outcome:
        understood = Understanding(f"smalltalk_{reply.kind}", "smalltalk", 1.0, "rule")
        return Outcome(SHORT_REPLIES[reply.kind](turn), understood)

    def _by_topic(self, turn: Turn, contact: Contact, understanding: Understanding, text: str) -> Outcome:
        if understanding.topic in GUIDANCE_TOPICS:
            return self._guidance(turn, contact, understanding.intent, text, understanding.entities)
        if understanding.intent in SMALLTALK:
            return Outcome(SMALLTALK[understanding.intent](turn))
        return Outcome(fallback.out_of_scope(turn))

    def _guidance(self, turn: Turn, contact: Contact, intent: str, text: str = "", entities: Sequence[dict] = ()) -> Outcome:
        """The answer for one of the three guidance topics, from the intent and the
        details in the message (a day or holiday, a programme, grades, an age, a parent)."""
        if intent.startswith("opening_hours"):
            today = turn.now.date()
            asked = asked_day(text, turn.language, today)
            week = asked_week(text, today) if asked is None else None
            return Outcome(opening_hours.opening_hours(turn, self.site, asked, period_in(text), week, after_in(text)))
        if intent.startswith("admission"):
            named = [entity["value"] for entity in entities if entity.get("entity") == "programme"]
            question = admission.Question(
                intent=intent,
                programme=admission.programme_of(intent, named, programme_in(text)),
                grades=grades_in(text),
                for_child=self._as_parent(contact, text),
                about_money=about_pay(text),
            )
            return Outcome(admission.answer(turn, self.site, question))
        for_child, age = self._as_parent(contact, text), age_in(text)
        # "My son is 14, can he get a job?" reads as finding one, but the age says the
        # question is what is allowed at that age.
        if intent == "leisure_job_find" and age is None:
            return Outcome(leisure_job.find(turn, self.site))
        if intent == "leisure_job_cv":
            return Outcome(leisure_job.cv(turn, self.site))
        if about_tax(text):  # "do I pay tax on my pay?" is about tax
            return Outcome(leisure_job.tax(turn, self.site, for_child))
        if about_pay(text):
            return Outcome(leisure_job.pay(turn, self.site, for_child))
        if age is not None:
            return self._leisure_rules_for_age(turn, age, for_child)
        if contact.state.age_band:
            return self._leisure_rules(turn, contact.state.age_band, for_child)
        # Ask once; the answer is remembered on the conversation.
        return Outcome(leisure_job.ask_age(turn), awaiting=Awaiting.AGE)

    @staticmethod
    def _as_parent(contact: Contact, text: str) -> bool:
        """Whether to answer as to a parent: this message asks for a child, or an earlier
        one did (or the person said so before a handoff)."""
        return asks_for_child(text) or contact.state.age_group == PARENT

    @staticmethod
    def _names_a_day(turn: Turn, text: str) -> bool:
        """A day, a date, next week or a holiday ("а в понеділок?", "i morgen?", "juleferien?")."""
        today = turn.now.date()
        return asked_day(text, turn.language, today) is not None or asked_week(text, today) is not None \
            or period_in(text) is not None

    def _leisure_rules_for_age(self, turn: Turn, age: int, for_child: bool) -> Outcome:
        return self._typed_band_rules(turn, leisure_job.band_of_age(age), for_child)

    def _typed_band_rules(self, turn: Turn, band: str, for_child: bool) -> Outcome:
        """The rules for an age band the person typed ("16", "yes" to 9th grade), remembered."""
        return replace(self._leisure_rules(turn, band, for_child, remembered=True),
                       understanding=Understanding("leisure_job_rules", "leisure_job", 1.0, "rule"),
                       failed_in_a_row=0, age_band=band, settled=True)

    def _leisure_rules(self, turn: Turn, band: str, for_child: bool, remembered: bool = False) -> Outcome:
        """The rules for an age band; for 15-17 first whether 9th grade is finished, which a
        typed "yes" or "no" answers as well as the buttons."""
        replies = leisure_job.rules(turn, self.site, band, for_child, remembered=remembered)
        asks = band == leisure_job.FIFTEEN_TO_SEVENTEEN
        return Outcome(replies, awaiting=Awaiting.NINTH_GRADE if asks else None)

    # Handing over to a counsellor ----------------------------------------------------

    async def _want_person(self, turn: Turn, contact: Contact, reason: str) -> Outcome:
        """The way to a counsellor: the age group once, then consent, then the ticket."""
        ticket = await self.handoff.person.active(contact.person_id)
        if ticket is not None:
            return Outcome(self._already_waiting(turn, ticket))
        if not self.site.counsellors:
            return Outcome(handoff.no_counsellor(turn))
        if not self.chat_handoff:
            return Outcome(handoff.no_chat_handoff(turn, self.site))
        if contact.state.age_group is None:
            return Outcome(handoff.ask_age_group(turn), awaiting=Awaiting.AGE_GROUP, handoff_reason=reason)
        return Outcome(handoff.ask_consent(turn, contact.state.age_group), awaiting=Awaiting.CONSENT, handoff_reason=reason)

    def _already_waiting(self, turn: Turn, ticket: TicketView) -> list[Reply]:
        person = self.site.find_counsellor(ticket.counsellor)
        if person is None:  # left the site file since; the staff group can pass it on
            return []
        return handoff.already_waiting(turn, person, expect_answer(person, turn.now), ticket.state == State.TAKEN)

    def _age_group(self, turn: Turn, contact: Contact, group: str) -> Outcome:
        reason = contact.state.handoff_reason or "request"
        return Outcome(handoff.ask_consent(turn, group), age_group=group, awaiting=Awaiting.CONSENT, handoff_reason=reason,
                       settled=True)

    async def _consent(self, turn: Turn, contact: Contact, given: bool) -> Outcome:
        ticket = await self.handoff.person.active(contact.person_id)
        if ticket is not None:
            if ticket.consent_at is not None:  # answered before: a second press changes nothing
                return Outcome(self._already_waiting(turn, ticket), settled=True)
            await self.handoff.person.consent(ticket, given, turn.now)
            return Outcome(self._already_waiting(turn, ticket), settled=True)
        if not self.chat_handoff:
            return Outcome(handoff.no_chat_handoff(turn, self.site), settled=True)
        opened = await self.handoff.person.open(contact, turn, contact.state.handoff_reason or "offer", consent=given)
        if opened is None:
            return Outcome(handoff.no_counsellor(turn), settled=True)
        ticket, person = opened
        referral = handoff.referral(turn, self.site, person, expect_answer(person, turn.now), given,
                                    education=ticket.topic == "admission")
        return Outcome(referral, settled=True)

    async def _crisis(self, turn: Turn, contact: Contact, signal: Signal, ticket: TicketView | None,
                      text: str, message_id: int) -> Outcome:
        """The help lines first, always; then a named counsellor is alerted at once
        (urgent, also at night), with the kind of danger and the message that raised it."""
        category = signal.category or Category.DANGER
        marked = Understanding(f"crisis_{category}", "crisis", signal.probability, "screen")
        age_group = contact.state.age_group
        person = self.site.find_counsellor(ticket.counsellor) if ticket else None
        if ticket is not None and person is not None:
            await self.handoff.person.crisis_while_held(ticket, category, text, turn.now)
            return Outcome(crisis.crisis_while_held(turn, signal, age_group, person), marked, 0)
        if ticket is not None:  # their counsellor has left the site file: someone else takes it
            person = await self.handoff.person.reassign(ticket, turn, category, message_id)
            replies = [crisis.crisis_alerted(turn, signal, age_group, person, expect_answer(person, turn.now))] \
                if person else crisis.crisis(turn, signal, age_group)
            return Outcome(replies, marked, 0)
        opened = await self.handoff.person.open(contact, turn, "crisis", consent=None, urgent=True, crisis=category,
                                         trigger_message_id=message_id) if self.site.counsellors and self.chat_handoff else None
        if opened is None:
            return Outcome(crisis.crisis(turn, signal, age_group), marked, 0)
        _, person = opened
        alerted = crisis.crisis_alerted(turn, signal, age_group, person, expect_answer(person, turn.now))
        return Outcome([alerted, *handoff.ask_consent(turn, age_group)], marked, 0)

    async def _held(self, turn: Turn, contact: Contact, ticket: TicketView, incoming: Incoming) -> Outcome:
        """The chat is with a counsellor, or waiting for one: the message goes to them.
        Once a counsellor has taken the chat the bot is silent; while it waits, every
        message gets an honest status (and a guidance question its answer too)."""
        await self.handoff.person.relay_in(ticket, incoming.kind, incoming.text, turn.now)
        person = self.site.find_counsellor(ticket.counsellor)
        if person is None:  # left the site file since: someone else gets the chat
            person = await self.handoff.person.reassign(ticket, turn)
            if person is None:
                return Outcome(handoff.no_counsellor(turn))
            ticket = replace(ticket, state=State.OPEN, counsellor=person.id)
        text = (incoming.text or "").strip()
        if incoming.kind != "text" and not text:
            return Outcome(handoff.not_relayed(turn, person))
        if ticket.state == State.TAKEN:
            return Outcome([])
        outcome, asks_person = Outcome([]), False
        if has_words(text):
            understanding = await self.understander.understand(text)
            asks_person = understanding.understood and understanding.topic == "handoff"
            if understanding.understood and understanding.topic in GUIDANCE_TOPICS:
                outcome = self._by_topic(turn, contact, understanding, text)
            outcome = replace(outcome, understanding=understanding)
        # After a crisis, or asking for someone while nobody is at work: the lines open now.
        open_lines = ticket.urgent or (asks_person and not anyone_at_work(self.site, turn.now))
        status = crisis.waiting(turn, person, expect_answer(person, turn.now), contact.state.age_group, open_lines,
                                Category(ticket.crisis_category) if ticket.crisis_category else None)
        return replace(outcome, replies=[*outcome.replies, status])

    # Commands and buttons ------------------------------------------------------------

    async def _command(self, turn: Turn, contact: Contact, text: str) -> Outcome:
        name, argument = command(text)
        if name == "/start":
            # A poster's QR code opens the chat with "/start <desk id>"; anything else after
            # /start is a plain start.
            desk = self.site.find_desk(argument)
            return Outcome(smalltalk.greet(turn), desk=desk.id if desk else None)
        if name == "/help":
            return Outcome(smalltalk.help_menu(turn))
        if name in ("/language", "/sprog"):
            code = argument.lower()
            return self._choose_language(turn, code) if code in SUPPORTED else Outcome(language.language_menu(turn))
        if name in ("/mydata", "/mine_data"):
            data = await self.handoff.tickets.person_data(contact.person_id)
            desk = self.site.find_desk(data.desk) if data else None
            reminders = await self.reminders.listed(turn, contact.person_id)
            return Outcome(privacy.my_data(turn, data, desk.name if desk else None, reminders))
        if name in ("/delete", "/slet"):
            return Outcome(privacy.ask_delete(turn))
        if name in ("/stop_reminders", "/stop_paamindelser"):
            return Outcome(await self.reminders.stop(turn, contact.person_id))
        return Outcome(fallback.unknown_command(turn))

    async def _button(self, turn: Turn, contact: Contact, data: str, message_id: int) -> Outcome:
        """A pressed button, by its action; forged or outdated data (or a value the action
        does not know) gets the menu: never trusted, never an error."""
        action = Action.decode(data)
        handler = self._buttons.get(action.act) if action else None
        outcome = await handler(turn, contact, action.value, message_id) if handler else None
        if outcome is None:
            return Outcome(fallback.stale_button(turn))
        if outcome.understanding is None and (intent := _tapped_intent(action)) is not None:
            # What was tapped is what a typed follow-up refers to ("where is it?" after the
            # opening-hours button), and what the monthly report counts.
            outcome = replace(outcome, understanding=Understanding(intent, topic_of(intent), 1.0, "button"))
        return outcome

    # One handler per button action: (turn, contact, value, message id) -> Outcome, or
    # None for a value the action does not know.

    async def _topic_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return self._guidance(turn, contact, TOPIC_BUTTON_INTENTS[value]) if value in GUIDANCE_TOPICS else None

    async def _ask_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        """The other question of a two-question message."""
        if value in INTENTS and topic_of(value) in GUIDANCE_TOPICS:
            return self._guidance(turn, contact, value)
        return None

    async def _leisure_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        if value == "pay":
            return Outcome(leisure_job.pay(turn, self.site))
        if value in ("tax", "tax_child"):
            return Outcome(leisure_job.tax(turn, self.site, for_child=value == "tax_child"))
        if value in ("safe", "safe_child"):
            return Outcome(leisure_job.safe_work(turn, for_child=value == "safe_child"))
        return self._guidance(turn, contact, f"leisure_job_{value}") if value in ("find", "cv") else None

    async def _more_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        tapped = admission.TAPPED.get(value)
        return Outcome(tapped.answer(turn)) if tapped else None

    async def _age_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        if value not in leisure_job.BANDS:
            return None
        return replace(self._leisure_rules(turn, value, for_child=False, remembered=True), age_band=value)

    async def _person_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return await self._want_person(turn, contact, "offer") if not value else None

    async def _age_group_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return self._age_group(turn, contact, value) if value in handoff.AGE_GROUPS else None

    async def _consent_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return await self._consent(turn, contact, value == "yes") if value in ("yes", "no") else None

    async def _delete_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        if value == "yes":
            farewell = privacy.deleted(turn)
            await self.handoff.person.forget(contact, turn.now, farewell)
            return Outcome(farewell, forgotten=True)
        return Outcome(privacy.kept(turn)) if value == "no" else None

    async def _menu_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return Outcome(fallback.menu(turn)) if not value else None

    async def _remind_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        """"Remind me" under the opening hours (desk:<id>), or under the deadline."""
        if value.startswith("desk:"):
            replies = await self.reminders.remind_opening(turn, contact.person_id, value.removeprefix("desk:"))
            return Outcome(replies) if replies is not None else None
        if value in ("deadline", "deadline_child"):
            return Outcome(await self.reminders.remind_deadline(turn, contact.person_id, value == "deadline_child"))
        return None

    async def _language_button(self, turn: Turn, contact: Contact, value: str, _: int) -> Outcome | None:
        return self._choose_language(turn, value) if value in SUPPORTED else None

    async def _safety_answer(self, turn: Turn, contact: Contact, answer: str, message_id: int) -> Outcome | None:
        """The answer to "are you safe right now?", about the message it was asked for."""
        if answer == "talk":
            return await self._want_person(turn, contact, "check")
        asked = await self.store.previous_text(contact.conversation_id, message_id)
        if asked is None or answer not in ("danger", "ok"):
            return None
        asked_id, text = asked
        if answer == "danger":
            seen = self.screen.screen(text)
            signal = replace(seen, level=Level.CRISIS, category=seen.category or Category.DANGER)
            ticket = await self.handoff.person.active(contact.person_id)
            return await self._crisis(turn, contact, signal, ticket, text, asked_id)
        # "I am OK": the question they asked gets its answer, without asking again.
        return await self._answer(turn, contact, text)

    def _choose_language(self, turn: Turn, code: str) -> Outcome:
        return Outcome(language.language_set(replace(turn, language=code)), chosen_language=code)


def _tapped_intent(action: Action) -> str | None:
    """The question a tapped answer button asks, as an intent (None for the menu, a
    person, a language and the like)."""
    if action.act is Act.TOPIC:
        return TOPIC_BUTTON_INTENTS.get(action.value)
    if action.act is Act.ASK:
        return action.value
    return TAPPED_INTENTS.get(action.act)


def _yes_or_no(text: str, language: str) -> ReplyKind | None:
    reply = short_reply(text, language)
    return reply.kind if reply is not None and reply.kind in (ReplyKind.YES, ReplyKind.NO) else None
