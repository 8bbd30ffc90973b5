"""Admission, leisure jobs and the wish for a person.

The full, sourced answers come with the answers issue; for now Broen says which
topic it understood, honestly, and offers a person. (Opening hours are answered in
flows/opening_hours.py.)
"""

from __future__ import annotations

from bot.replies import Reply
from flows.menu import person_or_menu
from flows.turn import N_, Turn

UNDERSTOOD = {
    "admission": N_("I understood that you are asking about education and admission."),
    "leisure_job": N_("I understood that you are asking about leisure jobs."),
}


def topic_understood(turn: Turn, topic: str) -> list[Reply]:
    _ = turn._
    text = " ".join(
        [
            _(UNDERSTOOD[topic]),
            _("Full answers on this are coming to Broen soon. Until then, a counsellor can help you."),
        ]
    )
    return [turn.reply(text, person_or_menu(turn))]


def person_wanted(turn: Turn) -> list[Reply]:
    _ = turn._
    text = _(
        "I understood that you would like to talk to a person. Soon Broen will put you in touch "
        "with a named local counsellor right here in the chat."
    )
    return [turn.reply(text)]
