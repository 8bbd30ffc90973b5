"""When Broen cannot help with a message: say so kindly and show the way on."""

from __future__ import annotations

from bot.replies import Reply
from flows.menu import topic_menu
from flows.turn import Turn


def not_understood(turn: Turn) -> list[Reply]:
    """The first time; the second time in a row, a person is offered (flows.handoff)."""
    _ = turn._
    return [turn.reply(_("Sorry, I did not quite understand. Could you say it in other words, or choose a topic?"), topic_menu(turn))]


def out_of_scope(turn: Turn) -> list[Reply]:
    _ = turn._
    text = _(
        "That is outside what I can help with. I can help with admission to youth education, "
        "the open guidance and leisure jobs. Choose a topic:"
    )
    return [turn.reply(text, topic_menu(turn))]


def understanding_unavailable(turn: Turn) -> list[Reply]:
    _ = turn._
    text = _("I cannot read free text properly right now. Please choose a topic, or talk to a person:")
    return [turn.reply(text, topic_menu(turn))]


def empty(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("Your message was empty. Write your question, or choose a topic:"), topic_menu(turn))]


def emoji_only(turn: Turn) -> list[Reply]:
    text = turn._("I can see emoji, but I understand words best. Write your question, or choose a topic:")
    return [turn.reply(text, topic_menu(turn))]


def not_text(turn: Turn) -> list[Reply]:
    text = turn._("I can only read text for now. Please write your question, or choose a topic:")
    return [turn.reply(text, topic_menu(turn))]


def long_message(turn: Turn) -> list[Reply]:
    text = turn._("That was a long message. I have saved all of it, and I answer what it starts with.")
    return [turn.reply(text)]


def unknown_command(turn: Turn) -> list[Reply]:
    text = turn._("I do not know that command. Try /start, /help or /language.")
    return [turn.reply(text, topic_menu(turn))]


def stale_button(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("That button no longer works. Here is the menu:"), topic_menu(turn))]


def menu(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("Choose a topic:"), topic_menu(turn))]


def internal_error(turn: Turn) -> list[Reply]:
    text = turn._("Sorry, something went wrong on my side. Your message is saved. Please try again, or choose a topic:")
    return [turn.reply(text, topic_menu(turn))]
