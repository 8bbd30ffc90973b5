"""What Broen did in a period, as aggregates for the monthly report and `/tal`.

Housing social work documents what it does; this gives it the figures without giving
away a person: only counts, any cell with fewer than 5 people is suppressed (None), and
no name or text is read. A conversation is one person's messages with no pause longer
than 30 minutes.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.clock import COPENHAGEN, local
from bot.store.models import Conversation, Message, Ticket
from nlu.topics import FALLBACK_INTENT

# A cell counting fewer people than this is not shown: in a small housing area a count
# of 1-4 can point at a person.
SMALLEST = 5
CONVERSATION_PAUSE = timedelta(minutes=30)
OUTCOMES = ("answered", "referred", "no_reply")  # the close buttons; anything else is "other"


def shown(people: int, value: int | float | None = None) -> int | float | None:
    """`value` (else the number of people itself), or None when fewer than 5 people are behind it."""
    if people < SMALLEST:
        return None
    return people if value is None else value


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(days=1))

    @classmethod
    def days_before(cls, today: date, days: int) -> Period:
        """The last `days` days, today included."""
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), COPENHAGEN)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), COPENHAGEN)


@dataclass(frozen=True)
class Week:
    monday: date
    conversations: int | None
    people: int | None


@dataclass(frozen=True)
class Report:
    """Every figure of a period; None wherever fewer than 5 people would be behind it."""

    period: Period
    people: int | None
    conversations: int | None
    messages: int | None
    weeks: list[Week]
    topics: dict[str, int | None]  # messages per topic
    languages: dict[str, int | None]  # people per language
    heat: list[list[int | None]]  # people per weekday (Monday first) and hour
    handoffs: dict[str, int | None]  # handoffs per reason
    taken_minutes: tuple[float, float] | None  # median and 90th percentile, from handoff to taken
    taken_count: int
    outcomes: dict[str, int | None]  # closed chats per outcome
    not_understood: dict[str, float | None]  # share of written messages not understood, per language
    handoff_total: int | None


@dataclass(frozen=True)
class Written:
    """A message a person sent, as the report needs it: who (a number), when, and how
    Broen read it; never its words."""

    person: int
    at: datetime
    kind: str
    language: str | None
    topic: str | None
    intent: str | None


def _conversations(messages: list[Written]) -> list[tuple[int, datetime]]:
    """(person, start) of each conversation: a pause over 30 minutes starts a new one."""
    starts, last_seen = [], {}
    for message in sorted(messages, key=lambda m: (m.person, m.at)):
        before = last_seen.get(message.person)
        if before is None or message.at - before > CONVERSATION_PAUSE:
            starts.append((message.person, message.at))
        last_seen[message.person] = message.at
    return starts


def _people_per(pairs: Iterable[tuple[object, int]]) -> dict[object, set[int]]:
    found: dict[object, set[int]] = defaultdict(set)
    for key, person in pairs:
        found[key].add(person)
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _outcome(stored: str | None) -> str:
    """The close button's outcome; a counsellor's own words never reach the report."""
    word = (stored or "").split(" ", 1)[0]
    return word if word in OUTCOMES else "other"


async def gather(sessions: async_sessionmaker, period: Period) -> Report:
    async with sessions() as session:
        rows = await session.execute(
            select(Conversation.person_id, Message.created_at, Message.kind, Message.language, Message.topic,
                   Message.intent)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .where(Message.direction == "in", Message.created_at >= period.start, Message.created_at < period.end))
        messages = [Written(person, local(at), kind, language, topic, intent)
                    for person, at, kind, language, topic, intent in rows]
        tickets = list(await session.execute(
            select(Ticket.person_id, Ticket.id, Ticket.reason, Ticket.created_at, Ticket.taken_at, Ticket.closed_at,
                   Ticket.outcome, Ticket.state)
            .where(Ticket.created_at >= period.start, Ticket.created_at < period.end)))
    return aggregate(period, messages, tickets)


def aggregate(period: Period, messages: list[Written], tickets: list) -> Report:
    """The figures of a period from its messages and tickets (rows with person_id, reason,
    created_at, taken_at, outcome and state), with every small cell hidden."""
    people = {m.person for m in messages}
    starts = _conversations(messages)

    weeks = []
    monday = period.first - timedelta(days=period.first.weekday())
    while monday <= period.last:
        sunday = monday + timedelta(days=6)
        in_week = [(person, at) for person, at in starts if monday <= at.date() <= sunday]
        who = {person for person, _ in in_week}
        weeks.append(Week(monday, shown(len(who), len(in_week)), shown(len(who))))
        monday += timedelta(days=7)

    written = [m for m in messages if m.kind == "text"]
    topic_people = _people_per((m.topic or "other", m.person) for m in written)
    topic_messages = defaultdict(int)
    for m in written:
        topic_messages[m.topic or "other"] += 1
    topics = {topic: shown(len(who), topic_messages[topic]) for topic, who in topic_people.items()}

    languages = {lang: shown(len(who)) for lang, who in _people_per((m.language or "?", m.person) for m in messages).items()}

    cells = _people_per(((m.at.weekday(), m.at.hour), m.person) for m in messages)
    heat = [[shown(len(cells.get((weekday, hour), ()))) for hour in range(24)] for weekday in range(7)]

    not_understood = {}
    for lang, who in _people_per((m.language or "?", m.person) for m in written).items():
        in_language = [m for m in written if (m.language or "?") == lang]
        missed = sum(m.intent == FALLBACK_INTENT for m in in_language)
        not_understood[lang] = shown(len(who), missed / len(in_language))

    # Tickets of people who deleted their data have no person: counted as one person, so
    # they never make a cell look bigger than it is.
    def holders(items) -> int:
        return len({ticket.person_id if ticket.person_id is not None else -1 for ticket in items})

    by_reason = defaultdict(list)
    for ticket in tickets:
        by_reason[ticket.reason].append(ticket)
    handoffs = {reason: shown(holders(items), len(items)) for reason, items in by_reason.items()}
    taken = [ticket for ticket in tickets if ticket.taken_at is not None]
    minutes = [(local(t.taken_at) - local(t.created_at)).total_seconds() / 60 for t in taken]
    taken_minutes = (statistics.median(minutes), _percentile(minutes, 0.9)) if holders(taken) >= SMALLEST else None
    by_outcome = defaultdict(list)
    for ticket in tickets:
        if ticket.state == "closed":
            by_outcome["deleted" if ticket.person_id is None and (ticket.outcome or "").startswith("deleted")
                       else _outcome(ticket.outcome)].append(ticket)
    outcomes = {outcome: shown(holders(items), len(items)) for outcome, items in by_outcome.items()}

    return Report(
        period=period, people=shown(len(people)), conversations=shown(len(people), len(starts)),
        messages=shown(len(people), len(messages)), weeks=weeks, topics=topics, languages=languages, heat=heat,
        handoffs=handoffs, taken_minutes=taken_minutes, taken_count=len(taken) if taken_minutes else 0,
        outcomes=outcomes, not_understood=not_understood, handoff_total=shown(holders(tickets), len(tickets)),
    )
