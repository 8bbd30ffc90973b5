"""Reminders, only when asked: "Remind me" under the opening hours and under the
deadline, sent through the outbox on a fixed clock, never at night, across holidays and
closures; listed by /mydata, stopped by /stop_reminders and deleted by /delete. On a real
database (SQLite and PostgreSQL); what a message is about is scripted (the real NLU's
reading is tested in test_core.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import COPENHAGEN
from bot.outbox import Dispatcher
from bot.reminders import awake
from bot.site import Closure, Hours
from bot.store.models import Reminder
from flows.formatting import day, long_date, names, time_of_day
from flows.turn import Turn
from conftest import EXAMPLE_SITE, RecordingOutlet, button_data, gettext, make_core, press, say, scripted_core

pytestmark = pytest.mark.both_databases

TOPICS = {
    "hvornår er der åben vejledning": "opening_hours",
    "when is the open guidance": "opening_hours",
    "hvornår er fristen for at søge gymnasiet": "admission_deadline",
    "when must my son apply for gymnasium": "admission_deadline",
}
core = scripted_core(TOPICS)
DESK = EXAMPLE_SITE.desks[0]  # Thursdays 16-18; closed 21 Dec 2026 - 1 Jan 2027


def at(year: int, month: int, day_: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day_, hour, minute, tzinfo=COPENHAGEN)


def moment(lang: str, when: datetime) -> str:
    turn = Turn(language=lang, now=when)
    return f"{day(turn, when.date())} {time_of_day(turn, when.time())}"


async def delivered(core) -> list[tuple[str, str, tuple]]:
    """What the person's chats receive from the outbox now."""
    outlet = RecordingOutlet()
    await Dispatcher(core.handoff, outlet, "person", channel="test").run_once()
    return outlet.person


async def tick(core) -> list[tuple[str, str, tuple]]:
    """The minute tick on the clock's time: the reminders it sends (the replies before it
    were sent already)."""
    await delivered(core)
    await core.tick()
    return await delivered(core)


async def press_remind(core, question: str, label: str, user: str = "u1", lang: str = "da"):
    replies = await core.handle(say(question, user=user))
    data = [button.data for reply in replies for button in reply.buttons if button.label == gettext(lang, label)]
    assert len(data) == 1, [b.label for r in replies for b in r.buttons]
    return await core.handle(press(data[0], user=user))


async def test_remind_me_after_the_opening_hours_comes_two_hours_before_the_next_opening(core, clock):
    clock.moment = at(2026, 11, 19, 17, 0)  # Thursday, during the opening: the next one is in a week
    confirmed = await press_remind(core, "hvornår er der åben vejledning", "Remind me")
    due = at(2026, 11, 26, 14, 0)
    assert gettext("da", "I will remind you on {moment}.").format(moment=moment("da", due)) in confirmed[0].text
    assert gettext("da", "/stop_reminders stops all reminders.") in confirmed[0].text
    clock.moment = due - timedelta(minutes=1)
    assert await tick(core) == []
    clock.moment = due
    [(chat, text, buttons)] = await tick(core)
    assert chat == "u1"
    assert gettext("da", "Reminder: {desk} is open today, {hours}, at {address}.").format(
        hours="16.00-18.00", desk=DESK.name, address=DESK.address) in text
    assert "person" in [data for _, data in buttons]
    clock.advance(minutes=1)
    assert await tick(core) == []  # once


async def test_the_reminder_skips_a_public_holiday_and_speaks_the_persons_language(core, clock):
    # Ascension Day 2027 is Thursday 6 May: the next opening after 29 April is 13 May.
    clock.moment = at(2027, 4, 29, 19, 0)
    confirmed = await press_remind(core, "when is the open guidance", "Remind me", lang="en")
    assert moment("en", at(2027, 5, 13, 14, 0)) in confirmed[0].text
    clock.moment = at(2027, 5, 6, 14, 0)
    assert await tick(core) == []
    clock.moment = at(2027, 5, 13, 14, 0)
    [(_, text, _)] = await tick(core)
    assert text.startswith(f"Reminder: {DESK.name} is open today, 4:00\u202fPM-6:00\u202fPM")


