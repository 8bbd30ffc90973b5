"""Handing over to a named local counsellor, as the young person or parent reads it:
the age and consent questions, the warm referral, and the notices when the counsellor
takes the chat, passes it on or closes it."""

from __future__ import annotations

from datetime import timedelta

from bot.actions import Act, Action
from bot.matching import Expectation
from bot.replies import Reply
from bot.site import Counsellor, Site
from flows.formatting import day, language_names, names, time_of_day, weekly
from flows.menu import MENU, buttons
from flows.opening_hours import contact_lines, opening_hours
from flows.referral import role_title
from flows.turn import N_, Turn

# Stored with each consent answer; change it whenever the consent question's meaning changes.
# v2: says that a message showing danger is always shown; v3: that "no" still shows the question.
CONSENT_WORDING = "v3-2026-12-01"

AGE_GROUPS = {
    "under_15": N_("Under 15"),
    "15_17": N_("15-17"),
    "18_plus": N_("18 or older"),
    "parent": N_("I am a parent"),
}
def age_group_of(age: int) -> str:
    """A typed age as the age group the handoff asks for."""
    return "under_15" if age < 15 else "15_17" if age < 18 else "18_plus"


TOPIC_NAMES = {
    "admission": N_("admission to youth education"),
    "opening_hours": N_("the open guidance"),
    "leisure_job": N_("leisure jobs"),
}
CONSENT = (
    (N_("Yes, show it"), Action(Act.CONSENT, "yes").encode()),
    (N_("No, only my question"), Action(Act.CONSENT, "no").encode()),
    (N_("Not now"), Action(Act.MENU).encode()),
)


def still_not_understood(turn: Turn) -> list[Reply]:
    return [turn.reply(turn._("I still do not understand, sorry. A person can help you better."))]


def ask_age_group(turn: Turn) -> list[Reply]:
    text = turn._("Before I pass you on: how old are you? I ask only once. It decides what I may share.")
    return [turn.reply(text, buttons(turn, *((label, Action(Act.AGE_GROUP, group).encode()) for group, label in AGE_GROUPS.items())))]


def ask_consent(turn: Turn, age_group: str | None) -> list[Reply]:
    _ = turn._
    lines = [
        _("May I show a local counsellor our conversation so far? Then you do not have to explain it all again. "
          "Only the local counsellors can see it."),
        # The card always carries the question, so nobody has to ask it twice.
        _("If you say no, the counsellor sees only your question, not the rest of our conversation."),
    ]
    if age_group == "under_15":
        lines.append(_("You are under 15, so I share the conversation with the counsellors only. "
                       "Sharing it with anyone else needs a parent's consent."))
    # The crisis card shows the words that raised it whatever the answer (vital interest).
    lines.append(_("Either way, if you write something that shows you may be in danger, "
                   "the counsellors see that message, so they can help you quickly."))
    return [turn.reply("\n\n".join(lines), buttons(turn, *CONSENT))]


def expectation_line(turn: Turn, person: Counsellor, expected: Expectation, dated: bool = False) -> str:
    """When the counsellor answers. `dated`: with the day's date instead of "today" or
    "tomorrow", for a card that is read later."""
    name = person.first_name
    if expected.now:
        return turn.fill(N_("{name} is at work now and usually answers within an hour."), name=name)
    if expected.starts is None:
        return turn.fill(N_("{name} is away for a while. Another counsellor will answer as soon as they can."), name=name)
    values = {"name": name, "time": time_of_day(turn, expected.starts.time()),
              "by": time_of_day(turn, expected.answer_by.time())}
    start_day, today = expected.starts.date(), turn.now.date()
    if start_day == today and not dated:
        return turn.fill(N_("{name} is at work today from {time} and usually answers before {by}."), **values)
    if start_day == today + timedelta(days=1) and not dated:
        return turn.fill(N_("{name} is at work tomorrow from {time} and usually answers before {by}."), **values)
    return turn.fill(N_("{name} is at work on {day} from {time} and usually answers before {by}."),
                     day=day(turn, start_day), **values)


