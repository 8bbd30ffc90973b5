"""The product topics every intent belongs to.

An intent's topic is its prefix (``admission_gymnasium`` -> ``admission``), so the
Rasa domain stays the one place that lists intents.
"""

from pathlib import Path

import yaml

TOPICS: tuple[str, ...] = (
    "admission",
    "opening_hours",
    "leisure_job",
    "handoff",
    "crisis",
    "smalltalk",
    "other",
)

# The intents the model knows, from the Rasa domain (the one place that lists them).
INTENTS: frozenset[str] = frozenset(
    yaml.safe_load((Path(__file__).with_name("domain.yml")).read_text(encoding="utf-8"))["intents"])

# Rasa's FallbackClassifier renames low-confidence predictions to this intent.
FALLBACK_INTENT = "nlu_fallback"


def topic_of(intent: str) -> str:
    """Return the topic of an intent name; unknown and fallback intents are "other"."""
    for topic in TOPICS:
        if intent == topic or intent.startswith(topic + "_"):
            return topic
    return "other"