async def test_across_the_christmas_closure_the_reminder_is_for_january(core, clock):
    clock.moment = at(2026, 12, 17, 18, 30)  # the last Thursday before the closure, after it closed
    confirmed = await press_remind(core, "hvornår er der åben vejledning", "Remind me")
    assert moment("da", at(2027, 1, 7, 14, 0)) in confirmed[0].text


async def test_a_cancelled_opening_gets_a_correction_instead_of_a_reminder(core, clock, store, scripted, screen,
                                                                            detector):
    clock.moment = at(2026, 11, 19, 18, 30)
    await press_remind(core, "hvornår er der åben vejledning", "Remind me")
    # The desk closes on 26 November after all; the site file says so at the next start.
    closed = replace(DESK, closed=(*DESK.closed, Closure(date(2026, 11, 26), date(2026, 11, 26), "personalemøde")))
    restarted = make_core(store, scripted, screen, detector, clock, site=replace(EXAMPLE_SITE, desks=(closed,)))
    clock.moment = at(2026, 11, 26, 14, 0)
    [(_, text, buttons)] = await tick(restarted)
    assert gettext("da", "About your reminder for {desk}:").format(desk=DESK.name) in text
    assert "personalemøde" in text
    assert gettext("da", "Reminder: {desk} is open today, {hours}, at {address}.").split("{")[0] not in text
    turn = Turn(language="da", now=clock.moment)
    assert gettext("da", "It opens again on {day}, {start}-{end}.").format(
        day=day(turn, date(2026, 12, 3)), start="16.00", end="18.00") in text
    assert "remind:desk:beboerhuset" in [data for _, data in buttons]  # to be reminded of that one


async def test_no_reminder_goes_at_night(core, clock, store, scripted, screen, detector):
    # A desk opening at 09:30 and one at 09:00: two hours before is night.
    early = replace(DESK, id="early", weekly={3: (Hours(time(9, 30), time(11, 0)),)}, closed=(), extra=())
    dawn = replace(DESK, id="dawn", weekly={3: (Hours(time(9, 0), time(11, 0)),)}, closed=(), extra=())
    site = replace(EXAMPLE_SITE, desks=(early, dawn))
    logic = make_core(store, scripted, screen, detector, clock, site=site)
    clock.moment = at(2026, 11, 19, 12, 0)
    first = await logic.handle(press("remind:desk:early"))
    second = await logic.handle(press("remind:desk:dawn"))
    # 09:00 on the morning itself when that is still before the opening, else 20:00 the evening before.
    assert moment("da", at(2026, 11, 26, 9, 0)) in first[0].text
    assert moment("da", at(2026, 11, 25, 20, 0)) in second[0].text
    # The bot was down in the evening: what fell due waits for 09:00, and is still sent then.
    clock.moment = at(2026, 11, 25, 21, 30)
    assert await tick(logic) == []
    clock.moment = at(2026, 11, 26, 9, 0)
    texts = [text for _, text, _ in await tick(logic)]
    assert len(texts) == 2
    assert any(gettext("da", "Reminder: {desk} is open today, {hours}, at {address}.").format(
        hours="09.00-11.00", desk=dawn.name, address=dawn.address) in text for text in texts)
    # An opening that is over by the time the bot is back gets nothing.
    await logic.handle(press("remind:desk:early"))  # for 3 December
    clock.moment = at(2026, 12, 3, 12, 0)
    assert await tick(logic) == []
    assert [awake(at(2026, 1, 1, hour), at(2026, 1, 2, 16)).hour for hour in (8, 12, 20, 22)] == [9, 12, 20, 9]


