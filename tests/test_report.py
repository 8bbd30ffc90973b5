"""The monthly report and `/tal`: a month of conversations written through the real core
(what a message is about is scripted), with handoffs taken and closed by counsellors;
the report's figures, the cells under 5 people hidden, no names or words in the PDF; the
PDF rendered page by page to PNG (pdfium); sent once on the 1st at 09:00."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
from babel.numbers import format_percent
import pytest

from bot.__main__ import main
from bot.clock import COPENHAGEN
from bot.handoff import Handoff
from bot.outbox import Dispatcher
from bot.report import Period, aggregate, gather
from bot.report_pdf import render_pdf, summary_text
from bot.store.tickets import Tickets
from conftest import EXAMPLE_SITE, RecordingOutlet, press, say, scripted_core, staff_gettext

pytestmark = pytest.mark.both_databases

TOPICS = {"hvornår er der åben vejledning": "opening_hours", "متى يفتح الإرشاد": "opening_hours",
          "kan jeg få fritidsjob": "leisure_job_find", "how much can i earn": "leisure_job_rules"}
core = scripted_core(TOPICS)
HEIDI = EXAMPLE_SITE.counsellor("heidi")
# Longer than a follow-up about the opening hours ("and where is it?"): not understood.
SECRET_WORDS = "det her er min hemmelige historie om min familie"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=COPENHAGEN)


async def seed(core, clock) -> None:
    """November 2026: six Danish writers and five Arabic on Thursday afternoons, two
    Somali (too few to show), two English; five handoffs, taken after 10-50 minutes."""
    for n in range(6):
        clock.moment = at(19, 16, n)
        await core.handle(say("hvornår er der åben vejledning", user=f"da{n}", first_name="Amal"))
        clock.moment = at(19, 16, n + 10)  # the same conversation: 10 minutes later
        await core.handle(say("kan jeg få fritidsjob", user=f"da{n}"))
        clock.moment = at(26, 16, n)  # a second conversation a week later
        await core.handle(say("hvornår er der åben vejledning", user=f"da{n}"))
    for n in range(5):
        clock.moment = at(19, 16, 30 + n)
        await core.handle(say("متى يفتح الإرشاد", user=f"ar{n}"))
        await core.handle(say("asd qwe zxc rty fgh vbn uio", user=f"ar{n}"))  # not understood
    for n in range(2):
        clock.moment = at(20, 21, n)
        await core.handle(say("Waa maxay shaqada", user=f"so{n}"))
        clock.moment = at(21, 10, n)
        await core.handle(say("how much can i earn", user=f"en{n}"))
    for n in range(5):  # five Danish writers ask for a person; Heidi takes after 10, 20, ... 50 minutes
        clock.moment = at(19, 17, n)
        await core.handle(say(SECRET_WORDS, user=f"da{n}"))
        await core.handle(press("person", user=f"da{n}"))
        await core.handle(press("agegroup:15_17", user=f"da{n}"))
        await core.handle(press("consent:yes", user=f"da{n}"))
    for n, ticket in enumerate(sorted(await core.handoff.tickets.active(), key=lambda t: t.id)):
        clock.moment = ticket.created_at + timedelta(minutes=10 * (n + 1))
        await core.handoff.staff.take(HEIDI, ticket.id)
        await core.handoff.staff.close(HEIDI, ticket.id, "answered" if n < 4 else "hun flytter til Odense")
    clock.moment = at(3, 12, month=12)
    await core.handle(say("hvornår er der åben vejledning", user="december"))  # outside the month


async def test_the_report_counts_a_month_and_hides_every_cell_under_5_people(core, clock):
    await seed(core, clock)
    report = await gather(core.store.sessions, Period.month(2026, 11))
    # Danish: 16:00 and 16:10 are one conversation, the question at 17:00 (after 50 minutes) another,
    # a week later a third; five of them asked the question at 17.
    assert (report.people, report.conversations) == (15, 6 * 2 + 5 + 5 + 2 + 2)
    assert report.languages == {"da": 6, "ar": 5, "so": None, "en": None}
    assert report.topics["opening_hours"] == 6 * 2 + 5
    assert report.topics["leisure_job"] == 6 + 2  # eight people: shown
    assert report.heat[3][16] == 11 and report.heat[3][17] == 5  # Thursdays: 16-17 and 17-18
    assert report.heat[4][21] is None and report.heat[5][10] is None  # the Somali and English writers
    assert [(week.monday.day, week.people) for week in report.weeks] == [(26, None), (2, None), (9, None),
                                                                         (16, 15), (23, 6), (30, None)]
    assert report.handoffs == {"offer": 5}
    assert report.taken_minutes == (30.0, 50.0) and report.taken_count == 5
    assert report.outcomes == {"answered": None, "other": None}  # four and one: both under 5
    assert report.not_understood["ar"] == 0.5 and report.not_understood["so"] is None


async def test_the_pdf_renders_to_png_pages_without_names_or_words(core, clock, tmp_path):
    await seed(core, clock)
    report = await gather(core.store.sessions, Period.month(2026, 11))
    pdf = pdfium.PdfDocument(render_pdf(report, EXAMPLE_SITE.name, "da"))
    assert len(pdf) == 9  # summary, weeks, topics, languages, heat map, handoffs, time to taken, outcomes, understanding
    text = ""
    for number, page in enumerate(pdf):
        image = page.render(scale=1).to_pil()
        image.save(tmp_path / f"page-{number}.png")
        width, height = image.size
        assert abs(width / height - 297 / 210) < 0.01  # A4 landscape
        assert len(image.convert("L").getcolors(256)) > 10, number  # drawn, not blank
        text += page.get_textpage().get_text_range()
    for expected in (staff_gettext("Broen: monthly report"), staff_gettext("Languages (people)"), "arabisk",
                     staff_gettext("Not shown (fewer than {n} people): {items}").format(n=5, items="engelsk, somali")):
        assert expected in text, expected
    for private in ("Amal", SECRET_WORDS, "Odense", "hemmelige"):
        assert private not in text
    pdf.close()


async def test_the_staff_group_gets_the_report_once_on_the_1st_at_9(core, clock, store):
    await seed(core, clock)
    clock.moment = at(1, 8, 59, month=12)
    await core.tick()
    outlet = RecordingOutlet()
    staff = Dispatcher(core.handoff, outlet, "staff")
    await staff.run_once()
    assert outlet.files == []
    clock.moment = at(1, 9, 0, month=12)
    await core.tick()
    await core.tick()
    # A restart (a new worker) on the same database does not send it again.
    await Handoff(Tickets(store.sessions), EXAMPLE_SITE, clock).reminders.tick()
    await staff.run_once()
    [(thread, report)] = outlet.files
    assert thread is None and report.filename == "broen-2026-11.pdf" and report.data.startswith(b"%PDF")
    assert "november 2026" in report.caption
    assert pages(report.data) == 9


async def test_tal_sends_the_last_30_days_with_a_chart(core, clock):
    await seed(core, clock)
    clock.moment = at(30, 12)
    await core.handoff.staff.numbers(thread_id=None)
    outlet = RecordingOutlet()
    await Dispatcher(core.handoff, outlet, "staff").run_once()
    [(_, chart)] = outlet.files
    assert chart.photo and chart.data.startswith(b"\x89PNG")
    assert staff_gettext("People who wrote: {value}").format(value="15") in chart.caption
    assert staff_gettext("Least understood: {language} ({share} not understood)").format(
        language="arabisk", share=format_percent(0.5, "#,##0%", locale="da")) in chart.caption
    assert len(chart.caption) <= 1024  # Telegram's limit for a caption
    # The drawing process has ended: matplotlib's memory is not kept after the chart.
    assert multiprocessing.active_children() == []


# A bot that draws (`time.sleep` stands in for a long drawing) and is killed mid-drawing;
# it writes its drawing process's pid to the file named in argv[1].
_KILLED_WHILE_DRAWING = """
import asyncio, multiprocessing, os, sys, time
from pathlib import Path
from bot.drawing import drawn

