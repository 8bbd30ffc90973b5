"""The staff side of a handoff: a counsellor takes a chat, answers, passes it on and
closes it, from the staff group's buttons and commands (or `chat --as`); and how a
ticket's card and transcript look when the dispatcher sends them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.actions import StaffAct, StaffAction
from bot.clock import local
from bot.drawing import drawn
from bot.handoff.common import Side
from bot.matching import expect_answer
from bot.report import Period, gather
from bot.report_pdf import render_chart, render_pdf, summary_text  # matplotlib itself loads only where drawn
from bot.replies import Button, Reply
from bot.site import Counsellor
from bot.store.models import Message
from bot.store.tickets import Kind, Out, State, Target, TicketView
from flows import handoff as texts
from flows import staff as staff_texts
from flows.turn import Turn



# `/tal`: the last this many days.
NUMBERS_DAYS = 30


@dataclass(frozen=True)
class Attachment:
    """A file for the staff group: the monthly report (a PDF) or `/tal`'s chart (a photo)."""

    filename: str
    data: bytes
    caption: str
    photo: bool = False


def staff_reply(text: str, buttons: tuple[tuple[str, str], ...] = ()) -> Reply:
    """An answer to the counsellor who acted, shown where they acted: the same Reply type
    as the person side's, so both sides render one way."""
    return Reply(text, tuple(Button(label, data) for label, data in buttons))


class StaffSide(Side):
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

    # Rendering, for the dispatcher

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
                                              expect_answer(person, ticket.created_at), dated=True) if person else "-"
            trigger = await self.tickets.message_text(ticket.trigger_message_id)
            summary = staff_texts.summary(messages, None if ticket.is_crisis else trigger, self.staff_language)
            parts.append(staff_texts.card(ticket, self.site, promised, summary, self.staff_language, trigger))
        if ticket.consent and messages:
            # Only what was written before the handoff: later messages are relayed anyway.
            before = [m for m in messages if local(m.created_at) <= ticket.created_at]
            parts += [(chunk, ()) for chunk in staff_texts.transcript(before, ticket.first_name, self.staff_language)]
        return parts

    async def numbers(self, thread_id: int | None) -> None:
        """`/tal`: the last 30 days, drawn when sent, where it was asked."""
        now = self.clock.now()
        await self.tickets.queue([Out(Target.STAFF, now.date().isoformat(), kind=Kind.NUMBERS, thread_id=thread_id)], now)

    async def attachment(self, kind: Kind, text: str) -> Attachment:
        """The monthly report for the month in `text`, or `/tal` for the 30 days up to the
        day in `text`, drawn now from the figures of this moment."""
        if kind == Kind.REPORT:
            year, month = map(int, text.split("-"))
            report = await gather(self.tickets.sessions, Period.month(year, month))
            data = await drawn(render_pdf, report, self.site.name, self.staff_language)
            caption = staff_texts.report_caption(text, self.staff_language)
            return Attachment(f"broen-{text}.pdf", data, caption)
        report = await gather(self.tickets.sessions, Period.days_before(date.fromisoformat(text), NUMBERS_DAYS))
        data = await drawn(render_chart, report, self.site.name, self.staff_language)
        return Attachment(f"broen-{text}.png", data, summary_text(report, self.staff_language), photo=True)

    def topic_title(self, ticket: TicketView) -> str:
        return staff_texts.topic_title(ticket, self.staff_language)

    async def nlu_down(self, failures: int) -> None:
        """The language understanding could not be started again: staff should know why
        Broen answers with the menu only."""
        note = staff_texts.nlu_down(failures, self.staff_language)
        await self.tickets.queue([Out(Target.STAFF, note)], self.clock.now())
