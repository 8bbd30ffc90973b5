"""Greeting, help, thanks, goodbye and everyday chat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.actions import Act, Action
from bot.replies import Button, Reply
from flows.handoff import TOPIC_NAMES
from flows.menu import topic_menu
from flows.turn import N_, Turn
from nlu.topics import topic_of


def greet(turn: Turn) -> list[Reply]:
    _ = turn._
    hello = _("Hi {name}!").format(name=turn.embed(turn.first_name)) if turn.first_name else _("Hi!")
    intro = _(
        "I am Broen, a guide for young people and parents. I can help with admission to youth "
        "education, when the open guidance is open, and how to find a leisure job. "
        "Write your question in your own language, or choose a topic:"
    )
    return [turn.reply(f"{hello} {intro}", topic_menu(turn))]


def help_menu(turn: Turn) -> list[Reply]:
    _ = turn._
    text = _(
        "I can answer questions about admission to youth education, the opening hours of the "
        "open guidance, and leisure jobs. When you need a person, I can help you reach a "
        "counsellor. You can write in Danish, English, Arabic, Somali, Turkish, Urdu, Farsi or "
        "Ukrainian; /language changes the language. Choose a topic:"
    )
    return [turn.reply(text, topic_menu(turn))]


def thanks(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("You are welcome! Write again any time."))]


def goodbye(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("Bye for now. Write again any time, also in the evening."))]


def anything_else(turn: Turn) -> list[Reply]:
    """After "ok", "haa", "tamam": no question to answer, so the way on."""
    return [turn.reply(turn._("Good. Is there anything else I can help you with?"), topic_menu(turn))]


def not_sure(turn: Turn) -> list[Reply]:
    """After "idk", "ved ikke", "bilmiyorum": not a failed understanding, and a person
    may help more than another question."""
    text = turn._("That is fine. If you are not sure, a counsellor can help you think it through. "
                  "Choose a topic, or talk to a person:")
    return [turn.reply(text, topic_menu(turn))]


def chitchat(turn: Turn) -> list[Reply]:
    """A laugh, a sigh, "this homework is killing me 😩": heard, not refused as out of
    scope, and the way on (the crisis stage has already looked at it)."""
    return [turn.reply(turn._("I hear you! Is there anything I can help you with?"), topic_menu(turn))]


def joke(turn: Turn) -> list[Reply]:
    """"Tell me a joke": a smile back rather than "outside what I can help with"."""
    text = turn._("I am better at answers than at jokes 🙂 Ask me about youth education, the open guidance "
                  "or leisure jobs, or choose a topic:")
    return [turn.reply(text, topic_menu(turn))]


def other_question_label(gettext: Callable[[str], str], intent: str) -> str:
    """"Your other question: leisure jobs", on the button and wherever the press is shown."""
    return gettext(N_("Your other question: {topic}")).format(topic=gettext(TOPIC_NAMES[topic_of(intent)]))


def with_other_question(turn: Turn, answer: Reply, intent: str) -> Reply:
    """The answer, with the message's other question first among its buttons."""
    label = other_question_label(turn._, intent)
    return replace(answer, buttons=(Button(label, Action(Act.ASK, intent).encode()), *answer.buttons))
