"""Marker words for Arabic, Urdu, Persian and Ukrainian typed in Latin letters (Arabizi
"ana bde a3ref", Roman Urdu "mujhe nahi pata", Finglish "mikham beram", translit "ya ne
znayu"), which general detectors took for English, Somali or Turkish, and for the
one-word first message ("shukriya", "evet", "tashakor", "haa"). They are checked before
Broen's own language identifier, which now learns most of this itself (on the
development sets the markers add about 0.2 points, in Somali).

The markers (``nlu/transliteration.yml``) are words common in one language's training
messages and rare in every other language's, learnt from the training data by
``python -m nlu.transliteration`` (run it after adding training data; a test fails
when the file is behind the data). Never from evaluation sets.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from nlu.text import fold
from nlu.training_data import crisis_rows, intent_examples

NLU_DIR = Path(__file__).resolve().parent
MARKERS_FILE = NLU_DIR / "transliteration.yml"
# Languages whose Latin-letter writing lingua does not know.
TRANSLITERATED = ("ar", "ur", "fa", "uk")
LANGUAGES = ("da", "en", "ar", "so", "tr", "ur", "fa", "uk")
SHORT_WORDS = 3  # a message this short may be recognised by a single marker
_WORD = re.compile(r"[^\W_]+")
# A digit inside a Latin word stands for an Arabic letter: "3ayez", "ente7ar", "sa2al".
_ARABIZI_WORD = re.compile(r"^[a-z]*[a-z][235789][a-z]|^[235789][a-z]{2,}")
MIN_SCORE = 2  # distinct marker words (or Arabizi words) needed to decide

# Learning: a marker is in at least `share` of its language's messages, in at most
# `other` of any other language's, and at least `ratio` times more common there.
LATIN_RULE = {"share": 0.006, "other": 0.002, "ratio": 15.0}
SHORT_RULE = {"share": 0.002, "other": 0.01, "ratio": 10.0}
MAX_MARKERS = 250


def latin_share(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum("LATIN" in unicodedata.name(char, "") for char in letters) / len(letters)


def words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


Markers = dict[str, frozenset[str]]


class Transliteration:
    def __init__(self, latin: Markers, short: Markers) -> None:
        self._latin = latin  # per transliterated language, among Latin-letter messages
        self._short = short  # per language, among all messages

    @classmethod
    def load(cls, path: Path = MARKERS_FILE) -> Transliteration:
        body = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

        def table(key: str, languages: tuple[str, ...]) -> Markers:
            return {lang: frozenset(map(str, (body.get(key) or {}).get(lang) or [])) for lang in languages}

        return cls(table("latin", TRANSLITERATED), table("short", LANGUAGES))

    def detect(self, text: str) -> str | None:
        """The language of a mostly Latin-letter text in one of the transliterations,
        when the evidence is clear; else None."""
        if latin_share(text) < 0.8:
            return None
        found = words(text)
        scores = {lang: len(found & self._latin[lang]) for lang in TRANSLITERATED}
        scores["ar"] += sum(bool(_ARABIZI_WORD.search(word)) for word in found - self._latin["ar"])
        return _clear_winner(scores, MIN_SCORE)

    def detect_short(self, text: str) -> str | None:
        """The language of a message of a few words by its marker words ("shukriya",
        "tak", "haa"), when exactly one language claims them."""
        found = words(text)
        if not found or len(found) > SHORT_WORDS:
            return None
        return _clear_winner({lang: len(found & markers) for lang, markers in self._short.items()}, 1)


def _clear_winner(scores: dict[str, int], minimum: int) -> str | None:
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, score), (_, second) = ranked[0], ranked[1]
    return best if score >= minimum and score >= 2 * second else None


def training_messages(latin_only: bool) -> dict[str, list[str]]:
    """Training messages per language (crisis and everyday data, and the first authors'
    Rasa examples), or only those mostly in Latin letters."""
    texts = [(row.lang, row.text) for row in crisis_rows()]
    texts += [(example.lang, example.text) for example in intent_examples() if example.source == "nlu"]
    found: dict[str, list[str]] = {}
    for lang, text in texts:
        if not latin_only or latin_share(text) >= 0.8:
            found.setdefault(lang, []).append(text)
    return found


def learn_markers(messages: dict[str, list[str]], languages: tuple[str, ...], share: float, other: float,
                  ratio: float) -> dict[str, list[str]]:
    shares = {}
    for lang, texts in messages.items():
        counts = Counter(word for text in texts for word in words(text) if not word.isdigit())
        shares[lang] = {word: count / len(texts) for word, count in counts.items()}
    markers = {}
    for lang in languages:
        own = shares.get(lang, {})
        others = [shares[other] for other in shares if other != lang]
        chosen = []
        for word, mine in own.items():
            theirs = max((table.get(word, 0.0) for table in others), default=0.0)
            if len(word) > 1 and mine >= share and theirs <= other and mine >= ratio * max(theirs, 1e-4):
                chosen.append((mine, word))
        markers[lang] = [word for _, word in sorted(chosen, reverse=True)[:MAX_MARKERS]]
    return markers


def main() -> int:
    # Transliteration: learnt among Latin-letter messages only, so that "shu" or "nahi"
    # stand out against English, Danish, Somali and Turkish. Short messages: among all.
    markers = {"latin": learn_markers(training_messages(latin_only=True), TRANSLITERATED, **LATIN_RULE),
               "short": learn_markers(training_messages(latin_only=False), LANGUAGES, **SHORT_RULE)}
    header = ("# Learnt from the training data by `python -m nlu.transliteration`; do not edit by hand.\n"
              "# Words common in one language's Latin-letter messages and rare in all others'.\n")
    MARKERS_FILE.write_text(header + yaml.safe_dump(markers, allow_unicode=True, sort_keys=True), encoding="utf-8")
    print(f"{MARKERS_FILE}: " + "; ".join(f"{key}: " + ", ".join(f"{lang} {len(found)}" for lang, found in table.items())
                                           for key, table in markers.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
