"""The crisis classifier's features and scorer: a linear model over hashed words,
word pairs and character n-grams (``nlu.hashed_model``), trained by
``nlu/crisis_train.py`` (run by ``make``).

Runs on Python 3.10 (training) and 3.11 (the bot): standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from nlu.hashed_model import HashedModel
from nlu.text import fold

MODEL_FILE = Path(__file__).with_name("models") / "crisis.bin"
NO_CRISIS = "none"
MAX_WORD = 30  # longer "words" are links or keyboard mash: no n-grams from them
# A long message is scored in pieces of about this many characters, and the most
# worrying piece counts: a disclosure halfway through a long text must not be diluted.
PIECE_CHARS = 400

_WORDS = re.compile(r"\w+", re.UNICODE)
# Transliterated Arabic, Urdu and Farsi has no fixed spelling: "ente7ar", "ente7er",
# "entehar"; "khudkushi", "khudkhushi". Their consonant skeleton is far steadier, so
# Latin-letter words also count by it (Arabizi digits read as the letters they stand for).
_ARABIZI_DIGITS = str.maketrans({"2": "", "3": "", "5": "kh", "6": "t", "7": "h", "8": "gh", "9": "q"})
_VOWELS = re.compile(r"(?<=.)[aeiouy]+")
_LATIN = re.compile(r"[a-z]")
_SENTENCE_END = re.compile(r"(?<=[.!?؟।\n])\s+")
# "When do you open? I slept in the stairwell" - a disclosure beside an ordinary question
# is scored on its own too, so the question's words cannot dilute it.
_CLAUSE_END = re.compile(r"(?<=[!?؟।\n;])\s*|(?<=\.)\s+")  # "4.5" is no sentence end
MIN_CLAUSE_WORDS = 3


def features(text: str) -> list[str]:
    """Words, word pairs and character 2-5-grams inside words, of the folded text, and
    the emoji: "he will kill me 😂" is banter far more often than "he will kill me"."""
    words = _WORDS.findall(fold(text))
    found = ["w " + word for word in words]
    found += ["e " + char for char in text if unicodedata.category(char) == "So"]
    skeletons = [_skeleton(word) for word in words if _LATIN.search(word)]
    found += ["s " + skeleton for skeleton in skeletons]
    found += ["t " + a + " " + b for a, b in zip(skeletons, skeletons[1:])]
    found += ["b " + a + " " + b for a, b in zip(words, words[1:])]
    for word in words:
        if len(word) > MAX_WORD:
            continue
        padded = f" {word} "
        for n in range(2, 6):
            found += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return found


def _skeleton(word: str) -> str:
    """"ente7er" -> "enthr", "khudkushi" -> "khdksh": the first letter and the consonants."""
    return _VOWELS.sub("", word.translate(_ARABIZI_DIGITS).replace("kh", "k").replace("sh", "s")) or word


def pieces(text: str) -> list[str]:
    """The text in pieces of about PIECE_CHARS, cut between sentences where possible."""
    if len(text) <= PIECE_CHARS:
        return [text]
    result, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > PIECE_CHARS:  # one endless sentence: cut it at a space
            cut = sentence.rfind(" ", 0, PIECE_CHARS)
            cut = cut if cut > 0 else PIECE_CHARS
            result.append((current + " " + sentence[:cut]).strip())
            current, sentence = "", sentence[cut:]
        if len(current) + len(sentence) > PIECE_CHARS:
            result.append(current.strip())
            current = ""
        current += " " + sentence
    if current.strip():
        result.append(current.strip())
    return [piece for piece in result if piece]


def clauses(piece: str) -> list[str]:
    """The sentences of a piece of text that are scored on their own: those of at least
    MIN_CLAUSE_WORDS words, when there is more than one. Training adds the clauses of
    everyday messages as everyday rows, so a fragment ("har aldrig skrevet en") is
    judged as the classifier learnt it, not as a crisis out of context."""
    found = [c for c in _CLAUSE_END.split(piece) if len(_WORDS.findall(c)) >= MIN_CLAUSE_WORDS]
    return found if len(found) > 1 else []


class CrisisModel:
    """The crisis classifier: a ``HashedModel`` over this module's features, scoring a
    long message by its most worrying piece or sentence."""

    def __init__(self, model: HashedModel) -> None:
        self._model = model
        self.classes = model.classes
        self.meta = model.meta

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> CrisisModel:
        return cls(HashedModel.load(path, features))

    def piece_probabilities(self, text: str) -> dict[str, float]:
        """One piece of text, scored exactly as scikit-learn would score it."""
        scores = self._model.scores(text)
        return scores if scores is not None else {name: float(name == NO_CRISIS) for name in self.classes}

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per class (NO_CRISIS and each category), of the most worrying of:
        the text (in pieces, when long) and each of its sentences."""
        parts = pieces(text)
        for piece in parts[:]:
            parts += clauses(piece)
        scored = [self.piece_probabilities(part) for part in parts]
        return max(scored, key=lambda p: 1.0 - p[NO_CRISIS])

    def crisis_probability(self, text: str) -> tuple[float, str]:
        """How likely the text shows a crisis, and the likeliest category."""
        probabilities = self.probabilities(text)
        category = max((name for name in self.classes if name != NO_CRISIS), key=probabilities.__getitem__)
        return 1.0 - probabilities[NO_CRISIS], category
