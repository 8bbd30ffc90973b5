"""What counsellors read in the staff group: ticket cards, transcripts and notes.

Texts are in the staff catalogue ("staff" domain, `S_`), in the staff group's language
(STAFF_LANGUAGE, Danish by default); the eight user languages do not carry them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date

from bot.actions import StaffAct, StaffAction
from bot.clock import local
from bot.i18n import staff_translations, translations
from bot.site import Counsellor, Site
from bot.store.models import Message
from bot.store.tickets import TicketView
from flows.buttons import words
from flows.formatting import chunks, day, time_of_day
from flows.turn import Turn

StaffButtons = tuple[tuple[str, str], ...]
# Telegram's limit is 4096 characters; leave room for the escaping of < > &.
MESSAGE_LIMIT = 3000
TRANSCRIPT_MESSAGES = 30
_BOT_LINE = 160  # Broen's own answers are long; the counsellor needs their gist


def _staff(language: str) -> Callable[[str], str]:
    return staff_translations(language).gettext


def SN_(message: str) -> str:
    """Marks a staff text for extraction; translated where it is used."""
    return message


# Fixed notes for the staff group; `fixed(NOTE, language)` translates one.
CLOSED_TOPIC = SN_("This chat is closed, so your message was not sent. It is saved with the ticket. "
                            "If the person writes again and asks for a person, a new chat opens.")
CONSENT_GIVEN = SN_("The person has now agreed that you may see the conversation.")
CONSENT_REFUSED = SN_("The person did not agree to show the conversation; you see only the card.")
BLOCKED = SN_("The person has blocked Broen, so messages cannot reach them. The chat stays open.")
STALE = SN_("That button is out of date.")
TEXT_ONLY = SN_("Broen passes on text only; please write it.")
NOT_LISTED = SN_("Only counsellors listed in Broen's site file can act on chats.")
CLOSE_COMMAND = SN_("Close this chat with an outcome")
NUMBERS_COMMAND = SN_("The last 30 days in numbers, with a chart")
OUTCOMES = {
    "answered": SN_("Answered"),
    "referred": SN_("Referred on"),
    "no_reply": SN_("No reply from the person"),
}
REASONS = {
    "request": SN_("asked for a person"),
    "offer": SN_("accepted the offer of a person"),
    "not_understood": SN_("Broen did not understand twice"),
    "crisis": SN_("crisis signal"),
    "check": SN_("asked to talk to someone when Broen asked whether they are safe"),
}
AGE_GROUPS = {
    "under_15": SN_("under 15"),
    "15_17": SN_("15-17"),
    "18_plus": SN_("18 or older"),
    "parent": SN_("a parent"),
}
TOPICS = {
    "admission": SN_("admission"),
    "opening_hours": SN_("open guidance"),
    "leisure_job": SN_("leisure job"),
}


def fixed(note: str, language: str) -> str:
    """One of the fixed notes above, in the staff language."""
    return _staff(language)(note)


def _who(ticket: TicketView, S_: Callable[[str], str]) -> str:
    return ticket.first_name or S_("(no name)")


def topic_title(ticket: TicketView, language: str) -> str:
    S_ = _staff(language)
    topic = S_(TOPICS[ticket.topic]) if ticket.topic in TOPICS else S_("general")
    mark = "🔴 " if ticket.urgent else ""
    return f"{mark}#{ticket.id} {_who(ticket, S_)} · {topic}"[:120]


CRISIS_CATEGORIES = {
    "suicide": SN_("suicide or self-harm"),
    "violence": SN_("violence or abuse at home"),
    "forced_marriage": SN_("forced marriage, honour-related control or a trip abroad"),
    "homeless": SN_("thrown out or nowhere to sleep"),
    "danger": SN_("acute danger or threats"),
}


def _crisis_kind(category: str | None, S_: Callable[[str], str]) -> str:
    return S_(CRISIS_CATEGORIES[category]) if category in CRISIS_CATEGORIES else S_("not clear")


def card(ticket: TicketView, site: Site, expected: str, summary: str, language: str,
         trigger: str | None = None) -> tuple[str, StaffButtons]:
    """The ticket's card: who, what, consent, and what the person was promised. A crisis
    card also shows the kind of danger and the words that raised it, with or without
    consent: the person's vital interest comes first."""
    S_ = _staff(language)
    here = Locale.parse(language)
    counsellor = site.find_counsellor(ticket.counsellor)
    area = ", ".join(area.name for area in site.areas) or "-"
    if ticket.consent and ticket.consent_at:
        consent = S_("yes, the conversation is below (given {time})").format(time=_moment(ticket.consent_at, language))
    elif ticket.consent_at:
        consent = S_("no: you see only this card")
    else:
        consent = S_("not asked yet: you see only this card")
    lines = [
        (S_("URGENT: crisis signal. The person has been given the emergency numbers.") if ticket.urgent else ""),
        (S_("Danger: {kind}").format(kind=_crisis_kind(ticket.crisis_category, S_)) if ticket.is_crisis else ""),
        (S_("They wrote: {text}").format(text=trigger[:MESSAGE_LIMIT // 2]) if ticket.is_crisis and trigger else ""),
        S_("New chat #{id} for {name}").format(id=ticket.id, name=counsellor.name if counsellor else ticket.counsellor),
        S_("Name: {value}").format(value=_who(ticket, S_)),
        S_("Age: {value}").format(value=S_(AGE_GROUPS[ticket.age_group]) if ticket.age_group in AGE_GROUPS else "-"),
        S_("Language: {value}").format(value=here.languages.get(ticket.language, ticket.language)),
        S_("Area: {value}").format(value=area),
        S_("Topic: {value}").format(value=S_(TOPICS[ticket.topic]) if ticket.topic in TOPICS else S_("general")),
        S_("Why: {value}").format(value=S_(REASONS.get(ticket.reason, ticket.reason))),
        S_("Consent: {value}").format(value=consent),
        S_("Summary: {value}").format(value=summary),
        S_("Promised: {value}").format(value=expected),
        S_("Write in this topic to answer; the person sees your name."),
    ]
    return "\n".join(line for line in lines if line), ticket_buttons(ticket.id, language)


def ticket_buttons(ticket_id: int, language: str) -> StaffButtons:
    S_ = _staff(language)
    return ((S_("Take"), StaffAction(StaffAct.TAKE, ticket_id).encode()),
            (S_("Pass on"), StaffAction(StaffAct.PASS_MENU, ticket_id).encode()),
            (S_("Close"), StaffAction(StaffAct.CLOSE_MENU, ticket_id).encode()))


# Messages that are no question to hand on: asking for a person, greetings and thanks.
_NOT_THE_QUESTION = frozenset({"handoff", "smalltalk", "crisis"})


def question_of(messages: Sequence[Message]) -> Message | None:
    """The question that led to the handoff: the person's latest message that asked
    something ("hvornår er fristen?"), not "can I talk to a person" or "thanks"; without
    one, their latest words."""
    said = [m for m in messages if m.direction == "in" and m.kind == "text" and m.text]
    asked = [m for m in said if m.topic not in _NOT_THE_QUESTION]
    return (asked or said or [None])[-1]


def summary(messages: Sequence[Message], question: str | None, language: str) -> str:
    """The question in the person's words (shown with or without consent: the person
    was told so); without one, the topics they asked about."""
    S_ = _staff(language)
    if question:
        return question[:MESSAGE_LIMIT // 4]
    topics = list(dict.fromkeys(S_(TOPICS[m.topic]) for m in messages if m.direction == "in" and m.topic in TOPICS))
    return S_("asked about {topics}").format(topics=", ".join(topics) or S_("no topic recognised"))


def transcript(messages: Sequence[Message], first_name: str | None, language: str) -> list[str]:
    """The conversation so far, in chunks that fit a message."""
    S_ = _staff(language)
    lines = [S_("The conversation so far:")]
    for message in messages[-TRANSCRIPT_MESSAGES:]:
        moment = time_of_day(Turn(language, local(message.created_at)), local(message.created_at).time())
        if message.direction == "in":
            if message.kind == "button" and message.text:
                text = f"[{words(message.text, translations(language).gettext)}]"  # the label, in the staff language
            else:
                text = message.text if message.kind in ("text", "command") else f"({message.kind}: {message.text or ''})"
            lines.append(f"[{moment}] {first_name or S_('(no name)')}: {text}")
        else:
            text = message.text or ""
            short = text if len(text) <= _BOT_LINE else text[:_BOT_LINE] + "…"
            lines.append(f"[{moment}] {message.author or 'Broen'}: {short}")
    return chunks(lines, MESSAGE_LIMIT)


def _moment(moment: datetime, language: str) -> str:
    turn = Turn(language, moment)
    return f"{day(turn, moment.date())} {time_of_day(turn, moment.time())}"


def relayed(ticket: TicketView, text: str, language: str) -> str:
    return f"{_who(ticket, _staff(language))}: {text}"


def not_text(ticket: TicketView, kind: str, language: str) -> str:
    S_ = _staff(language)
    return S_("{name} sent a {kind}; Broen passes on text only and has asked them to write.").format(
        name=_who(ticket, S_), kind=kind)


def taken(person: Counsellor, language: str) -> str:
    S_ = _staff(language)
    return S_("{name} has taken the chat.").format(name=person.name)


def undelivered(reason: str, language: str) -> str:
    """A message to the person could not be delivered, for a reason other than a block."""
    S_ = _staff(language)
    return S_("Broen could not deliver a message to the person ({reason}). The chat stays open.").format(reason=reason)


def staff_undelivered(ticket_id: int, reason: str, language: str) -> str:
    """A message for a chat's topic could not be posted there (the topic is gone, a right is missing)."""
    S_ = _staff(language)
    return S_("Broen could not post in the topic of chat #{ticket} ({reason}). Check that the group has topics "
              "and that Broen may manage them.").format(ticket=ticket_id, reason=reason)


def topic_deleted(ticket_id: int, counsellor: str, language: str) -> str:
    """In the General topic: a chat's topic was deleted with the person's data."""
    S_ = _staff(language)
    return S_("Chat #{ticket} ({counsellor}): the person has deleted their data in Broen, so the chat is closed and "
              "its topic deleted. An anonymous ticket remains.").format(ticket=ticket_id, counsellor=counsellor)


def nlu_down(failures: int, language: str) -> str:
    S_ = _staff(language)
    return S_("Broen's language understanding (Rasa) has stopped and did not start again after {count} tries. "
              "Until it is back, Broen answers with the topic menu and the offer of a person; help lines still "
              "come first in a crisis. Tell whoever runs Broen.").format(count=failures)


def already_taken(person: Counsellor, language: str) -> str:
    S_ = _staff(language)
    return S_("{name} has already taken this chat.").format(name=person.name)


def passed_on(before: Counsellor, after: Counsellor, language: str) -> str:
    S_ = _staff(language)
    return S_("{before} passed the chat on to {after}, who now has it.").format(
        before=before.name, after=after.name)


def pass_menu(ticket_id: int, others: Sequence[Counsellor], language: str) -> tuple[str, StaffButtons]:
    S_ = _staff(language)
    return S_("Pass the chat on to:"), tuple((person.name, StaffAction(StaffAct.PASS, ticket_id, person.id).encode()) for person in others)


def close_menu(ticket_id: int, language: str) -> tuple[str, StaffButtons]:
    S_ = _staff(language)
    return S_("Close with which outcome?"), tuple(
        (S_(label), StaffAction(StaffAct.CLOSE, ticket_id, outcome).encode()) for outcome, label in OUTCOMES.items())


def outcome_label(outcome: str, language: str) -> str:
    S_ = _staff(language)
    return S_(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


def closed(person: Counsellor, outcome: str, language: str) -> str:
    S_ = _staff(language)
    return S_("Closed by {name}: {outcome}. Broen answers the person again.").format(
        name=person.name, outcome=outcome_label(outcome, language))





def crisis_again(ticket: TicketView, category: str, text: str, language: str) -> str:
    S_ = _staff(language)
    lines = [
        S_("URGENT: {name} wrote something that may be a crisis and has been given the emergency numbers.").format(
            name=_who(ticket, S_)),
        S_("Danger: {kind}").format(kind=_crisis_kind(category, S_)),
        S_("They wrote: {text}").format(text=text[: MESSAGE_LIMIT // 2]),
    ]
    return "\n".join(lines)





def still_waiting(ticket: TicketView, person: Counsellor | None, language: str) -> str:
    S_ = _staff(language)
    return S_("Still waiting for an answer: #{id} {name}, for {counsellor}.").format(
        id=ticket.id, name=_who(ticket, S_), counsellor=person.name if person else ticket.counsellor)


def morning_summary(tickets: Sequence[TicketView], site: Site, language: str) -> str:
    S_ = _staff(language)
    lines = [S_("Good morning. Waiting since you were last at work ({count}):").format(count=len(tickets))]
    for ticket in tickets:
        person = site.find_counsellor(ticket.counsellor)
        topic = S_(TOPICS[ticket.topic]) if ticket.topic in TOPICS else S_("general")
        mark = "🔴 " if ticket.urgent else ""
        lines.append(f"{mark}#{ticket.id} {_who(ticket, S_)} · {topic} · {person.name if person else ticket.counsellor} "
                     f"· {_moment(ticket.created_at, language)}")
    return "\n".join(lines)






def report_caption(month: str, language: str) -> str:
    """The monthly report's caption in the staff group: which month, and what it holds."""
    S_ = _staff(language)
    year, number = map(int, month.split("-"))
    name = format_date(date(year, number, 1), "LLLL y", locale=language)
    return S_("Broen's report for {month}: counts only, cells under 5 people hidden. /tal shows the last 30 days.").format(
        month=name)
