"""The crisis safety net: catches variant spellings, stays quiet on ordinary questions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.crisis import CrisisLexicon
from nlu.heldout_data import heldout_files, read_examples

DATA = Path(__file__).resolve().parent.parent / "nlu" / "data"


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil ikke leve mere",
        "i want to die",
        "kendimi oldurmek istiyorum",  # Turkish without Turkish letters
        "میخواهم خودکشی کنم",  # Farsi without the half-space
        "انا بدي انتحر",
        "хочу умереть",
    ],
)
def test_catches_crisis_wording_across_spellings(lexicon, text):
    assert lexicon.matches(text)


def test_apostrophes_do_not_matter():
    lexicon = CrisisLexicon(["can't go on"])
    assert lexicon.matches("i cant go on") and lexicon.matches("i can’t go on") and lexicon.matches("I CAN'T GO ON")


def test_prefix_and_whole_word_terms():
    lexicon = CrisisLexicon(["selvmord*", "vil dø"])
    assert lexicon.matches("jeg har selvmordstanker")
    assert lexicon.matches("jeg VIL  dø")
    assert not lexicon.matches("jeg vil dørene skal være åbne")


def _training_examples() -> list[tuple[str, str]]:
    examples = []
    for path in sorted(DATA.glob("nlu_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        examples.append((block["intent"], line.strip()[2:]))
    return examples


def test_never_fires_on_ordinary_guidance_questions(lexicon):
    ordinary = [text for intent, text in _training_examples() if intent != "crisis"]
    ordinary += [e.text for e in read_examples(heldout_files()) if e.topic != "crisis"]
    false_alarms = [text for text in ordinary if lexicon.matches(text)]
    assert len(ordinary) > 1000
    assert false_alarms == []
