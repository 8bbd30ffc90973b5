"""Choosing the language: buttons with each language's own name."""

from __future__ import annotations

from bot.actions import Act, Action
from bot.i18n import native_name
from bot.replies import Button, Reply
from flows.turn import Turn
from nlu.language import SUPPORTED


def language_menu(turn: Turn) -> list[Reply]:
    buttons = tuple(Button(label=native_name(code), data=Action(Act.LANG, code).encode()) for code in SUPPORTED)
    return [turn.reply(turn._("Choose your language:"), buttons)]


def language_set(turn: Turn) -> list[Reply]:
    text = turn._("From now on I will write to you in {language}.").format(language=turn.embed(native_name(turn.language)))
    return [turn.reply(text)]
