"""Broen's own language identifier: a linear model (``nlu.hashed_model``) over
character n-grams, trained by ``nlu/language_train.py`` on every labelled message
Broen has, in all eight languages.

General detectors know standard text; our writers mix Danish words into Somali, write
Arabic in Latin letters with digits ("3ayez a2addem"), Urdu as Roman Urdu and Farsi
as Finglish. Trained on exactly that, this model tells them apart where a general
detector guesses, and it needs a few MB instead of a detector's few hundred.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from nlu.hashed_model import HashedModel

MODEL_FILE = Path(__file__).with_name("models") / "language.bin"
MAX_WORD = 30  # longer "words" are links or keyboard mash

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def features(text: str) -> list[str]:
    """Whole words and character 1-4-grams inside words, of the lower-cased text.
    Unlike the crisis features, letters are not folded: ي/ی, ک/ك, ے, ı and æ/ø are
    exactly what tells the languages apart."""
    words = _WORDS.findall(unicodedata.normalize("NFC", text.casefold()))
    found = ["w " + word for word in words]
    for word in words:
        if len(word) > MAX_WORD:
            continue
        padded = f" {word} "
        for n in range(1, 5):
            found += [padded[i : i + n] for i in range(len(padded) - n + 1) if padded[i : i + n].strip()]
    return found


class LanguageModel:
    def __init__(self, model: HashedModel) -> None:
        self._model = model
        self.languages = model.classes

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LanguageModel:
        return cls(HashedModel.load(path, features))

    def best(self, text: str, among: frozenset[str] | None = None) -> tuple[str, float] | None:
        """The likeliest language and its probability, or None for text without letters.
        With `among`, only those languages count, their probabilities renormalised."""
        scores = self._model.scores(text)
        if not scores:
            return None
        if among:
            total = sum(scores[language] for language in among)
            scores = {language: scores[language] / total for language in among}
        language = max(scores, key=scores.__getitem__)
        return language, scores[language]
