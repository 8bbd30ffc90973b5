"""The handoff between a person and a named counsellor, for both sides.

The conversation core opens tickets and relays the person's words; the staff side
(Telegram's staff group, or `chat --as <counsellor>`) takes, answers, passes on and
closes them. Every effect is a row in the outbox, written with the change itself, so
a restart in the middle of a handoff loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.actions import StaffAct, StaffAction
from bot.clock import Clock, local
from bot.matching import anyone_at_work, choose_counsellor, expect_answer
from bot.replies import Button, Reply, as_pairs
from bot.site import Counsellor, Site
from bot.store.models import Message
from bot.store.repository import Contact
from bot.store.tickets import Kind, NewTicket, Out, State, Target, Tickets, TicketView
from flows import handoff as texts
from flows import staff as staff_texts
from flows.turn import Turn
from nlu.screening import Category

log = logging.getLogger(__name__)

# An unclaimed chat is announced again after this long, during working hours.
ANNOUNCE_AGAIN_AFTER = timedelta(hours=2)


def staff_reply(text: str, buttons: tuple[tuple[str, str], ...] = ()) -> Reply:
    """An answer to the counsellor who acted, shown where they acted: the same Reply type
    as the person side's, so both sides render one way."""
    return Reply(text, tuple(Button(label, data) for label, data in buttons))


