"""Reminders, only when asked: the buttons, what Broen says when one is set or stopped,
and the reminders themselves."""

from __future__ import annotations

from datetime import date, datetime

from bot.replies import Reply
from bot.site import Desk, Hours
from bot.store.reminders import Planned, ReminderKind
from flows.formatting import day, long_date, names, span, time_of_day
from flows.menu import opening_reminder_button, person_or_menu
from flows.opening_hours import asked_day_line, opens_again_line
from flows.turn import N_, Turn

STOP_HINT = N_("/stop_reminders stops all reminders.")
# What a reminder is about, in /mydata.
ABOUT = {ReminderKind.OPENING: N_("the open guidance"), ReminderKind.DEADLINE: N_("the application deadline")}


def _moment(turn: Turn, when: datetime) -> str:
    """"torsdag 26. november 14.00" (Turn.fill keeps it together in right-to-left text)."""
    return f"{day(turn, when.date())} {time_of_day(turn, when.time())}"


def will_remind(turn: Turn, moments: list[datetime]) -> list[Reply]:
    """The answer to a press: when the reminders will come (a second press says it again)."""
    _ = turn._
    if len(moments) == 1:
        text = turn.fill(N_("I will remind you on {moment}."), moment=_moment(turn, moments[0]))
    else:
        text = turn.fill(N_("I will remind you on {moments}."),
                         moments=names(turn, [turn.embed(_moment(turn, m)) for m in moments]))
    return [turn.reply(f"{text}\n{_(STOP_HINT)}", person_or_menu(turn))]


def no_opening_ahead(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("The desk has no opening planned yet that I can remind you of. A counsellor can tell you more."),
                       person_or_menu(turn))]


def deadline_too_close(turn: Turn, deadline: date) -> list[Reply]:
    return [turn.reply(turn.fill(N_("The deadline is {date}: too close for a reminder. Apply on optagelse.dk now."),
                                 date=long_date(turn, deadline)), person_or_menu(turn))]


def stopped(turn: Turn, count: int) -> list[Reply]:
    if count == 0:
        return [turn.reply(turn._("You have no reminders."))]
    return [turn.reply(turn._("Stopped: you get no more reminders."))]


def listed(turn: Turn, reminder: Planned) -> str:
    """One line of /mydata."""
    return turn.fill(N_("Reminder: {value}"), value=f"{_moment(turn, reminder.due_at)}, {turn._(ABOUT[reminder.kind])}")


def opening(turn: Turn, desk: Desk, when: date, hours: Hours) -> Reply:
    """The reminder itself: today (the usual case), or on a named day (sent the evening
    before, when the desk opens too early for a reminder that morning)."""
    values = dict(desk=desk.name, address=desk.address, hours=span(turn, hours))
    if when == turn.now.date():
        text = turn.fill(N_("Reminder: {desk} is open today, {hours}, at {address}."), **values)
    else:
        text = turn.fill(N_("Reminder: {desk} is open on {day}, {hours}, at {address}."),
                         day=day(turn, when), **values)
    return turn.reply(f"{text}\n{turn._(STOP_HINT)}", person_or_menu(turn))


def cancelled(turn: Turn, desk: Desk, when: date) -> Reply:
    """Instead of a reminder of an opening that was cancelled since: why, when it opens
    again, and the button to be reminded of that one."""
    lines = [turn.fill(N_("About your reminder for {desk}:"), desk=desk.name), asked_day_line(turn, desk, when)]
    if (again := opens_again_line(turn, desk, when)) is not None:
        lines.append(again)
    return turn.reply("\n".join(lines), (*opening_reminder_button(turn, desk.id), *person_or_menu(turn)))


def deadline(turn: Turn, when: date, for_child: bool) -> Reply:
    message = (N_("Reminder: your child applies for youth education on optagelse.dk by {date}.") if for_child
               else N_("Reminder: apply for youth education on optagelse.dk by {date}."))
    text = turn.fill(message, date=long_date(turn, when))
    return turn.reply(f"{text}\n{turn._(STOP_HINT)}", person_or_menu(turn))
