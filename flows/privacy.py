"""/mydata and /delete: what Broen stores about a person, and deleting it."""

from __future__ import annotations

from bot.clock import local
from bot.i18n import native_name
from bot.replies import Reply
from bot.store.tickets import PersonData
from flows.formatting import chunks, long_date, time_of_day
from flows.buttons import words
from flows.handoff import AGE_GROUPS
from flows.menu import DELETE_CONFIRM, buttons
from flows.turn import N_, Turn

# Telegram allows 4096 characters per message; the export is split below that.
_CHUNK = 3500


def my_data(turn: Turn, data: PersonData | None, desk_name: str | None = None, reminders: list[str] = ()) -> list[Reply]:
    """`desk_name`: the name of the desk whose poster brought them, as the site file has
    it; `reminders`: a line for each reminder still to come."""
    _ = turn._
    if data is None:
        return [turn.reply(_("Broen stores nothing about you."))]
    lines = [
        _("This is everything Broen stores about you:"),
        turn.fill(N_("First name: {value}"), value=data.first_name or "-"),
        turn.fill(N_("Language: {value}"), value=native_name(data.language) if data.language else "-"),
        turn.fill(N_("Age group: {value}"), value=_(AGE_GROUPS[data.age_group]) if data.age_group else "-"),
        *([turn.fill(N_("Came through the poster of: {value}"), value=desk_name or data.desk)] if data.desk else []),
        turn.fill(N_("Since: {value}"), value=long_date(turn, local(data.since).date())),
        turn.fill(N_("Talks with a counsellor: {value}"), value=str(len(data.tickets))),
        *reminders,
        turn.fill(N_("Messages ({value}):"), value=str(len(data.messages))),
    ]
    for message in data.messages:
        who = _("you") if message.direction == "in" else (message.author or "Broen")
        moment = local(message.created_at)
        when = f"{long_date(turn, moment.date())} {time_of_day(turn, moment.time())}"
        text = words(message.text, _) if message.kind == "button" and message.text else message.text
        lines.append(f"[{when}] {who}: {text or '(' + message.kind + ')'}")
    lines.append(_("/delete deletes all of it."))
    return [turn.reply(text) for text in chunks(lines, _CHUNK)]


def ask_delete(turn: Turn) -> list[Reply]:
    text = turn._("Delete everything Broen stores about you? Your messages, your language and any talk with a "
                  "counsellor. This cannot be undone.")
    return [turn.reply(text, buttons(turn, *DELETE_CONFIRM))]


def deleted(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._(
        "Deleted: your messages, your name, language and age group, your reminders, and your chat with the "
        "counsellors, also in their group. What remains is an anonymous note that a chat took place (when, the "
        "topic and the kind of outcome), without your name or your words. If you write again, Broen starts afresh."))]


def kept(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("Nothing was deleted."))]
