"""The monthly report as a PDF of charts, and `/tal`'s short text with one chart, in the
staff group's language (the staff catalogue).

matplotlib draws everything through its object interface (Figure, no pyplot), so a
report can be drawn in a worker thread while the bot goes on; it is imported only here,
so a bot that never draws a report never loads it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from bot.i18n import staff_translations
from bot.report import SMALLEST, Report
from flows.staff import OUTCOMES, REASONS, SN_, TOPICS

# A4 landscape, in inches.
PAGE = (11.69, 8.27)
TOPIC_LABELS = {**TOPICS, "handoff": SN_("asking for a person"), "crisis": SN_("crisis"),
                "smalltalk": SN_("small talk"), "other": SN_("other or not understood")}
OUTCOME_LABELS = {**OUTCOMES, "other": SN_("other (own words)"), "deleted": SN_("deleted by the person")}
SUPPRESSED = SN_("Fewer than {n} people: not shown.")


class _Pages:
    """One chart per page, each with a title and a line on what it shows."""

    def __init__(self, report: Report, site_name: str, language: str) -> None:
        self.report = report
        self.site_name = site_name
        self.language = language
        self.S_: Callable[[str], str] = staff_translations(language).gettext

    def figure(self, title: str, note: str = ""):
        from matplotlib.figure import Figure

        figure = Figure(figsize=PAGE)
        figure.suptitle(title, fontsize=18, x=0.06, ha="left")
        footer = f"Broen · {self.site_name} · {self.period()}"
        figure.text(0.06, 0.03, f"{note}\n{footer}" if note else footer, fontsize=9, color="#555555")
        return figure

    def period(self) -> str:
        p = self.report.period
        return f"{format_date(p.first, 'long', locale=self.language)} - {format_date(p.last, 'long', locale=self.language)}"

    def suppressed_note(self) -> str:
        return self.S_(SUPPRESSED).format(n=SMALLEST)

    def number(self, value: float | None) -> str:
        return "-" if value is None else format_decimal(value, "#,##0.#", locale=self.language)

    def bars(self, title: str, items: dict[str, int | float | None], labels: Callable[[str], str],
             percent: bool = False, note: str = ""):
        """Horizontal bars, largest first; suppressed items are listed, without a bar."""
        figure = self.figure(title, " ".join(filter(None, [note, self.suppressed_note()])))
        axes = figure.add_axes((0.25, 0.15, 0.68, 0.7))
        kept = sorted(((labels(key), value) for key, value in items.items() if value is not None), key=lambda kv: kv[1])
        hidden = sorted(labels(key) for key, value in items.items() if value is None)
        if kept:
            names, values = zip(*kept)
            axes.barh(names, values, color="#2a6f97")
            for index, value in enumerate(values):
                text = format_percent(value, "#,##0.#%", locale=self.language) if percent else self.number(value)
                axes.text(value, index, f" {text}", va="center", fontsize=10)
            if percent:
                axes.xaxis.set_major_formatter(lambda x, _: format_percent(x, "#,##0%", locale=self.language))
        else:
            axes.text(0.5, 0.5, self.S_("Nothing to show for this period."), ha="center", transform=axes.transAxes)
            axes.set_yticks([])
        axes.spines[["top", "right"]].set_visible(False)
        if hidden:
            figure.text(0.25, 0.09, self.S_("Not shown (fewer than {n} people): {items}").format(
                n=SMALLEST, items=", ".join(hidden)), fontsize=9)
        return figure

    # The pages, in order --------------------------------------------------------------

    def summary(self):
        r, S_ = self.report, self.S_
        figure = self.figure(S_("Broen: monthly report"))
        lines = [
            (S_("Period"), self.period()),
            (S_("People who wrote"), self.number(r.people)),
            (S_("Conversations"), self.number(r.conversations)),
            (S_("Messages from people"), self.number(r.messages)),
            (S_("Handed to a counsellor"), self.number(r.handoff_total)),
            (S_("From handoff to taken (median / 90 %)"), self.minutes()),
        ]
        for row, (label, value) in enumerate(lines):
            figure.text(0.08, 0.78 - row * 0.08, label, fontsize=15)
            figure.text(0.55, 0.78 - row * 0.08, value, fontsize=15, weight="bold")
        figure.text(0.08, 0.2, "\n".join([
            S_("A conversation is one person's messages with no pause longer than 30 minutes."),
            self.suppressed_note(),
            S_("The report holds counts only: no names and no messages."),
        ]), fontsize=11)
        return figure

    def minutes(self) -> str:
        if self.report.taken_minutes is None:
            return "-"
        median, p90 = self.report.taken_minutes
        return self.S_("{median} / {p90} min").format(median=self.number(round(median)), p90=self.number(round(p90)))

    def weeks(self):
        S_ = self.S_
        figure = self.figure(S_("Conversations and people per week"), self.suppressed_note())
        axes = figure.add_axes((0.08, 0.15, 0.88, 0.7))
        labels = [S_("week {number}").format(number=week.monday.isocalendar().week) for week in self.report.weeks]
        positions = range(len(labels))
        conversations = [week.conversations or 0 for week in self.report.weeks]
        people = [week.people or 0 for week in self.report.weeks]
        axes.bar([x - 0.2 for x in positions], conversations, width=0.4, label=S_("Conversations"), color="#2a6f97")
        axes.bar([x + 0.2 for x in positions], people, width=0.4, label=S_("People"), color="#f4a259")
        for x, week in zip(positions, self.report.weeks):
            if week.people is None:
                axes.text(x, 0, "<%d" % SMALLEST, ha="center", va="bottom", fontsize=9)
        axes.set_xticks(list(positions), labels)
        axes.legend()
        axes.spines[["top", "right"]].set_visible(False)
        return figure

    def topics(self):
        return self.bars(self.S_("What people asked about (messages)"), self.report.topics,
                         lambda key: self.S_(TOPIC_LABELS.get(key, TOPIC_LABELS["other"])))

    def languages(self):
        names = Locale.parse(self.language).languages
        return self.bars(self.S_("Languages (people)"), self.report.languages, lambda code: names.get(code, code))

    def heat(self):
        import numpy

        S_ = self.S_
        figure = self.figure(S_("When do people write? People per weekday and hour"), self.suppressed_note())
        axes = figure.add_axes((0.1, 0.15, 0.8, 0.7))
        grid = numpy.ma.masked_invalid(numpy.array(
            [[numpy.nan if cell is None else cell for cell in row] for row in self.report.heat], dtype=float))
        from matplotlib import colormaps

        palette = colormaps["Blues"].copy()
        palette.set_bad("#eeeeee")  # suppressed or nobody
        image = axes.imshow(grid, aspect="auto", cmap=palette, vmin=0)
        days = Locale.parse(self.language).days["format"]["abbreviated"]
        axes.set_yticks(range(7), [days[weekday] for weekday in range(7)])
        axes.set_xticks(range(0, 24, 2), [f"{hour:02d}" for hour in range(0, 24, 2)])
        axes.set_xlabel(S_("Hour of the day"))
        figure.colorbar(image, ax=axes, label=S_("People"))
        return figure

    def handoffs(self):
        return self.bars(self.S_("Handed to a counsellor, by reason"), self.report.handoffs,
                         lambda key: self.S_(REASONS.get(key, key)))

    def taken(self):
        S_ = self.S_
        figure = self.figure(S_("From handoff to taken by a counsellor"), self.suppressed_note())
        axes = figure.add_axes((0.25, 0.3, 0.6, 0.45))
        if self.report.taken_minutes is None:
            axes.text(0.5, 0.5, S_("Nothing to show for this period."), ha="center", transform=axes.transAxes)
            axes.set_axis_off()
            return figure
        median, p90 = self.report.taken_minutes
        axes.barh([S_("90 % within"), S_("Median")], [p90, median], color=["#f4a259", "#2a6f97"])
        for index, value in enumerate([p90, median]):
            axes.text(value, index, " " + S_("{minutes} min").format(minutes=self.number(round(value))), va="center")
        axes.set_xlabel(S_("Minutes (working hours and nights included)"))
        axes.spines[["top", "right"]].set_visible(False)
        figure.text(0.25, 0.2, S_("{n} chats taken in the period.").format(n=self.report.taken_count), fontsize=11)
        return figure

    def outcomes(self):
        return self.bars(self.S_("How the chats ended"), self.report.outcomes,
                         lambda key: self.S_(OUTCOME_LABELS.get(key, key)))

    def not_understood(self):
        names = Locale.parse(self.language).languages
        return self.bars(self.S_("Not understood, per language (share of written messages)"), self.report.not_understood,
                         lambda code: names.get(code, code), percent=True,
                         note=self.S_("Where understanding must improve first."))


def render_pdf(report: Report, site_name: str, language: str = "da") -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    pages = _Pages(report, site_name, language)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": pages.S_("Broen: monthly report"), "Creator": "Broen"}) as pdf:
        for page in (pages.summary, pages.weeks, pages.topics, pages.languages, pages.heat, pages.handoffs,
                     pages.taken, pages.outcomes, pages.not_understood):
            pdf.savefig(page())
    return buffer.getvalue()


def render_chart(report: Report, site_name: str, language: str = "da") -> bytes:
    """`/tal`'s chart: what people asked about, as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _Pages(report, site_name, language).topics()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def summary_text(report: Report, language: str = "da") -> str:
    """`/tal`: the last 30 days in a few lines."""
    pages = _Pages(report, "", language)
    S_ = pages.S_
    worst = max(((code, share) for code, share in report.not_understood.items() if share is not None),
                key=lambda item: item[1], default=None)
    lines = [
        S_("Broen, {period}:").format(period=pages.period()),
        S_("People who wrote: {value}").format(value=pages.number(report.people)),
        S_("Conversations: {value}").format(value=pages.number(report.conversations)),
        S_("Handed to a counsellor: {value}").format(value=pages.number(report.handoff_total)),
        S_("From handoff to taken (median / 90 %): {value}").format(value=pages.minutes()),
    ]
    if worst is not None:
        name = Locale.parse(language).languages.get(worst[0], worst[0])
        lines.append(S_("Least understood: {language} ({share} not understood)").format(
            language=name, share=format_percent(worst[1], "#,##0%", locale=language)))
    lines.append(pages.suppressed_note())
    return "\n".join(lines)
