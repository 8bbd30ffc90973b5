"""The crisis stage: is someone in danger? Runs on everything a person writes, before
(and independently of) the intent model, and works when the NLU service is down.

Two layers, combined with thresholds calibrated on development sets written by
people who never saw the training data (``nlu/crisis/calibration.yml``):

- the lexicon (``nlu.crisis_lexicon``): phrases that on their own show a crisis, with
  everyday idioms blanked out first and negations noticed ("I would never ...");
- the classifier (``nlu.crisis_model``): a crisis probability and category.

A firm lexicon phrase or a probability at or above ``alarm`` (on a message of three
words or more) is a CRISIS: the help lines first. A negated phrase, a laughing emoji
beside what would be an alarm, or a probability at or above ``check`` is a CHECK: the
person is gently asked whether they are safe. Anything else is NONE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from nlu.crisis_lexicon import DEFAULT_DIR, CrisisLexicon
from nlu.crisis_model import MODEL_FILE, CrisisModel
from nlu.details import asks_for_child
from nlu.text import has_words

CALIBRATION_FILE = DEFAULT_DIR / "calibration.yml"
# A laughing emoji beside crisis words ("he'll kill me if I touch his PS5 😂") is
# banter far more often than not, but not always: such a message gets the gentle
# question instead of the alarm. Laughing words ("lol", "haha") are not enough: young
# people write them nervously about real danger too ("got kicked out lol, nowhere to
# sleep"); the classifier weighs them.
LAUGHTER_EMOJI = frozenset("😂🤣😆😹😜😝😄😁😅🙈")
# The classifier alone raises an alarm only on a message of at least this many words:
# "no" or "ok ok" says too little to be sure of anything; it may still ask.
MIN_WORDS_FOR_ALARM = 3


_WORDS = re.compile(r"\w+")


def laughs(text: str) -> bool:
    return any(char in LAUGHTER_EMOJI for char in text)


class Level(StrEnum):
    NONE = "none"
    CHECK = "check"  # unsure: ask "are you safe right now?"
    CRISIS = "crisis"  # the help lines first, a counsellor alerted


class Category(StrEnum):
    SUICIDE = "suicide"  # suicidal thoughts and self-harm
    VIOLENCE = "violence"  # violence or abuse at home, sexual abuse
    FORCED_MARRIAGE = "forced_marriage"  # forced marriage, honour-related control, trips abroad
    HOMELESS = "homeless"  # thrown out, nowhere to sleep
    DANGER = "danger"  # acute danger or threats


class Person(StrEnum):
    SELF = "self"
    CHILD = "child"  # a parent writing about their child
    OTHER = "other"  # a friend, a sibling, a classmate


@dataclass(frozen=True)
class Thresholds:
    alarm: float
    check: float

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Thresholds:
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
        thresholds = cls(alarm=float(body["alarm"]), check=float(body["check"]))
        if not 0.0 < thresholds.check <= thresholds.alarm < 1.0:
            raise ValueError(f"{path}: need 0 < check <= alarm < 1, got {thresholds}")
        return thresholds


@dataclass(frozen=True)
class Signal:
    level: Level
    category: Category | None = None
    person: Person = Person.SELF
    probability: float = 0.0  # the classifier's
    source: str = ""  # what decided: lexicon, classifier, negated phrase

    @property
    def is_crisis(self) -> bool:
        return self.level is Level.CRISIS


NO_SIGNAL = Signal(Level.NONE)


class CrisisScreen:
    def __init__(self, lexicon: CrisisLexicon, model: CrisisModel, thresholds: Thresholds) -> None:
        self.lexicon = lexicon
        self.model = model
        self.thresholds = thresholds

    @classmethod
    def load(cls, model_file: Path = MODEL_FILE) -> CrisisScreen:
        if not model_file.exists():
            raise FileNotFoundError(f"{model_file} is missing: `make run` or `make test` builds it")
        return cls(CrisisLexicon.load(), CrisisModel.load(model_file), Thresholds.load())

    def screen(self, text: str | None) -> Signal:
        if not text or not has_words(text):
            return NO_SIGNAL
        hits = self.lexicon.hits(text)
        # The classifier reads the whole text, idioms included: "dad will kill me if I'm
        # late" and "dad will kill me if he finds out about my boyfriend" differ only
        # in what follows the idiom, and it has learnt both kinds.
        probability, likeliest = self.model.crisis_probability(text)
        person = self._person(text)
        firm = [hit for hit in hits if not hit.negated]
        sure = probability >= self.thresholds.alarm and len(_WORDS.findall(text)) >= MIN_WORDS_FOR_ALARM
        category = Category(hits[0].category if hits else likeliest)
        source = "lexicon" if firm else "classifier" if sure else "negated phrase" if hits else "classifier"
        if (firm or sure) and not laughs(text):
            return Signal(Level.CRISIS, Category(firm[0].category) if firm else category, person, probability, source)
        if firm or sure or hits or probability >= self.thresholds.check:
            return Signal(Level.CHECK, category, person, probability, source)
        return Signal(Level.NONE, None, person, probability)

    def _person(self, text: str) -> Person:
        if asks_for_child(text):
            return Person.CHILD
        if self.lexicon.about_someone_else(text):
            return Person.OTHER
        return Person.SELF