class Handoff:
    def __init__(self, tickets: Tickets, site: Site, clock: Clock, staff_language: str = "da") -> None:
        self.tickets = tickets
        self.site = site
        self.clock = clock
        self.staff_language = staff_language

    # The person's side -------------------------------------------------------------

    async def active(self, person_id: int) -> TicketView | None:
        return await self.tickets.active_for(person_id)

    async def open(
        self, contact: Contact, turn: Turn, reason: str, consent: bool | None, urgent: bool = False,
        crisis: Category | None = None, trigger_message_id: int | None = None,
    ) -> tuple[TicketView, Counsellor] | None:
        """Open a ticket with a chosen counsellor and queue its card. None when the site
        lists no counsellor. `consent` None means not asked yet (a crisis is urgent); a
        crisis ticket keeps the kind of danger and the message that raised it."""
        now = turn.now
        recent = await self.tickets.conversation(contact.person_id, staff_texts.TRANSCRIPT_MESSAGES)
        topic = next((m.topic for m in reversed(recent) if m.direction == "in" and m.topic in texts.TOPIC_NAMES), None)
        person = choose_counsellor(
            self.site, topic, turn.language, now, await self.tickets.load(),
            previous=await self.tickets.previous_counsellor(contact.person_id), urgent=urgent,
        )
        if person is None:
            return None
        # Out of hours a chat is queued: its card is posted without a notification and
        # announced in the morning summary. Urgent chats are announced at once.
        announce = urgent or anyone_at_work(self.site, now)
        ticket = await self.tickets.create(
            NewTicket(
                person_id=contact.person_id, reason=reason, urgent=urgent, topic=topic, language=turn.language,
                counsellor=person.id, consent=bool(consent),
                consent_wording=texts.CONSENT_WORDING if consent is not None else None,
                consent_at=now if consent is not None else None, announced_at=now if announce else None,
                crisis_category=crisis, trigger_message_id=trigger_message_id,
            ),
            now,
            [Out(Target.STAFF, "", kind=Kind.CARD, notify=announce)],
        )
        if ticket.counsellor != person.id:  # one was opened a moment before (a double tap)
            return ticket, self.site.find_counsellor(ticket.counsellor) or person
        log.info("ticket %s opened for %s (%s%s)", ticket.id, person.id, reason, ", urgent" if urgent else "")
        return ticket, person

    async def consent(self, ticket: TicketView, given: bool, now: datetime) -> None:
        """A consent answered after the ticket opened (a crisis opens it at once)."""
        note = Out(Target.STAFF, "", kind=Kind.TRANSCRIPT, ticket_id=ticket.id) if given else Out(
            Target.STAFF, staff_texts.fixed(staff_texts.CONSENT_REFUSED, self.staff_language), ticket_id=ticket.id)
        notes = [Out(Target.STAFF, staff_texts.fixed(staff_texts.CONSENT_GIVEN, self.staff_language), ticket_id=ticket.id)] if given else []
        await self.tickets.change(ticket.id, now, [*notes, note], consent=given,
                                  consent_wording=texts.CONSENT_WORDING, consent_at=now)

    async def relay_in(self, ticket: TicketView, kind: str, text: str | None, now: datetime) -> None:
        """The person's message into the ticket's topic (merged with others in a burst)."""
        if text:  # a caption comes with what it was written on
            line = staff_texts.relayed(ticket, text if kind == "text" else f"({kind}) {text}", self.staff_language)
        else:
            line = staff_texts.not_text(ticket, kind, self.staff_language)
        await self.tickets.queue([Out(Target.STAFF, line, kind=Kind.RELAY, ticket_id=ticket.id)], now)

    async def crisis_while_held(self, ticket: TicketView, category: Category, text: str, now: datetime) -> None:
        """A new crisis signal in a chat a counsellor has or is about to have: an urgent
        note with the kind of danger and the words, whatever the consent (vital interest)."""
        note = staff_texts.crisis_again(ticket, category, text, self.staff_language)
        await self.tickets.change(ticket.id, now, [Out(Target.STAFF, note, ticket_id=ticket.id)],
                                  urgent=True, announced_at=now, crisis_category=category)

    async def reassign(self, ticket: TicketView, turn: Turn, crisis: Category | None = None,
                       trigger_message_id: int | None = None) -> Counsellor | None:
        """The chat's counsellor has left the site file: someone else gets it, with a new
        card (urgent after a crisis). None when nobody is listed."""
        urgent = ticket.urgent or crisis is not None
        person = choose_counsellor(self.site, ticket.topic, turn.language, turn.now, await self.tickets.load(),
                                   urgent=urgent)
        if person is None:
            return None
        changes = {"crisis_category": crisis, "trigger_message_id": trigger_message_id} if crisis else {}
        await self.tickets.change(
            ticket.id, turn.now, [Out(Target.STAFF, "", kind=Kind.CARD, ticket_id=ticket.id, notify=True)],
            counsellor=person.id, state=State.OPEN, taken_at=None, urgent=urgent, announced_at=turn.now, **changes,
        )
        log.info("ticket %s reassigned to %s%s", ticket.id, person.id, " after a crisis signal" if crisis else "")
        return person

    async def forget(self, contact: Contact, now: datetime, farewell: Sequence[Reply] = ()) -> None:
        """/delete: everything about the person goes, the staff topics of their chats too
        (with the transcript and what was said there); the counsellors are told in the
        General topic; the farewell (what was deleted, what remains) is the last thing
        queued for the person."""
        notes = [Out(Target.PERSON, reply.text, buttons=as_pairs(reply.buttons), channel=contact.channel,
                     chat_id=contact.external_id) for reply in farewell]
        for ticket in await self.tickets.of_person(contact.person_id):
            if ticket.thread_id is not None:
                notes.append(Out(Target.STAFF, "", kind=Kind.DELETE_TOPIC, ticket_id=ticket.id))
            if ticket.state != State.CLOSED or ticket.thread_id is not None:
                person = self.site.find_counsellor(ticket.counsellor)
                note = staff_texts.topic_deleted(ticket.id, person.name if person else ticket.counsellor,
                                                 self.staff_language)
                notes.append(Out(Target.STAFF, note))
        await self.tickets.forget(contact.person_id, now, notes)

    # The staff side ----------------------------------------------------------------

    async def take(self, actor: Counsellor, ticket_id: int) -> list[Reply]:
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.state == State.CLOSED:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        if ticket.state == State.TAKEN:
            holder = self.site.find_counsellor(ticket.counsellor) or actor
            return [staff_reply(staff_texts.already_taken(holder, self.staff_language))]
        now = self.clock.now()
        if not await self._taken(ticket, actor, now):
            return await self.take(actor, ticket_id)  # someone else was quicker: say who
        return []

    async def _taken(self, ticket: TicketView, actor: Counsellor, now: datetime) -> bool:
        turn = Turn(ticket.language, now)
        return await self.tickets.change(
            ticket.id, now,
            [self._to_person(ticket, texts.taken(turn, actor)),
             Out(Target.STAFF, staff_texts.taken(actor, self.staff_language), ticket_id=ticket.id)],
            expect_state=(State.OPEN,), state=State.TAKEN, counsellor=actor.id, taken_at=now,
        )

    async def pass_menu(self, actor: Counsellor, ticket_id: int) -> list[Reply]:
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.state == State.CLOSED:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        others = [person for person in self.site.counsellors if person.id != ticket.counsellor]
        return [staff_reply(*staff_texts.pass_menu(ticket_id, others, self.staff_language))]

    async def pass_on(self, actor: Counsellor, ticket_id: int, to: str) -> list[Reply]:
        ticket = await self.tickets.get(ticket_id)
        after = self.site.find_counsellor(to)
        if ticket is None or ticket.state == State.CLOSED or after is None or after.id == ticket.counsellor:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        before = self.site.find_counsellor(ticket.counsellor) or actor
        now = self.clock.now()
        turn = Turn(ticket.language, now)
        referral = texts.referral(turn, self.site, after, expect_answer(after, now), ticket.consent)[0].text
        await self.tickets.change(
            ticket.id, now,
            [self._to_person(ticket, f"{texts.passed_on(turn, before, after)}\n\n{referral}"),
             Out(Target.STAFF, staff_texts.passed_on(before, after, self.staff_language), ticket_id=ticket.id)],
            state=State.OPEN, counsellor=after.id, taken_at=None, announced_at=now,
        )
        return []

    async def close_menu(self, actor: Counsellor, ticket_id: int) -> list[Reply]:
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.state == State.CLOSED:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        return [staff_reply(*staff_texts.close_menu(ticket_id, self.staff_language))]

    async def close(self, actor: Counsellor, ticket_id: int, outcome: str) -> list[Reply]:
        ticket = await self.tickets.get(ticket_id)
        if ticket is None or ticket.state == State.CLOSED:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        now = self.clock.now()
        # The stored outcome, with who closed it, fits the column (200) on every database.
        outcome = outcome.strip()[: 200 - len(actor.id) - 3] or "answered"
        await self.tickets.change(
            ticket.id, now,
            [self._to_person(ticket, texts.closed(Turn(ticket.language, now), actor)),
             Out(Target.STAFF, staff_texts.closed(actor, outcome, self.staff_language), ticket_id=ticket.id),
             Out(Target.STAFF, "", kind=Kind.CLOSE_TOPIC, ticket_id=ticket.id)],
            state=State.CLOSED, closed_at=now, outcome=f"{outcome} ({actor.id})",
        )
        return []

    async def relay_out(self, actor: Counsellor, ticket_id: int, text: str) -> list[Reply]:
        """A counsellor's message to the person, under the counsellor's name. Writing in
        a chat nobody has taken takes it."""
        ticket = await self.tickets.get(ticket_id)
        now = self.clock.now()
        conversation_id = await self.tickets.conversation_id(ticket.person_id) if ticket and ticket.person_id else None
        if ticket is None or conversation_id is None:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        stored = Message(conversation_id=conversation_id, direction="out", kind="counsellor", text=text,
                         author=actor.id, language=ticket.language, created_at=now)
        if ticket.state == State.CLOSED:
            stored.kind = "not_sent"  # kept with the conversation, so nothing is lost
            await self.tickets.queue([], now, stored)
            return [staff_reply(staff_texts.fixed(staff_texts.CLOSED_TOPIC, self.staff_language))]
        if ticket.state == State.OPEN:
            await self._taken(ticket, actor, now)
        await self.tickets.queue([self._to_person(ticket, texts.from_counsellor(actor, text))], now, stored)
        return []

    async def press(self, actor: Counsellor, data: str) -> list[Reply]:
        """A button pressed in the staff group: take, pass on (menu, choice), close
        (menu, outcome). Anything else, forged or outdated, changes nothing."""
        action = StaffAction.decode(data)
        if action is None:
            return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]
        act, ticket_id, value = action.act, action.ticket_id, action.value
        if act is StaffAct.TAKE and not value:
            return await self.take(actor, ticket_id)
        if act is StaffAct.PASS_MENU and not value:
            return await self.pass_menu(actor, ticket_id)
        if act is StaffAct.PASS and value:
            return await self.pass_on(actor, ticket_id, value)
        if act is StaffAct.CLOSE_MENU and not value:
            return await self.close_menu(actor, ticket_id)
        if act is StaffAct.CLOSE and value in staff_texts.OUTCOMES:
            return await self.close(actor, ticket_id, value)
        return [staff_reply(staff_texts.fixed(staff_texts.STALE, self.staff_language))]

    async def close_command(self, actor: Counsellor, ticket_id: int, note: str) -> list[Reply]:
        """`/luk` shows the outcomes; `/luk <words>` closes with the words as the outcome."""
        return await self.close(actor, ticket_id, note) if note.strip() else await self.close_menu(actor, ticket_id)

    def _to_person(self, ticket: TicketView, text: str) -> Out:
        return Out(Target.PERSON, text, ticket_id=ticket.id, channel=ticket.channel, chat_id=ticket.chat_id)

    # Rendering, for the dispatcher -------------------------------------------------

    async def render(self, kind: Kind, ticket_id: int) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        """A card (with the transcript when consented) or a transcript, as it is now."""
        ticket = await self.tickets.get(ticket_id)
        if ticket is None:
            return []
        messages = await self.tickets.conversation(ticket.person_id, staff_texts.TRANSCRIPT_MESSAGES) \
            if ticket.person_id else []
        parts: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        if kind == Kind.CARD:
            person = self.site.find_counsellor(ticket.counsellor)
            promised = texts.expectation_line(Turn(self.staff_language, ticket.created_at), person,
                                              expect_answer(person, ticket.created_at)) if person else "-"
            summary = staff_texts.summary(messages, ticket.consent, self.staff_language)
            trigger = await self.tickets.message_text(ticket.trigger_message_id)
            parts.append(staff_texts.card(ticket, self.site, promised, summary, self.staff_language, trigger))
        if ticket.consent and messages:
            # Only what was written before the handoff: later messages are relayed anyway.
            before = [m for m in messages if local(m.created_at) <= ticket.created_at]
            parts += [(chunk, ()) for chunk in staff_texts.transcript(before, ticket.first_name, self.staff_language)]
        return parts

    def topic_title(self, ticket: TicketView) -> str:
        return staff_texts.topic_title(ticket, self.staff_language)

    async def nlu_down(self, failures: int) -> None:
        """The language understanding could not be started again: staff should know why
        Broen answers with the menu only."""
        note = staff_texts.nlu_down(failures, self.staff_language)
        await self.tickets.queue([Out(Target.STAFF, note)], self.clock.now())

    # Reminders ---------------------------------------------------------------------

    async def tick(self) -> None:
        """Runs every minute: the morning summary of chats queued out of hours, and
        announcing unclaimed chats again, both only while someone is at work."""
        now = self.clock.now()
        if not anyone_at_work(self.site, now):
            return
        waiting = [ticket for ticket in await self.tickets.active() if ticket.state == State.OPEN]
        queued = [ticket for ticket in waiting if ticket.announced_at is None]
        if queued:
            summary = Out(Target.STAFF, staff_texts.morning_summary(queued, self.site, self.staff_language))
            for i, ticket in enumerate(queued):
                await self.tickets.change(ticket.id, now, [summary] if i == 0 else [], announced_at=now)
        for ticket in waiting:
            if ticket.announced_at is not None and now - ticket.announced_at >= ANNOUNCE_AGAIN_AFTER:
                person = self.site.find_counsellor(ticket.counsellor)
                note = Out(Target.STAFF, staff_texts.still_waiting(ticket, person, self.staff_language), ticket_id=ticket.id)
                await self.tickets.change(ticket.id, now, [note], announced_at=now)
