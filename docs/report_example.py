"""Draws the README's report pictures from an invented month (nobody's data):
`.venv/bin/python docs/report_example.py` writes docs/report-*.png and docs/report-example.pdf."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium

from bot.clock import COPENHAGEN
from bot.report import Period, Written, aggregate
from bot.report_pdf import render_pdf

HERE = Path(__file__).resolve().parent
LANGUAGES = {"da": 40, "ar": 22, "so": 14, "tr": 10, "en": 8, "ur": 5, "fa": 4, "uk": 3}
TOPICS = {"opening_hours": 30, "admission": 35, "leisure_job": 25, "smalltalk": 10, "handoff": 5}


def invented_month(seed: int = 14) -> tuple[list[Written], list]:
    rng = random.Random(seed)
    messages, tickets = [], []
    for person in range(160):
        language = rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0]
        for _ in range(rng.randint(1, 3)):  # conversations in the month
            day = datetime(2026, 11, rng.randint(1, 30), tzinfo=COPENHAGEN)
            # Evenings and the Thursday desk afternoon, hardly any mornings.
            hour = rng.choices(range(24), weights=[2, 1, 0, 0, 0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 12, 10, 12,
                                                   14, 14, 10, 5])[0]
            if day.weekday() == 3 and rng.random() < 0.4:
                hour = rng.choice((16, 17))
            moment = day + timedelta(hours=hour, minutes=rng.randint(0, 59))
            for turn in range(rng.randint(1, 5)):
                topic = rng.choices(list(TOPICS), weights=list(TOPICS.values()))[0]
                missed = rng.random() < {"da": 0.05, "en": 0.05, "ar": 0.09, "so": 0.12}.get(language, 0.08)
                messages.append(Written(person, moment + timedelta(minutes=2 * turn), "text", language,
                                    "other" if missed else topic, "nlu_fallback" if missed else f"{topic}_x"))
        if rng.random() < 0.2:
            created = datetime(2026, 11, rng.randint(1, 29), rng.randint(9, 20), tzinfo=COPENHAGEN)
            taken = created + timedelta(minutes=rng.choice((5, 15, 30, 60, 120, 600)))
            reason = rng.choices(["request", "offer", "not_understood", "crisis"], weights=[6, 4, 2, 1])[0]
            outcome = rng.choices(["answered (heidi)", "referred (amina)", "no_reply (emre)"], weights=[7, 2, 1])[0]
            tickets.append(SimpleNamespace(person_id=person, id=len(tickets) + 1, reason=reason, created_at=created,
                                           taken_at=taken, closed_at=taken + timedelta(hours=1), outcome=outcome,
                                           state="closed"))
    return messages, tickets


if __name__ == "__main__":
    report = aggregate(Period.month(2026, 11), *invented_month())
    pdf_bytes = render_pdf(report, "Nordparken (invented data)", "da")
    (HERE / "report-example.pdf").write_bytes(pdf_bytes)
    document = pdfium.PdfDocument(pdf_bytes)
    for number, name in ((4, "heatmap"), (8, "understanding")):
        document[number].render(scale=1.2).to_pil().save(HERE / f"report-{name}.png", optimize=True)
    print("written: docs/report-example.pdf, docs/report-heatmap.png, docs/report-understanding.png")
