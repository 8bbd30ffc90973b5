"""A message with more than one question: where one ends and the next begins.

"Are you open tomorrow? And can you help my son with a CV" is two questions; the bot
answers the first and offers the second (see `Understander.understand_message`).
The split happens after ? ؟ ! . and line breaks, and before the words that start a
second question in each language (`questions.yml`: "btw", "bi de", "وكمان", "і ще").
A greeting before a comma ("salam, متى تفتحون") is no question either: `after_greeting`
gives what follows it; `last_question` gives the question after a line of chat ("the
heat is killing me, is it this hot tomorrow too?").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from nlu.short_replies import short_reply

# A part shorter than this is no question of its own ("ok.", "Hi!").
MIN_WORDS = 3
QUESTION_MARKS = ("?", "؟")
_ENDS = r"(?<=[?؟!])\s*|\n+|(?<=\.)\s+"
_FIRST_COMMA = re.compile(r"\s*[,،]\s*")
# Where a clause of chat ends before a question: punctuation, a line break or an emoji
# ("the heat is killing me today, is it this hot tomorrow too?", "البرد يقتل 🥶 وش الجو بكرة؟").
_CLAUSE_END = re.compile(r"[,،;.!\n\u2600-\u27BF\U0001F300-\U0001FAFF]+\s*")


@cache
def _splitter() -> re.Pattern[str]:
    markers = yaml.safe_load(Path(__file__).with_name("questions.yml").read_text(encoding="utf-8"))
    words = sorted({word.casefold() for words in markers.values() for word in words}, key=len, reverse=True)
    starts = r"[,،;]?\s+(?=(?:%s)(?:\W|$))" % "|".join(re.escape(word) for word in words)
    return re.compile(f"{_ENDS}|{starts}", re.IGNORECASE)


def questions(text: str) -> list[str]:
    """The message's parts that are long enough to be questions, in order. When the
    message asks with a question mark, a sentence ending in a full stop is the context
    ("My son is in 9th grade. He wants to be an electrician. Which school?"), not a
    question of its own."""
    parts = [part.strip(" ,،;") for part in _splitter().split(text)]
    parts = [part for part in parts if len(part.split()) >= MIN_WORDS]
    if any(part.endswith(QUESTION_MARKS) for part in parts):
        parts = [part for part in parts if not part.endswith(".")]
    return parts


def only_asks(text: str) -> bool:
    """Nothing but question marks ("?", "??", "؟"): a question, if not in words."""
    marks = text.replace(" ", "")
    return bool(marks) and all(mark in QUESTION_MARKS for mark in marks)


def last_question(text: str) -> str | None:
    """The last clause of a message that ends in a question mark, when chat comes before
    it and it is long enough to be a question; else None."""
    text = text.strip()
    if not text.endswith(QUESTION_MARKS):
        return None
    clauses = [clause.strip() for clause in _CLAUSE_END.split(text) if clause.strip()]
    if len(clauses) < 2 or len(clauses[-1].split()) < MIN_WORDS:
        return None
    return clauses[-1]


def after_greeting(text: str) -> str | None:
    """What follows a greeting or thanks and a comma ("salam, متى تفتحون يوم الثلاثاء؟"),
    when it is long enough to be a question; else None."""
    head, *rest = _FIRST_COMMA.split(text.strip(), maxsplit=1)
    if not rest or short_reply(head) is None or len(rest[0].split()) < MIN_WORDS:
        return None
    return rest[0]
