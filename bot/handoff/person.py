"""The person's side of a handoff: opening a ticket with a named counsellor, the
person's consent, their words relayed into the staff topic, a crisis while a chat is
held, and /delete. Every effect is an outbox row written with the change itself."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.handoff.common import Side
from bot.matching import anyone_at_work, asked_for, choose_counsellor
from bot.replies import Reply, as_pairs
from bot.site import Counsellor
from bot.store.repository import Contact
from bot.store.tickets import Kind, NewTicket, Out, State, Target, TicketView
from flows import handoff as texts
from flows import staff as staff_texts
from flows.turn import Turn
from nlu.screening import Category

log = logging.getLogger(__name__)


class PersonSide(Side):
    async def active(self, person_id: int) -> TicketView | None:
        return await self.tickets.active_for(person_id)

    async def open(
        self, contact: Contact, turn: Turn, reason: str, consent: bool | None, urgent: bool = False,
        crisis: Category | None = None, trigger_message_id: int | None = None,
    ) -> tuple[TicketView, Counsellor] | None:
        """Open a ticket with a chosen counsellor and queue its card. None when the site
        lists no counsellor. `consent` None means not asked yet (a crisis is urgent); a
        crisis ticket keeps the kind of danger and the message that raised it, any other
        the question that led to it."""
        now = turn.now
        recent = await self.tickets.conversation(contact.person_id, staff_texts.TRANSCRIPT_MESSAGES)
        topic = next((m.topic for m in reversed(recent) if m.direction == "in" and m.topic in texts.TOPIC_NAMES), None)
        if trigger_message_id is None and (question := staff_texts.question_of(recent)) is not None:
            trigger_message_id = question.id  # the card carries the question, consent or not
        desk = self.site.find_desk(contact.state.desk)  # a poster's desk: its area's counsellors first
        said = [m.text for m in recent if m.direction == "in" and m.kind == "text" and m.text]
        person = choose_counsellor(
            self.site, topic, turn.language, now, await self.tickets.load(),
            previous=await self.tickets.previous_counsellor(contact.person_id), urgent=urgent,
            area=desk.area if desk else None, asked=asked_for(self.site, said),
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
