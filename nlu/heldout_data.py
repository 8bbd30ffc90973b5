"""Reading labelled test files: CSV with the columns text, lang, topic."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nlu.language import SUPPORTED
from nlu.topics import TOPICS

HELDOUT_DIR = Path(__file__).with_name("heldout")


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    topic: str


class BadTestFile(ValueError):
    pass


def read_examples(paths: list[Path]) -> list[Example]:
    examples: list[Example] = []
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"text", "lang", "topic"} - set(reader.fieldnames or [])
            if missing:
                raise BadTestFile(f"{path}: missing column(s) {', '.join(sorted(missing))}; need text,lang,topic")
            for line, row in enumerate(reader, start=2):
                lang, topic = row["lang"].strip(), row["topic"].strip()
                if lang not in SUPPORTED:
                    raise BadTestFile(f"{path}:{line}: language {lang!r} is not one of {', '.join(SUPPORTED)}")
                if topic not in TOPICS:
                    raise BadTestFile(f"{path}:{line}: topic {topic!r} is not one of {', '.join(TOPICS)}")
                examples.append(Example(row["text"], lang, topic))
    return examples


def heldout_files() -> list[Path]:
    return sorted(HELDOUT_DIR.glob("*.csv"))
