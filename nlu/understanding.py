"""What a message is about: the NLU model's parse, as a topic.

Whether someone is in danger is not decided here: that is the crisis stage
(nlu.screening), which runs first, on everything, and without the NLU service.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from nlu.client import NluClient, NluUnavailable
from nlu.topics import FALLBACK_INTENT, topic_of

log = logging.getLogger(__name__)

# nlu: the model's parse; unavailable: the service was down; screen: the crisis stage;
# rule: a short reply recognised without the model ("ok", "tak", "haa").
Source = Literal["nlu", "unavailable", "screen", "rule"]


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
        )
