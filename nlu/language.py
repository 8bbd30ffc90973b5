"""Detect which of Broen's languages a message is written in.

Uses lingua (a maintained detector that works on short text) restricted to the
supported languages. Danish domain words (gymnasiet, fritidsjob, UU) are removed
first because young people mix them into every language. A guess is returned only
when lingua is confident; otherwise the caller falls back (see bot.language).
"""

from __future__ import annotations

import re
from pathlib import Path

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from nlu.short_replies import short_reply
from nlu.transliteration import Transliteration

SUPPORTED: tuple[str, ...] = ("da", "en", "ar", "so", "tr", "ur", "fa", "uk")

_TERMS_FILE = Path(__file__).with_name("danish_terms.txt")
_TOKEN = re.compile(r"[\w.-]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

# Below these, a single message says too little ("ok", "hej?") to trust.
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 3
# To change the language of a conversation already under way, a message must say more:
# "tak", "ok tak", "thx" or "haha" never turn a Somali chat Danish or Turkish.
SWITCH_MIN_LETTERS = 10
SWITCH_MIN_WORDS = 2


def _load_terms(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class LanguageDetector:
    def __init__(self, languages: tuple[str, ...] = SUPPORTED) -> None:
        lingua_languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages
        ]
        self._detector = (
            LanguageDetectorBuilder.from_languages(*lingua_languages)
            .with_preloaded_language_models()
            .build()
        )
        self._danish_terms = _load_terms(_TERMS_FILE)
        self._transliteration = Transliteration.load()

    def _without_danish_terms(self, text: str) -> str:
        kept = [tok for tok in _TOKEN.findall(text) if tok.lower().strip(".-") not in self._danish_terms]
        return " ".join(kept)

    def detect(self, text: str, switching: bool = False) -> str | None:
        """Return the ISO 639-1 code of a confidently detected language, else None.

        A message of only Danish domain words ("gymnasiet?") says nothing about the
        writer's language, so it gets None too. With `switching` (the conversation
        already has a language) a short message gets None: it keeps the language."""
        if not switching:  # a first message of a word or two: "shukriya", "evet", "haa"
            reply = short_reply(text)
            if reply and len(reply.languages) == 1:
                return next(iter(reply.languages))
        candidate = self._without_danish_terms(text)
        letters = len(_LETTER.findall(candidate))
        if letters < MIN_LETTERS:
            return None
        if switching and (letters < SWITCH_MIN_LETTERS or len(candidate.split()) < SWITCH_MIN_WORDS):
            return None
        transliterated = self._transliteration.detect(candidate)
        if transliterated:
            return transliterated
        if not switching and (short := self._transliteration.detect_short(candidate)):
            return short
        values = self._detector.compute_language_confidence_values(candidate)
        if not values or values[0].value < MIN_CONFIDENCE:
            return None
        return values[0].language.iso_code_639_1.name.lower()
