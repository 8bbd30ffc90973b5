"""The conversation core: one incoming message in, replies out.

It knows nothing about Telegram or terminals. Every incoming message is stored
before anything else happens, so a crash or an NLU outage loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.clock import Clock
from bot.language import choose_language
from bot.replies import Incoming, Reply
from bot.store import Answered, Store
from bot.site import Site
from bot.when import asked_day
from flows import crisis, fallback, language, opening_hours, smalltalk, topics
from flows.turn import Turn
from nlu.client import MAX_PARSE_CHARS
from nlu.language import SUPPORTED, LanguageDetector
from nlu.text import has_words
from nlu.understanding import Understander, Understanding

log = logging.getLogger(__name__)

GUIDANCE_TOPICS = frozenset({"admission", "opening_hours", "leisure_job"})
SMALLTALK = {
    "smalltalk_greet": smalltalk.greet,
    "smalltalk_help": smalltalk.help_menu,
    "smalltalk_thanks": smalltalk.thanks,
    "smalltalk_goodbye": smalltalk.goodbye,
}


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    understanding: Understanding | None = None
    # Not-understood messages in a row after this one; None leaves the count as it was.
    failed_in_a_row: int | None = None
    chosen_language: str | None = None


class Core:
    def __init__(
        self, store: Store, understander: Understander, detector: LanguageDetector, clock: Clock, site: Site
    ) -> None:
        self.site = site
        self.store = store
        self.understander = understander
        self.detector = detector
        self.clock = clock

    async def handle(self, incoming: Incoming) -> list[Reply]:
        now = self.clock.now()
        contact, message_id = await self.store.receive(
            incoming.channel, incoming.user_id, incoming.first_name, incoming.kind, incoming.text, now
        )

        # Detection only matters when no language was chosen explicitly.
        wants_detection = incoming.kind == "text" and incoming.text and not contact.language_choice
        detected = self.detector.detect(incoming.text) if wants_detection else None
        lang = choose_language(
            chosen=contact.language_choice,
            detected=detected,
            previous=contact.language_last,
            client=incoming.client_language,
        )
        turn = Turn(language=lang, now=now, first_name=incoming.first_name)
        try:
            outcome = await self._respond(turn, contact.failed_understandings, incoming)
        except Exception:
            log.exception("could not handle message %s", message_id)
            outcome = Outcome(fallback.internal_error(turn))

        understanding = outcome.understanding
        answered = Answered(
            language=outcome.chosen_language or lang,
            replies=[reply.text for reply in outcome.replies],
            intent=understanding.intent if understanding else None,
            topic=understanding.topic if understanding else None,
            confidence=understanding.confidence if understanding else None,
            language_choice=outcome.chosen_language,
            failed_understandings=outcome.failed_in_a_row,
        )
        await self.store.answer(contact, message_id, answered, now)
        return outcome.replies

    async def _respond(self, turn: Turn, failed: int, incoming: Incoming) -> Outcome:
        if incoming.kind == "command":
            return self._command(turn, incoming.text or "")
        if incoming.kind == "button":
            return self._button(turn, incoming.text or "")
        if incoming.kind != "text":
            return Outcome(fallback.not_text(turn))

        text = (incoming.text or "").strip()
        if not text:
            return Outcome(fallback.empty(turn))
        if not has_words(text):
            return Outcome(fallback.emoji_only(turn))

        understanding = await self.understander.understand(text)
        if understanding.topic == "crisis":
            return Outcome(crisis.crisis(turn), understanding, failed_in_a_row=0)
        if understanding.source == "unavailable":
            return Outcome(fallback.understanding_unavailable(turn), understanding, failed + 1)
        if not understanding.understood:
            return Outcome(fallback.not_understood(turn, failed + 1), understanding, failed + 1)

        replies = self._by_topic(turn, understanding, text)
        if len(text) > MAX_PARSE_CHARS:
            replies = fallback.long_message(turn) + replies
        return Outcome(replies, understanding, failed_in_a_row=0)

    def _by_topic(self, turn: Turn, understanding: Understanding, text: str) -> list[Reply]:
        if understanding.topic in GUIDANCE_TOPICS:
            return self._topic(turn, understanding.topic, text)
        if understanding.topic == "handoff":
            return topics.person_wanted(turn)
        if understanding.intent in SMALLTALK:
            return SMALLTALK[understanding.intent](turn)
        return fallback.out_of_scope(turn)

    def _topic(self, turn: Turn, topic: str, text: str = "") -> list[Reply]:
        if topic == "opening_hours":
            return opening_hours.opening_hours(turn, self.site, asked_day(text, turn.language, turn.now.date()))
        return topics.topic_understood(turn, topic)

    def _command(self, turn: Turn, text: str) -> Outcome:
        name, _, argument = text.strip().partition(" ")
        name = name.split("@", 1)[0].lower()  # "/start@BroenBot"
        if name == "/start":
            return Outcome(smalltalk.greet(turn))
        if name == "/help":
            return Outcome(smalltalk.help_menu(turn))
        if name in ("/language", "/sprog"):
            code = argument.strip().lower()
            return self._choose_language(turn, code) if code in SUPPORTED else Outcome(language.language_menu(turn))
        return Outcome(fallback.unknown_command(turn))

    def _button(self, turn: Turn, data: str) -> Outcome:
        kind, _, value = data.partition(":")
        if kind == "topic" and value in GUIDANCE_TOPICS:
            return Outcome(self._topic(turn, value))
        if data == "person":
            return Outcome(topics.person_wanted(turn))
        if data == "menu":
            return Outcome(fallback.menu(turn))
        if kind == "lang" and value in SUPPORTED:
            return self._choose_language(turn, value)
        # Forged or outdated button data: never trusted, never an error.
        return Outcome(fallback.stale_button(turn))

    def _choose_language(self, turn: Turn, code: str) -> Outcome:
        return Outcome(language.language_set(replace(turn, language=code)), chosen_language=code)
