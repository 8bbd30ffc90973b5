"""Open guidance: where the desk is, whether it is open now, on a named day or in a
named holiday, and when it opens next."""

from __future__ import annotations

from datetime import date, timedelta

from bot.replies import Reply
from bot.schedule import is_holiday, openings_on, status
from bot.site import Desk, Hours, Site
from flows.formatting import day, names, span, time_of_day, weekly
from flows.menu import person_or_menu
from flows.turn import N_, Turn

PERIOD_NAMES = {
    "autumn_holiday": N_("the autumn holiday"),
    "christmas": N_("the Christmas holidays"),
    "winter_holiday": N_("the winter holiday"),
    "easter": N_("the Easter holidays"),
    "summer_holiday": N_("the summer holiday"),
}


def _capitalised(line: str) -> str:
    return line[:1].upper() + line[1:]  # weekday names are lower case in many languages


def _asked_day_line(turn: Turn, hours: tuple[Hours, ...], asked: date) -> str:
    _ = turn._
    name = turn.embed(day(turn, asked))
    if hours:
        spans = ", ".join(span(turn, h) for h in hours)
        line = _("On {day} it is open {hours}.").format(day=name, hours=turn.embed(spans))
    elif is_holiday(asked):
        line = _("On {day} it is closed: it is a public holiday.").format(day=name)
    else:
        line = _("On {day} it is closed.").format(day=name)
    return _capitalised(line)


def _period_line(turn: Turn, site: Site, desk: Desk, period: str) -> str:
    """The openings in the next (or current) occurrence of a named holiday."""
    _ = turn._
    label = _(PERIOD_NAMES[period])
    today = turn.now.date()
    upcoming = sorted((p for p in site.periods if p.name == period and p.last >= today), key=lambda p: p.first)
    if not upcoming:
        return _("I do not know the dates of {period} here yet. A counsellor can tell you.").format(period=label)
    first, last = upcoming[0].first, upcoming[0].last
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    openings = [f"{day(turn, d)} {span(turn, h)}" for d in days if d >= today for h in openings_on(desk, d)]
    dates = turn.embed(f"{day(turn, first)} - {day(turn, last)}")
    if openings:
        return _capitalised(
            _("In {period} ({dates}) it is open: {openings}.").format(
                period=label, dates=dates, openings=turn.embed(names(turn, openings))
            )
        )
    return _capitalised(_("In {period} ({dates}) it is closed.").format(period=label, dates=dates))


def opening_hours(turn: Turn, site: Site, asked: date | None = None, period: str | None = None) -> list[Reply]:
    """Where each desk is; the asked day or holiday, if one was named; open now or a
    holiday; the next opening; and the usual hours."""
    _ = turn._
    texts = []
    for desk in site.desks:
        now = status(desk, turn.now)
        lines = [_("Open guidance: {desk}, {address}.").format(desk=turn.embed(desk.name), address=turn.embed(desk.address))]
        if period:
            lines.append(_period_line(turn, site, desk, period))
        elif asked and asked != turn.now.date():
            lines.append(_asked_day_line(turn, openings_on(desk, asked), asked))
        elif now.open_now:
            lines.append(_("It is open now, until {end}.").format(end=turn.embed(time_of_day(turn, now.open_now.end))))
        elif now.holiday_today:
            lines.append(_("Today is a public holiday, so it is closed."))
        if now.next_day and now.next_hours:
            lines.append(
                _("Next time it is open: {day}, {start}-{end}.").format(
                    day=turn.embed(day(turn, now.next_day)),
                    start=turn.embed(time_of_day(turn, now.next_hours.start)),
                    end=turn.embed(time_of_day(turn, now.next_hours.end)),
                )
            )
        lines.append(_("Usually open: {hours}.").format(hours=turn.embed(weekly(turn, desk.weekly))))
        if desk.also_here:
            lines.append(_("In the same house: {places}.").format(places=turn.embed(names(turn, list(desk.also_here)))))
        texts.append("\n".join(lines))
    # One reply per desk; the way on (a person, the menu) comes once, under the last.
    return [turn.reply(text) for text in texts[:-1]] + [turn.reply(texts[-1], person_or_menu(turn))]
