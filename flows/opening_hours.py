"""Open guidance: where the desk is, whether it is open now, on a named day or in a
named holiday, and when it opens next."""

from __future__ import annotations

from datetime import date, timedelta

from bot.replies import Reply
from bot.schedule import closure_reason, is_holiday, next_opening, openings_on, status
from bot.site import Desk, Hours, Site
from flows.formatting import day, names, span, time_of_day, weekly
from flows.menu import opening_reminder_button, person_or_menu
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


def asked_day_line(turn: Turn, desk: Desk, asked: date) -> str:
    """Open or closed on the day asked about, and why it is closed."""
    _ = turn._
    name = turn.embed(day(turn, asked))
    hours = openings_on(desk, asked)
    if hours:
        spans = ", ".join(span(turn, h) for h in hours)
        line = _("On {day} it is open {hours}.").format(day=name, hours=turn.embed(spans))
    elif is_holiday(asked):
        line = _("On {day} it is closed: it is a public holiday.").format(day=name)
    elif reason := closure_reason(desk, asked):
        line = _("On {day} it is closed ({reason}).").format(day=name, reason=turn.embed(reason))
    else:
        line = _("On {day} it is closed.").format(day=name)
    return _capitalised(line)


def opens_again_line(turn: Turn, desk: Desk, after: date) -> str | None:
    found = next_opening(desk, after)
    if found is None:
        return None
    when, hours = found
    return turn._("It opens again on {day}, {start}-{end}.").format(
        day=turn.embed(day(turn, when)), start=turn.embed(time_of_day(turn, hours.start)),
        end=turn.embed(time_of_day(turn, hours.end)))


def _range_openings(turn: Turn, desk: Desk, first: date, last: date, today: date) -> list[str]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [f"{day(turn, d)} {span(turn, h)}" for d in days if d >= today for h in openings_on(desk, d)]


def _week_line(turn: Turn, desk: Desk, first: date, last: date) -> str:
    _ = turn._
    dates = turn.embed(f"{day(turn, first)} - {day(turn, last)}")
    openings = _range_openings(turn, desk, first, last, turn.now.date())
    if openings:
        return _("Next week ({dates}) it is open: {openings}.").format(dates=dates, openings=turn.embed(names(turn, openings)))
    return _("Next week ({dates}) it is closed.").format(dates=dates)


def _after_period_line(turn: Turn, site: Site, desk: Desk, period: str) -> str:
    """When it opens again after a named holiday ("hvornår åbner I efter jul?")."""
    _ = turn._
    label = _(PERIOD_NAMES[period])
    upcoming = _upcoming_period(site, period, turn.now.date())
    if upcoming is None:
        return _("I do not know the dates of {period} here yet. A counsellor can tell you.").format(period=label)
    found = next_opening(desk, upcoming.last)
    if found is None:
        return _capitalised(_("In {period} it is closed.").format(period=label))
    when, hours = found
    return _("After {period} it opens again on {day}, {start}-{end}.").format(
        period=label, day=turn.embed(day(turn, when)), start=turn.embed(time_of_day(turn, hours.start)),
        end=turn.embed(time_of_day(turn, hours.end)))


def _upcoming_period(site: Site, period: str, today: date):
    upcoming = sorted((p for p in site.periods if p.name == period and p.last >= today), key=lambda p: p.first)
    return upcoming[0] if upcoming else None


def _period_line(turn: Turn, site: Site, desk: Desk, period: str) -> str:
    """The openings in the next (or current) occurrence of a named holiday."""
    _ = turn._
    label = _(PERIOD_NAMES[period])
    today = turn.now.date()
    upcoming = _upcoming_period(site, period, today)
    if upcoming is None:
        return _("I do not know the dates of {period} here yet. A counsellor can tell you.").format(period=label)
    first, last = upcoming.first, upcoming.last
    openings = _range_openings(turn, desk, first, last, today)
    dates = turn.embed(f"{day(turn, first)} - {day(turn, last)}")
    if openings:
        return _capitalised(
            _("In {period} ({dates}) it is open: {openings}.").format(
                period=label, dates=dates, openings=turn.embed(names(turn, openings))
            )
        )
    return _capitalised(_("In {period} ({dates}) it is closed.").format(period=label, dates=dates))


def contact_lines(turn: Turn, desk: Desk) -> list[str]:
    """The desk's phone number and map link, where the site file has them."""
    lines = []
    if desk.phone:
        lines.append(turn.fill(N_("Phone: {value}"), value=desk.phone))
    if desk.map_url:
        lines.append(turn.fill(N_("Map: {value}"), value=desk.map_url))
    return lines


def opening_hours(turn: Turn, site: Site, asked: date | None = None, period: str | None = None,
                  week: tuple[date, date] | None = None, after: bool = False) -> list[Reply]:
    """Where each desk is; the day, week or holiday asked about (or the time after a
    holiday), else open now or a holiday; when it opens next; and the usual hours."""
    _ = turn._
    texts = []
    for desk in site.desks:
        now = status(desk, turn.now)
        lines = [_("Open guidance: {desk}, {address}.").format(desk=turn.embed(desk.name), address=turn.embed(desk.address))]
        next_line = None
        if period and after:
            lines.append(_after_period_line(turn, site, desk, period))
        elif period:
            lines.append(_period_line(turn, site, desk, period))
        elif week:
            lines.append(_week_line(turn, desk, *week))
        elif asked and asked != turn.now.date():
            lines.append(asked_day_line(turn, desk, asked))
            if not openings_on(desk, asked):
                next_line = opens_again_line(turn, desk, asked)
        elif now.open_now:
            lines.append(_("It is open now, until {end}.").format(end=turn.embed(time_of_day(turn, now.open_now.end))))
        elif now.holiday_today:
            lines.append(_("Today is a public holiday, so it is closed."))
        else:
            lines.append(_("It is closed now."))
        if next_line is None and now.next_day and now.next_hours and not (period and after):
            start, end = turn.embed(time_of_day(turn, now.next_hours.start)), turn.embed(time_of_day(turn, now.next_hours.end))
            if now.next_day == turn.now.date():  # later today: said so, not as a date
                next_line = _("It opens today, {start}-{end}.").format(start=start, end=end)
            else:
                next_line = _("Next time it is open: {day}, {start}-{end}.").format(
                    day=turn.embed(day(turn, now.next_day)), start=start, end=end)
        if next_line:
            lines.append(next_line)
        lines.append(_("Usually open: {hours}.").format(hours=turn.embed(weekly(turn, desk.weekly))))
        if desk.also_here:
            lines.append(_("In the same house: {places}.").format(places=turn.embed(names(turn, list(desk.also_here)))))
        lines += contact_lines(turn, desk)  # after the answer to what was asked
        # A reminder before its next opening, for a desk that has one.
        remind = opening_reminder_button(turn, desk.id) if now.next_day else ()
        texts.append(("\n".join(lines), remind))
    # One reply per desk, each with its own reminder; the way on (a person, the menu)
    # comes once, under the last.
    return [turn.reply(text, remind) for text, remind in texts[:-1]] \
        + [turn.reply(texts[-1][0], texts[-1][1] + person_or_menu(turn))]
