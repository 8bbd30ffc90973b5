"""The topic menu: the way on when free text does not work."""

from __future__ import annotations

from bot.replies import Button
from flows.turn import N_, Turn

TOPICS = (
    (N_("Education and admission"), "topic:admission"),
    (N_("Open guidance: when and where"), "topic:opening_hours"),
    (N_("Leisure jobs"), "topic:leisure_job"),
)
LEISURE = (
    (N_("Find a job"), "leisure:find"),
    (N_("Help with a CV"), "leisure:cv"),
    (N_("Pay and tax"), "leisure:pay"),
)
PERSON = (N_("Talk to a person"), "person")
MENU = (N_("Back to the menu"), "menu")


def buttons(turn: Turn, *entries: tuple[str, str]) -> tuple[Button, ...]:
    return tuple(Button(label=turn._(label), data=data) for label, data in entries)


def topic_menu(turn: Turn) -> tuple[Button, ...]:
    """The three topics and a person."""
    return buttons(turn, *TOPICS, PERSON)


def person_or_menu(turn: Turn) -> tuple[Button, ...]:
    return buttons(turn, PERSON, MENU)


def person_only(turn: Turn) -> tuple[Button, ...]:
    return buttons(turn, PERSON)


def leisure_more(turn: Turn) -> tuple[Button, ...]:
    """The other leisure-job answers, a person and the menu."""
    return buttons(turn, *LEISURE, PERSON, MENU)
