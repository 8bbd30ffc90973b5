"""Crisis: the emergency numbers come first, always, then a kind word and a person."""

from __future__ import annotations

from bot.replies import Reply
from flows.menu import person_only
from flows.turn import Turn

# Numbers from ../shared/FACTS.md ("Help lines and emergencies").
EMERGENCY = "112"
CHILD_LINE = "116 111"  # Børnetelefonen, phone, chat and SMS, open 24/7
LIFELINE = "70 201 201"  # Livslinien; its opening hours are unconfirmed, so none are claimed


def crisis(turn: Turn) -> list[Reply]:
    _ = turn._
    lines = [
        _("If you are in danger right now, call {number}.").format(number=turn.embed(EMERGENCY)),
        _("Børnetelefonen: call or text {number}, day and night.").format(number=turn.embed(CHILD_LINE)),
        _("Livslinien, if you have thoughts of suicide: {number}.").format(number=turn.embed(LIFELINE)),
        "",
        _("I am glad you wrote. You do not have to be alone with this. I can help you reach a counsellor."),
    ]
    return [turn.reply("\n".join(lines), person_only(turn))]
