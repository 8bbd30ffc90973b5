"""What a message is about: the NLU model's parse, as a topic.

Whether someone is in danger is not decided here: that is the crisis stage
(nlu.screening), which runs first, on everything, and without the NLU service.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from nlu.client import NluClient, NluUnavailable
from nlu.questions import after_greeting, last_question, questions
from nlu.topics import FALLBACK_INTENT, topic_of

log = logging.getLogger(__name__)

# A part of a message counts as a question of its own only when the model is this sure
# of it; chosen on the development sets dev1-dev4 (0.7 and 0.8 equal, 0.5 worse, and
# without the threshold the split is worse than reading the whole message).
QUESTION_CONFIDENCE = 0.7

# nlu: the model's parse; unavailable: the service was down; screen: the crisis stage;
# rule: read without the model (a short reply such as "ok", "tak", "haa"; a typed age);
# button: what a tapped button asks.
Source = Literal["nlu", "unavailable", "screen", "rule", "button"]

# How many of the model's likeliest intents `Understanding.considers` looks at.
RUNNERS_UP = 3


@dataclass(frozen=True)
class Understanding:
    intent: str
    topic: str
    confidence: float
    source: Source
    entities: list[dict] = field(default_factory=list)
    # The model's likeliest intents, likeliest first, with their confidence.
    ranking: tuple[tuple[str, float], ...] = ()

    @property
    def understood(self) -> bool:
        """False when the model was unsure or the service was down."""
        return self.source != "unavailable" and self.intent != FALLBACK_INTENT

    @property
    def sure(self) -> bool:
        """Understood, and the model sure of it."""
        return self.understood and self.confidence >= QUESTION_CONFIDENCE

    def considers(self, topic: str) -> bool:
        """Whether the topic is among the model's likeliest readings: "where is it?" reads
        0.35 finding a job and 0.26 the opening hours, and after the opening hours it is
        about them."""
        likeliest = [intent for intent, _ in self.ranking if intent != FALLBACK_INTENT][:RUNNERS_UP]
        return topic in map(topic_of, likeliest)


@dataclass(frozen=True)
class MessageUnderstanding:
    """What to answer (`first`), and a later question about another topic in the same
    message (`other`), to offer as a button."""

    first: Understanding
    other: Understanding | None = None


class Understander:
    def __init__(self, client: NluClient) -> None:
        self._client = client

    async def understand(self, text: str) -> Understanding:
        try:
            parse = await self._client.parse(text)
        except NluUnavailable as exc:
            log.warning("NLU service unavailable: %s", exc)
            return Understanding(intent="", topic="other", confidence=0.0, source="unavailable")
        return Understanding(
            intent=parse.intent,
            topic=topic_of(parse.intent),
            confidence=parse.confidence,
            source="nlu",
            entities=parse.entities,
            ranking=tuple(parse.ranking),
        )

    async def understand_message(self, text: str) -> MessageUnderstanding:
        """The message's first question answers; greetings and thanks around the
        questions ("hi, thanks! btw when do you open") are no question of their own.
        One question, or none understood on its own: the whole message decides."""
        parts = questions(text)
        if len(parts) < 2:
            return MessageUnderstanding(await self._past_the_chat(text))
        read = []
        for part in parts:
            understanding = await self.understand(part)
            if understanding.source == "unavailable":  # down or hung: no use waiting on it again
                return MessageUnderstanding(understanding)
            read.append(understanding)
        asked = [understanding for understanding in read if _asks(understanding)]
        if not asked:
            return MessageUnderstanding(await self.understand(text))
        first = asked[0]
        other = next((later for later in asked[1:] if later.topic not in (first.topic, "other")), None)
        return MessageUnderstanding(first, other)

    async def _past_the_chat(self, text: str) -> Understanding:
        """The whole message; but when that reads as small talk and a question follows a
        greeting ("salam, متى تفتحون يوم الثلاثاء؟") or a line of chat ("the heat is
        killing me, is it this hot tomorrow too?"), the question, if the model is sure of it."""
        whole = await self.understand(text)
        if whole.topic != "smalltalk":
            return whole
        after = [rest for rest in (after_greeting(text), last_question(text)) if rest]
        for rest in dict.fromkeys(after):  # often the same text: read it once
            asked = await self.understand(rest)
            if _asks(asked):
                return asked
        return whole


def _asks(understanding: Understanding) -> bool:
    """A question of its own: understood, not small talk, and the model sure of it."""
    return understanding.sure and understanding.topic != "smalltalk"
