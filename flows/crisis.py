"""Crisis: the emergency numbers come first, always, then a kind word and a person."""

from __future__ import annotations

from bot.replies import Reply
from bot.site import Counsellor
from flows.menu import person_only
from flows.turn import N_, Turn

# Numbers from ../shared/FACTS.md ("Help lines and emergencies").
EMERGENCY = "112"
CHILD_LINE = "116 111"  # Børnetelefonen, phone, chat and SMS, open 24/7
LIFELINE = "70 201 201"  # Livslinien; its opening hours are unconfirmed, so none are claimed


def _numbers(turn: Turn) -> list[str]:
    _ = turn._
    return [
        _("If you are in danger right now, call {number}.").format(number=turn.embed(EMERGENCY)),
        _("Børnetelefonen: call or text {number}, day and night.").format(number=turn.embed(CHILD_LINE)),
        _("Livslinien, if you have thoughts of suicide: {number}.").format(number=turn.embed(LIFELINE)),
        "",
    ]


def crisis(turn: Turn) -> list[Reply]:
    """The numbers and a person to reach (when no counsellor can be alerted)."""
    line = turn._("I am glad you wrote. You do not have to be alone with this. I can help you reach a counsellor.")
    return [turn.reply("\n".join([*_numbers(turn), line]), person_only(turn))]


def crisis_alerted(turn: Turn) -> Reply:
    """The numbers, and that a counsellor has been asked to write (the referral follows)."""
    line = turn._("I am glad you wrote. You do not have to be alone with this. "
                  "I have asked a local counsellor to write to you as soon as possible.")
    return turn.reply("\n".join([*_numbers(turn), line]))


def crisis_while_held(turn: Turn, person: Counsellor) -> list[Reply]:
    line = turn.fill(N_("I have told {name} that you need help now."), name=person.first_name)
    return [turn.reply("\n".join([*_numbers(turn), line]))]
