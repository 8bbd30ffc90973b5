"""What a message means: the NLU model's parse with the crisis lexicon on top."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from nlu.client import NluClient, NluUnavailable, Parse
from nlu.crisis import CrisisLexicon
from nlu.topics import FALLBACK_INTENT, topic_of

log = logging.getLogger(__name__)

Source = Literal["nlu", "lexicon", "unavailable"]


@dataclass(frozen=True)
class Understanding:
    intent: str
    topic: str
    confidence: float
    source: Source
    entities: list[dict] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        """False when the model was unsure or the service was down."""
        return self.source != "unavailable" and self.intent != FALLBACK_INTENT


def top_intent(parse: Parse) -> tuple[str, float]:
    """The model's best intent and confidence, before the fallback threshold."""
    for name, confidence in parse.ranking:
        if name != FALLBACK_INTENT:
            return name, confidence
    return parse.intent, parse.confidence


def is_crisis(parse: Parse) -> bool:
    """Crisis when the model ranks it first, however unsure: a missed crisis costs far
    more than showing the helpline numbers once too often."""
    return top_intent(parse)[0] == "crisis"


class Understander:
    def __init__(self, client: NluClient, lexicon: CrisisLexicon) -> None:
        self._client = client
        self._lexicon = lexicon

    async def understand(self, text: str) -> Understanding:
        # The lexicon is checked first and wins: it works even when the service is down.
        if self._lexicon.matches(text):
            return Understanding(intent="crisis", topic="crisis", confidence=1.0, source="lexicon")
        try:
            parse = await self._client.parse(text)
        except NluUnavailable as exc:
            log.warning("NLU service unavailable: %s", exc)
            return Understanding(intent="", topic="other", confidence=0.0, source="unavailable")
        if is_crisis(parse):
            return Understanding("crisis", "crisis", top_intent(parse)[1], "nlu", parse.entities)
        return Understanding(
            intent=parse.intent,
            topic=topic_of(parse.intent),
            confidence=parse.confidence,
            source="nlu",
            entities=parse.entities,
        )