async def test_the_deadline_reminders_come_14_and_2_days_before_1_march_to_a_parent_as_a_parent(core, clock):
    clock.moment = at(2027, 1, 10, 22, 0)
    confirmed = await press_remind(core, "when must my son apply for gymnasium", "Remind me about the deadline", lang="en")
    first, second = at(2027, 2, 15, 17, 0), at(2027, 2, 27, 17, 0)
    turn = Turn(language="en", now=clock.moment)
    assert gettext("en", "I will remind you on {moments}.").format(
        moments=names(turn, [moment("en", first), moment("en", second)])) in confirmed[0].text
    sent = []
    for when in (first, second):
        clock.moment = when
        sent += [text for _, text, _ in await tick(core)]
    deadline = long_date(turn, date(2027, 3, 1))
    assert all(gettext("en", "Reminder: your child applies for youth education on optagelse.dk by {date}.").format(
        date=deadline) in text for text in sent) and len(sent) == 2


async def test_the_deadline_reminder_too_close_or_after_the_deadline(core, clock):
    clock.moment = at(2027, 2, 28, 12, 0)  # a day before: too close for either reminder
    replies = await press_remind(core, "hvornår er fristen for at søge gymnasiet", "Remind me about the deadline")
    turn = Turn(language="da", now=clock.moment)
    assert replies[0].text == gettext("da", "The deadline is {date}: too close for a reminder. Apply on optagelse.dk "
                                            "now.").format(date=long_date(turn, date(2027, 3, 1)))
    clock.moment = at(2027, 2, 20, 12, 0)  # between the two: only the second
    replies = await core.handle(press("remind:deadline"))
    assert moment("da", at(2027, 2, 27, 17, 0)) in replies[0].text and "15." not in replies[0].text
    clock.moment = at(2027, 3, 2, 12, 0)  # after it: next year's (2028 is a leap year: 16 February)
    replies = await core.handle(press("remind:deadline"))
    assert moment("da", at(2028, 2, 16, 17, 0)) in replies[0].text


async def test_mydata_lists_reminders_and_stop_and_delete_remove_them(core, clock, store):
    clock.moment = at(2026, 11, 19, 17, 0)
    await press_remind(core, "hvornår er der åben vejledning", "Remind me")
    await core.handle(press("remind:desk:beboerhuset"))  # a second press adds nothing
    await core.handle(press("remind:deadline"))
    mine = "\n".join(reply.text for reply in await core.handle(say("/mine_data", kind="command")))
    opening = gettext("da", "Reminder: {value}").format(
        value=f"{moment('da', at(2026, 11, 26, 14, 0))}, {gettext('da', 'the open guidance')}")
    assert mine.count(opening) == 1
    assert gettext("da", "the application deadline") in mine
    stopped = await core.handle(say("/stop_paamindelser", kind="command"))
    assert stopped[0].text == gettext("da", "Stopped: you get no more reminders.")
    assert (await core.handle(say("/stop_reminders", kind="command")))[0].text == gettext("da", "You have no reminders.")
    clock.moment = at(2026, 11, 26, 14, 0)
    assert await tick(core) == []
    # /delete takes reminders with everything else.
    await core.handle(press("remind:deadline"))
    await core.handle(press("delete:yes"))
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 0


async def test_forged_reminder_buttons_get_the_stale_answer_and_store_nothing(core, store):
    stale = gettext("da", "That button no longer works. Here is the menu:")
    for data in ("remind:desk:nowhere", "remind:desk:", "remind:tomorrow", "remind"):
        replies = await core.handle(press(data))
        assert replies[0].text.startswith(stale.split(".")[0]), data
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 0


async def test_the_buttons_sit_under_the_opening_hours_and_the_deadline_only(core, clock):
    assert "remind:desk:beboerhuset" in button_data(await core.handle(say("hvornår er der åben vejledning")))
    assert "remind:deadline" in button_data(await core.handle(say("hvornår er fristen for at søge gymnasiet")))
    assert "remind:deadline_child" in button_data(await core.handle(say("when must my son apply for gymnasium")))
    assert not any(data.startswith("remind") for data in button_data(await core.handle(press("topic:admission"))))
