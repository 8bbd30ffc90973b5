"""The topic menu: the way on when free text does not work."""

from __future__ import annotations

from bot.actions import Act, Action
from bot.replies import Button
from flows.turn import N_, Turn

TOPICS = (
    (N_("Education and admission"), Action(Act.TOPIC, "admission").encode()),
    (N_("Open guidance: when and where"), Action(Act.TOPIC, "opening_hours").encode()),
    (N_("Leisure jobs"), Action(Act.TOPIC, "leisure_job").encode()),
)
LEISURE = (
    (N_("Find a job"), Action(Act.LEISURE, "find").encode()),
    (N_("Help with a CV"), Action(Act.LEISURE, "cv").encode()),
    (N_("Pay and tax"), Action(Act.LEISURE, "pay").encode()),
)
SAFE_WORK = N_("Breaks and safety at work")
TAX = N_("Tax and frikort")
PERSON = (N_("Talk to a person"), Action(Act.PERSON).encode())
MENU = (N_("Back to the menu"), Action(Act.MENU).encode())
REMIND_OPENING = N_("Remind me")
REMIND_DEADLINE = N_("Remind me about the deadline")
DELETE_CONFIRM = ((N_("Yes, delete everything"), Action(Act.DELETE, "yes").encode()),
                  (N_("No, keep it"), Action(Act.DELETE, "no").encode()))


def buttons(turn: Turn, *entries: tuple[str, str]) -> tuple[Button, ...]:
    return tuple(Button(label=turn._(label), data=data) for label, data in entries)


def topic_menu(turn: Turn) -> tuple[Button, ...]:
    """The three topics and a person."""
    return buttons(turn, *TOPICS, PERSON)


def person_or_menu(turn: Turn) -> tuple[Button, ...]:
    return buttons(turn, PERSON, MENU)


def person_only(turn: Turn) -> tuple[Button, ...]:
    return buttons(turn, PERSON)


def leisure_more(turn: Turn, answered: str | None = None, safe_work: bool = False,
                 for_child: bool = False) -> tuple[Button, ...]:
    """The other leisure-job answers (not the one just `answered`: "find", "cv", "pay";
    with `safe_work`, first the under-18s' breaks and safety rules that a rules answer
    leaves out, worded for a parent `for_child`), a person and the menu."""
    others = [entry for entry in LEISURE if entry[1] != Action(Act.LEISURE, answered or "").encode()]
    safe = (SAFE_WORK, Action(Act.LEISURE, "safe_child" if for_child else "safe").encode())
    return buttons(turn, *((safe,) if safe_work else ()), *others, PERSON, MENU)


def opening_reminder_button(turn: Turn, desk_id: str) -> tuple[Button, ...]:
    """A reminder before the desk's next opening."""
    return buttons(turn, (REMIND_OPENING, Action(Act.REMIND, f"desk:{desk_id}").encode()))


def deadline_reminder_button(turn: Turn, for_child: bool) -> tuple[Button, ...]:
    """Reminders 14 and 2 days before the application deadline (a parent's speak to the parent)."""
    return buttons(turn, (REMIND_DEADLINE, Action(Act.REMIND, "deadline_child" if for_child else "deadline").encode()))
