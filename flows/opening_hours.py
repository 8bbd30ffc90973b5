"""Open guidance: where the desk is, whether it is open now, and when it opens next."""

from __future__ import annotations

from datetime import date, time

from babel.dates import format_date, format_skeleton, format_time

from bot.replies import Reply
from bot.schedule import is_holiday, openings_on, status
from bot.site import Hours, Site
from flows.menu import person_or_menu
from flows.turn import Turn


def _day(turn: Turn, day: date) -> str:
    return f"{format_date(day, 'EEEE', locale=turn.language)} {format_skeleton('MMMMd', day, locale=turn.language)}"


def _time(turn: Turn, moment: time) -> str:
    return format_time(moment, "short", locale=turn.language)


def _span(turn: Turn, hours: Hours) -> str:
    return f"{_time(turn, hours.start)}-{_time(turn, hours.end)}"


def _asked_day_line(turn: Turn, hours: tuple[Hours, ...], day: date) -> str:
    line = _asked_day_sentence(turn, hours, day)
    return line[:1].upper() + line[1:]  # weekday names are lower case in many languages


def _asked_day_sentence(turn: Turn, hours: tuple[Hours, ...], day: date) -> str:
    _ = turn._
    name = turn.embed(_day(turn, day))
    if hours:
        spans = ", ".join(_span(turn, h) for h in hours)
        return _("On {day} it is open {hours}.").format(day=name, hours=turn.embed(spans))
    if is_holiday(day):
        return _("On {day} it is closed: it is a public holiday.").format(day=name)
    return _("On {day} it is closed.").format(day=name)


def opening_hours(turn: Turn, site: Site, asked: date | None = None) -> list[Reply]:
    """Where each desk is; the asked day, if a day was named; open now or a holiday;
    the next opening; and the usual hours."""
    _ = turn._
    texts = []
    for desk in site.desks:
        now = status(desk, turn.now)
        lines = [_("Open guidance: {desk}, {address}.").format(desk=turn.embed(desk.name), address=turn.embed(desk.address))]
        if asked and asked != turn.now.date():
            lines.append(_asked_day_line(turn, openings_on(desk, asked), asked))
        elif now.open_now:
            lines.append(_("It is open now, until {end}.").format(end=turn.embed(_time(turn, now.open_now.end))))
        elif now.holiday_today:
            lines.append(_("Today is a public holiday, so it is closed."))
        if now.next_day and now.next_hours:
            lines.append(
                _("Next time it is open: {day}, {start}-{end}.").format(
                    day=turn.embed(_day(turn, now.next_day)),
                    start=turn.embed(_time(turn, now.next_hours.start)),
                    end=turn.embed(_time(turn, now.next_hours.end)),
                )
            )
        weekly = ", ".join(
            # 1 January 2024 was a Monday, so 1 + weekday gives that weekday's name.
            f"{format_date(date(2024, 1, 1 + weekday), 'EEEE', locale=turn.language)} {_span(turn, hours)}"
            for weekday, spans in sorted(desk.weekly.items())
            for hours in spans
        )
        lines.append(_("Usually open: {hours}.").format(hours=turn.embed(weekly)))
        texts.append("\n".join(lines))
    # One reply per desk; the way on (a person, the menu) comes once, under the last.
    return [turn.reply(text) for text in texts[:-1]] + [turn.reply(texts[-1], person_or_menu(turn))]