async def main():
    asyncio.create_task(drawn(time.sleep, 120))
    while not multiprocessing.active_children():
        await asyncio.sleep(0.05)
    await asyncio.sleep(2)  # the worker is drawing
    Path(sys.argv[1]).write_text(" ".join(str(child.pid) for child in multiprocessing.active_children()))
    os._exit(1)  # no shutdown, no cleanup: as a kill or a crash

asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_the_drawing_process_ends_when_the_bot_is_killed_in_the_middle_of_a_drawing(tmp_path):
    # Without this, a restart during the monthly report left a 155 MB orphan running.
    pid_file = tmp_path / "worker.pid"
    subprocess.run([sys.executable, "-c", _KILLED_WHILE_DRAWING, str(pid_file)], timeout=60, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent)
    [worker] = [int(pid) for pid in pid_file.read_text().split()]
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    still = _running(worker)
    if still:
        os.kill(worker, signal.SIGKILL)
    assert not still


async def test_the_report_command_writes_the_pdf(core, clock, database_url, tmp_path, monkeypatch, capsys):
    await seed(core, clock)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "report.pdf"
    assert await_main(["report", "--month", "2026-11", "--out", str(out)]) == 0
    assert pages(out.read_bytes()) == 9
    assert await_main(["report", "--month", "november"]) == 2
    assert "2026-11" in capsys.readouterr().err


def pages(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def await_main(argv: list[str]) -> int:
    """The command runs its own event loop: in a thread, beside the test's."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(main, argv).result()


def test_the_summary_says_when_nothing_is_shown():
    empty = aggregate(Period.month(2026, 10), [], [])
    text = summary_text(empty, "da")
    assert staff_gettext("People who wrote: {value}").format(value="-") in text
