"""A crisis lexicon: the safety net under the statistical model.

A crisis message must never be missed, in any language, so a message that names
self-harm, suicide, violence or abuse counts as a crisis even when the model is
unsure or the NLU service is down. Terms live in ``nlu/crisis/<lang>.txt``: one per
line; a plain term matches as a whole word or phrase, a term ending in ``*``
matches words starting with it.
"""

from __future__ import annotations

import re
from pathlib import Path

from nlu.text import normalise

DEFAULT_DIR = Path(__file__).with_name("crisis")


def _term_pattern(term: str) -> str:
    prefix = term.endswith("*")
    words = normalise(term.rstrip("*")).split()
    body = r"\W+".join(re.escape(word) for word in words)
    return r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)")


class CrisisLexicon:
    def __init__(self, terms: list[str]) -> None:
        usable = [term for term in terms if normalise(term.rstrip("*"))]
        if not usable:
            raise ValueError("the crisis lexicon is empty")
        self._pattern = re.compile("|".join(_term_pattern(t) for t in usable))

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIR) -> CrisisLexicon:
        terms: list[str] = []
        for path in sorted(directory.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                term = line.split("#", 1)[0].strip()
                if term:
                    terms.append(term)
        return cls(terms)

    def matches(self, text: str) -> bool:
        return self._pattern.search(normalise(text)) is not None
