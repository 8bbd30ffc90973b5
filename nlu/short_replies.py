"""Short replies that carry no question ("ok", "tak", "haa", "اوكي", "добре", "shukriya"),
per language (``nlu/short_replies.yml``).

They are answered by their kind (an acknowledgement gets "anything else?", thanks get
"you're welcome", "I don't know" the offer of a counsellor; a thumbs up or folded hands
alone count too), never read as a goodbye or a failed understanding, and a one-word
first message can tell its language when only one language writes it that way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from nlu.text import fold

SHORT_REPLIES_FILE = Path(__file__).with_name("short_replies.yml")
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 4
EMOJI = "emoji"  # the file's section of emoji that mean the same in every language
ADDRESS = "address"  # the file's words that address the reader: "ok bro", "tamam abi"
# What a phone adds to an emoji without changing its meaning: skin tones, the emoji
# variation selector, the zero-width joiner with a gender sign ("🤷‍♀️"), and spaces.
_EMOJI_DECORATION = re.compile(r"[\U0001F3FB-\U0001F3FF\uFE0F\u200D\u2640\u2642\s]")


class ReplyKind(StrEnum):
    ACK = "ack"
    THANKS = "thanks"
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"  # "idk", "ved ikke", "bilmiyorum"
    GREETING = "greeting"
    BYE = "bye"


# Which kind a combination of short replies counts as: "ok tak" is thanks, "ok bye" a goodbye.
WEIGHT = [ReplyKind.ACK, ReplyKind.YES, ReplyKind.NO, ReplyKind.UNSURE, ReplyKind.GREETING, ReplyKind.THANKS,
          ReplyKind.BYE]


@dataclass(frozen=True)
class ShortReply:
    kind: ReplyKind
    languages: frozenset[str]  # the languages that write it this way


def _key(text: str) -> str:
    """Words only: "Ok!!", "ok 👍" and "OK." are one reply."""
    return " ".join(_WORD.findall(fold(text)))


def _emoji(text: str) -> list[str]:
    """The different emoji of a message without words, punctuation left out: "🙏🏽🙏🙏!"
    is folded hands."""
    return list(dict.fromkeys(char for char in _EMOJI_DECORATION.sub("", text)
                              if not unicodedata.category(char).startswith("P")))


class ShortReplies:
    def __init__(self, table: dict[str, dict[ReplyKind, list[str]]], address: list[str] = ()) -> None:
        self._kinds: dict[str, dict[str, ReplyKind]] = {}  # reply -> language -> kind
        self._address = frozenset(_key(word) for word in address)
        languages = [lang for lang in table if lang != EMOJI]
        for lang, kinds in table.items():
            emoji = lang == EMOJI  # everybody's: listed under every language
            for kind, replies in kinds.items():
                for reply in replies:
                    key = _EMOJI_DECORATION.sub("", reply) if emoji else _key(reply)
                    for writer in languages if emoji else [lang]:
                        self._kinds.setdefault(key, {})[writer] = kind

    @classmethod
    def load(cls, path: Path = SHORT_REPLIES_FILE) -> ShortReplies:
        body = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        address = [str(word) for word in body.pop(ADDRESS, [])]
        return cls({lang: {ReplyKind(kind): [str(r) for r in replies] for kind, replies in kinds.items()}
                    for lang, kinds in body.items()}, address)

    def match(self, text: str, language: str | None = None) -> ShortReply | None:
        """The reply's kind (as the conversation's language reads it, where languages
        differ: "tak" is thanks in Danish, yes in Ukrainian) and who writes it so. A few
        short replies together ("ok tak", "ok thx bye") count as the weightiest of them."""
        key = _key(text)
        if key not in self._kinds and (said := [w for w in key.split() if w not in self._address]):
            key = " ".join(said)  # "ok bro", "tamam abi": the reply without its "bro"
        parts = ([key] if key in self._kinds else key.split()) if key else _emoji(text)
        if not parts or len(parts) > MAX_WORDS or any(part not in self._kinds for part in parts):
            return None
        kinds = [self._kinds[part].get(language) or next(iter(self._kinds[part].values())) for part in parts]
        languages = frozenset.intersection(*(frozenset(self._kinds[part]) for part in parts)) \
            or frozenset(self._kinds[parts[-1]])
        return ShortReply(max(kinds, key=WEIGHT.index), languages)


@cache
def _replies() -> ShortReplies:
    return ShortReplies.load()


def short_reply(text: str, language: str | None = None) -> ShortReply | None:
    return _replies().match(text, language)
