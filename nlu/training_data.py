"""Broen's labelled training messages, read in one place for every model trained on them.

- Intent examples: ``nlu/data/<source>_<lang>.yml`` in Rasa's format (``nlu_`` the first
  authors, ``authors_`` the crisis-data authors' everyday messages, ``authors2_`` later
  independent authors).
- Crisis data: ``nlu/crisis/train/<lang>_<author>.csv`` (text, lang, topic, category, ...).
- Short first messages for the language identifier only: ``nlu/language/<lang>.csv``
  (text, lang): one to five words, the way a first message often is.

Standard library and PyYAML only (it runs with the bot's and with Rasa's Python).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

NLU_DIR = Path(__file__).resolve().parent
INTENT_DIR = NLU_DIR / "data"
CRISIS_DIR = NLU_DIR / "crisis" / "train"
LANGUAGE_DIR = NLU_DIR / "language"
_INTENT_FILE = re.compile(r"^(?P<source>[a-z0-9]+)_(?P<lang>[a-z]{2})\.yml$")
# The crisis-data authors' everyday messages are their CSV rows too.
CRISIS_AUTHORS_SOURCE = "authors"


@dataclass(frozen=True)
class IntentExample:
    text: str
    intent: str
    lang: str
    source: str  # nlu, authors, authors2, ...


@dataclass(frozen=True)
class CrisisRow:
    text: str
    lang: str
    topic: str
    category: str  # empty for an everyday message
    where: str  # file and line, for error messages


def intent_examples(directory: Path = INTENT_DIR) -> list[IntentExample]:
    examples = []
    for path in sorted(directory.glob("*.yml")):
        match = _INTENT_FILE.match(path.name)
        if not match:
            continue  # entities.yml, lookups.yml
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    examples.append(IntentExample(line.strip()[2:], block["intent"], match["lang"], match["source"]))
    return examples


def crisis_rows(directory: Path = CRISIS_DIR) -> list[CrisisRow]:
    rows = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                text = (row.get("text") or "").strip()
                if text:
                    rows.append(CrisisRow(text, row["lang"].strip(), row["topic"].strip(),
                                          (row.get("category") or "").strip(), f"{path}:{line}"))
    return rows


def language_rows(directory: Path = LANGUAGE_DIR) -> list[tuple[str, str]]:
    """(text, language) of the short first messages written for the language identifier."""
    rows = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += [(row["text"].strip(), row["lang"].strip()) for row in csv.DictReader(handle) if row["text"].strip()]
    return rows