def referral(turn: Turn, site: Site, person: Counsellor, expected: Expectation, consent: bool,
             education: bool = False) -> list[Reply]:
    """Who they are, what they help with, where and when to meet them, their languages,
    when they answer, and what they can see. An `education` question asked while the
    counsellor is not at work also gets eVejledning, the national evening and weekend
    channel (its exact hours are unconfirmed, and it says so)."""
    _ = turn._
    first = person.first_name
    desk = site.desk(person.desk)
    lines = [
        turn.fill(N_("I am passing you on to {name}, {role}."), name=person.name, role=role_title(turn, person)),
        turn.fill(N_("{name} helps with {topics} and speaks {languages}."), name=first,
                  topics=names(turn, [_(TOPIC_NAMES[topic]) for topic in person.topics]),
                  languages=language_names(turn, person.languages)),
        "\n".join([turn.fill(N_("You can also meet {name} at {place}, {address}: {hours}."), name=first,
                              place=desk.name, address=desk.address, hours=weekly(turn, desk.weekly)),
                    *contact_lines(turn, desk)]),
        expectation_line(turn, person, expected),
        *([_("Until then: eVejledning, the national education guidance on ug.dk, answers questions about education by chat, phone and mail, also in the evening and at weekends. I am not sure of its exact hours.")]
          if education and not expected.now else []),
        turn.fill(N_("{name} can see our conversation, so you do not have to explain it again."), name=first)
        if consent
        else turn.fill(N_("{name} sees only your first name, your language and what you need help with, "
                       "not our conversation."), name=first),
        turn.fill(N_("Write here: your messages now go to {name}."), name=first),
    ]
    return [turn.reply("\n\n".join(lines))]


def already_waiting(turn: Turn, person: Counsellor, expected: Expectation, taken: bool) -> list[Reply]:
    first = person.first_name
    if taken:
        return [turn.reply(turn.fill(N_("You are already talking to {name}. Write here and {name} will read it."), name=first))]
    lead = turn.fill(N_("You are already waiting for {name}. Your messages go to {name}."), name=first)
    return [turn.reply(f"{lead} {expectation_line(turn, person, expected)}")]


def no_counsellor(turn: Turn) -> list[Reply]:
    text = turn._("I am sorry: no counsellor is listed here yet. Please come to the open guidance, or choose a topic:")
    return [turn.reply(text, buttons(turn, MENU))]


def no_chat_handoff(turn: Turn, site: Site) -> list[Reply]:
    """No staff group is set up, so nobody would read a chat: say so, and where and when
    the counsellors can be met instead."""
    text = turn._("I am sorry: here I cannot pass you on to a counsellor by chat. You can meet the counsellors in "
                  "person at the open guidance:")
    return [turn.reply(text), *opening_hours(turn, site)]


def taken(turn: Turn, person: Counsellor) -> str:
    return turn.fill(N_("{name} has taken your chat and will write to you here."), name=person.name)


def passed_on(turn: Turn, before: Counsellor, after: Counsellor) -> str:
    return turn.fill(N_("{before} has passed your chat on to {after}, who can help you better."),
                     before=before.first_name, after=after.name)


def closed(turn: Turn, person: Counsellor) -> str:
    return turn.fill(N_("{name} has closed the chat. Broen answers you again from now on. "
                     "You can ask for a person at any time."), name=person.first_name)


def from_counsellor(person: Counsellor, text: str) -> str:
    """A counsellor's words as the person sees them: under the counsellor's name."""
    return f"{person.name}:\n{text}"


def not_relayed(turn: Turn, person: Counsellor) -> list[Reply]:
    text = turn.fill(N_("I can pass on only text to {name}. Please write it in words."), name=person.first_name)
    return [turn.reply(text)]
