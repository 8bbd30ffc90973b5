"""The wish for a person. (The handoff itself, to a named counsellor, comes with the
handoff flow; until then Broen says what will happen.)"""

from __future__ import annotations

from bot.replies import Reply
from flows.turn import Turn


def person_wanted(turn: Turn) -> list[Reply]:
    _ = turn._
    text = _(
        "I understood that you would like to talk to a person. Soon Broen will put you in touch "
        "with a named local counsellor right here in the chat."
    )
    return [turn.reply(text)]
