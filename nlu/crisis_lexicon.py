"""The crisis lexicon: phrases that on their own show a crisis, per category.

One YAML file per language (``nlu/crisis/<lang>.yml``), all used for every message,
since people mix languages and scripts:

- ``terms``: per category (suicide, violence, forced_marriage, homeless, danger);
- ``idioms``: everyday phrases with crisis-like words ("dør af grin", "this homework is
  killing me"), blanked out before anything else looks at the text;
- ``negations``: words that, just before a term, negate it ("not", "aldrig");
- ``others``: words showing the writer speaks about someone else ("my friend").

Text and phrases are compared after ``nlu.text.fold`` (lower case, no diacritics,
Arabic-script letters folded, æ/ø spelled out, repeated letters squeezed). A plain
phrase matches whole words; a word ending in ``*`` matches any word starting with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.text import fold

DEFAULT_DIR = Path(__file__).with_name("crisis")
CATEGORIES = ("suicide", "violence", "forced_marriage", "homeless", "danger")
# A negation this many words before a phrase negates it ("I would never hurt myself").
NEGATION_REACH = 3
_WORD = re.compile(r"\w+", re.UNICODE)


class BadLexicon(ValueError):
    pass


@dataclass(frozen=True)
class Hit:
    category: str
    phrase: str  # the words in the message that matched
    negated: bool


class _Node:
    """A step in the phrase index: the next word, exact or as a prefix."""

    __slots__ = ("exact", "prefixes", "ends")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}
        self.prefixes: dict[str, list[tuple[str, _Node]]] = {}  # by the prefix's first two letters
        self.ends: set[str] = set()  # what a phrase ending here means (its category)

    def step(self, word: str, prefix: bool) -> _Node:
        if not prefix:
            return self.exact.setdefault(word, _Node())
        bucket = self.prefixes.setdefault(word[:2], [])
        for known, node in bucket:
            if known == word:
                return node
        node = _Node()
        bucket.append((word, node))
        return node

    def following(self, token: str) -> list[_Node]:
        found = [self.exact[token]] if token in self.exact else []
        for key in {token[:2], token[:1]}:
            found += [node for prefix, node in self.prefixes.get(key, ()) if token.startswith(prefix)]
        return found


class _PhraseIndex:
    """Phrases as sequences of words, matched over a message's words. Much faster than
    one regular expression with thousands of alternatives (about 0.1 ms a message, not 9)."""

    def __init__(self) -> None:
        self._root = _Node()
        self.size = 0

    def add(self, phrase: str, meaning: str) -> None:
        words: list[tuple[str, bool]] = []
        for written in fold(phrase).split():
            prefix = written.endswith("*")
            parts = _WORD.findall(written.rstrip("*"))  # "self-harm" is two words, as in messages
            words += [(part, prefix and i == len(parts) - 1) for i, part in enumerate(parts)]
        if not words:
            return
        node = self._root
        for word, prefix in words:
            node = node.step(word, prefix)
        node.ends.add(meaning)
        self.size += 1

    def find(self, tokens: list[str | None]) -> list[tuple[int, int, str]]:
        """(start, end, meaning) of every phrase in the tokens; None breaks a phrase."""
        found = []
        for start in range(len(tokens)):
            frontier = [self._root]
            for end in range(start, len(tokens)):
                token = tokens[end]
                if token is None:
                    break
                frontier = [after for node in frontier for after in node.following(token)]
                if not frontier:
                    break
                found += [(start, end + 1, meaning) for node in frontier for meaning in node.ends]
        return found


def _index(phrases: dict[str, list[str]]) -> _PhraseIndex:
    index = _PhraseIndex()
    for meaning, entries in phrases.items():
        for phrase in entries:
            index.add(phrase, meaning)
    return index


class CrisisLexicon:
    def __init__(
        self,
        terms: dict[str, list[str]],
        idioms: list[str] = (),
        negations: list[str] = (),
        others: list[str] = (),
    ) -> None:
        unknown = set(terms) - set(CATEGORIES)
        if unknown:
            raise BadLexicon(f"unknown categor{'ies' if len(unknown) > 1 else 'y'} {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(CATEGORIES)}")
        self._terms = _index(terms)
        if not self._terms.size:
            raise BadLexicon("the crisis lexicon has no terms")
        self._idioms = _index({"idiom": list(idioms)})
        self._negations = frozenset(word for entry in negations for word in _WORD.findall(fold(entry)))
        self._others = _index({"other": list(others)})

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIR) -> CrisisLexicon:
        terms: dict[str, list[str]] = {}
        idioms: list[str] = []
        negations: list[str] = []
        others: list[str] = []
        for path in sorted(directory.glob("*.yml")):
            body = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for category, phrases in (body.get("terms") or {}).items():
                if category not in CATEGORIES:
                    raise BadLexicon(f"{path}: terms.{category}: unknown category; known: {', '.join(CATEGORIES)}")
                terms.setdefault(category, []).extend(str(p) for p in phrases or [])
            idioms += [str(p) for p in body.get("idioms") or []]
            negations += [str(p) for p in body.get("negations") or []]
            others += [str(p) for p in body.get("others") or []]
        return cls(terms, idioms, negations, others)

    def _words(self, text: str) -> list[str | None]:
        """The folded words of the text, with everyday idioms blanked out (None)."""
        tokens: list[str | None] = list(_WORD.findall(fold(text)))
        for start, end, _ in self._idioms.find(tokens):
            tokens[start:end] = [None] * (end - start)
        return tokens

    def hits(self, text: str) -> list[Hit]:
        """Every crisis phrase in the text, in order, each marked negated when a negation
        stands just before it. Idioms never count."""
        tokens = self._words(text)
        hits = []
        for start, end, category in sorted(self._terms.find(tokens)):
            before = [token for token in tokens[max(0, start - NEGATION_REACH) : start] if token]
            negated = any(token in self._negations for token in before)
            hits.append(Hit(category, " ".join(token or "" for token in tokens[start:end]), negated))
        return hits

    def about_someone_else(self, text: str) -> bool:
        return bool(self._others.find(list(_WORD.findall(fold(text)))))
