"""The command menu a channel shows (Telegram's "/" menu), per language.

Danish users see the Danish command names (/sprog, /mine_data, /slet,
/stop_paamindelser); everyone else the English ones. Both work everywhere.
"""

from __future__ import annotations

from flows.turn import N_, Turn

START = ("start", N_("Start and choose a topic"))
HELP = ("help", N_("What Broen can help with"))
DANISH = (START, ("sprog", N_("Choose your language")), ("mine_data", N_("See what Broen stores about you")),
          ("slet", N_("Delete what Broen stores about you")), ("stop_paamindelser", N_("Stop reminders")), HELP)
OTHERS = (START, ("language", N_("Choose your language")), ("mydata", N_("See what Broen stores about you")),
          ("delete", N_("Delete what Broen stores about you")), ("stop_reminders", N_("Stop reminders")), HELP)


def command_menu(turn: Turn) -> list[tuple[str, str]]:
    """(command, description) pairs in the turn's language."""
    return [(name, turn._(description)) for name, description in (DANISH if turn.language == "da" else OTHERS)]
