"""A printable A4 poster for one desk: a QR code that opens Broen on Telegram at that
desk (https://t.me/<bot>?start=<desk id>), the desk's name, address and weekly hours,
the languages spoken there, and a two-line welcome in each chosen language.

The poster hangs where the desk is, in Denmark, so the facts are in Danish; the
welcomes are in the chosen languages, from the catalogues. segno draws the QR code and
fpdf2 the PDF, with HarfBuzz shaping (uharfbuzz) so Arabic, Farsi and Urdu are joined and
right to left. The Noto fonts come from Debian's fonts-noto-core, installed by `make`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF

from bot.clock import COPENHAGEN
from bot.i18n import is_rtl
from bot.site import Desk, Site
from flows.formatting import language_names, weekly
from flows.turn import N_, Turn

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
# One font per script: Noto Sans for Latin and Cyrillic, Noto Sans Arabic for Arabic
# and Farsi, Noto Nastaliq Urdu for Urdu (the hand Urdu readers expect).
FONTS = {
    "latin": FONT_DIR / "NotoSans-Regular.ttf",
    "latin-bold": FONT_DIR / "NotoSans-Bold.ttf",
    "arabic": FONT_DIR / "NotoSansArabic-Regular.ttf",
    "urdu": FONT_DIR / "NotoNastaliqUrdu-Regular.ttf",
}
SCRIPT_OF = {"ar": ("arabic", "arab"), "fa": ("arabic", "arab"), "ur": ("urdu", "arab")}
POSTER_LANGUAGE = "da"  # the facts on the poster: it hangs in Denmark
WELCOME = (
    N_("Questions about school, education or a leisure job?"),
    N_("Scan the code and write to us on Telegram, in your own language."),
)


class PosterError(ValueError):
    pass


@dataclass(frozen=True)
class Poster:
    desk: Desk
    link: str
    hours: str  # in Danish: "torsdag 16.00-18.00"
    spoken: str  # "Vi taler dansk, arabisk ...": the desk's counsellors' languages, in Danish
    welcomes: tuple[tuple[str, tuple[str, str]], ...]  # (language, its two lines)


def deep_link(bot_username: str, desk_id: str) -> str:
    """Telegram opens the bot and sends "/start <desk id>" when the person taps Start."""
    return f"https://t.me/{bot_username.removeprefix('@')}?start={desk_id}"


def poster_for(site: Site, desk_id: str, languages: Sequence[str], bot_username: str, now: datetime) -> Poster:
    desk = site.find_desk(desk_id)
    if desk is None:
        known = ", ".join(desk.id for desk in site.desks)
        raise PosterError(f"no desk {desk_id!r} in the site file; known: {known}")
    danish = Turn(POSTER_LANGUAGE, now)
    spoken = tuple(dict.fromkeys(code for person in site.counsellors if person.desk == desk.id
                                 for code in person.languages))
    spoken_line = danish.fill(N_("We speak {languages}."), languages=language_names(danish, spoken)) if spoken else ""
    return Poster(desk, deep_link(bot_username, desk.id), weekly(danish, desk.weekly), spoken_line,
                  tuple((code, _welcome(Turn(code, now))) for code in languages))


def _welcome(turn: Turn) -> tuple[str, str]:
    return turn._(WELCOME[0]), turn._(WELCOME[1])


def render(poster: Poster, out: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for name, path in FONTS.items():
        if not path.exists():
            raise PosterError(f"missing font {path}: run `make install` (Debian's fonts-noto-core)")
        pdf.add_font(name, fname=str(path))
    # "Telegram" and digits inside an Arabic, Farsi or Urdu line come from Noto Sans.
    pdf.set_fallback_fonts(["latin"])
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin

    pdf.set_font("latin-bold", size=26)
    pdf.multi_cell(width, 12, poster.desk.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("latin", size=14)
    pdf.multi_cell(width, 8, poster.desk.address, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 8, poster.hours, align="C", new_x="LMARGIN", new_y="NEXT")
    if poster.spoken:
        pdf.multi_cell(width, 8, poster.spoken, align="C", new_x="LMARGIN", new_y="NEXT")

    image = io.BytesIO()
    segno.make(poster.link, error="m").save(image, kind="png", scale=10, border=2)
    size = 80
    pdf.image(image, x=(pdf.w - size) / 2, y=pdf.get_y() + 4, w=size, h=size)
    pdf.set_y(pdf.get_y() + size + 6)
    pdf.set_font("latin", size=11)
    pdf.multi_cell(width, 6, poster.link, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    for code, lines in poster.welcomes:
        font, script = SCRIPT_OF.get(code, ("latin", None))
        pdf.set_font(font, size=12)
        rtl = is_rtl(code)
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr", script=script, language=code)
        pdf.multi_cell(width, 9 if code == "ur" else 7, "\n".join(lines), align="R" if rtl else "L",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_shaping(False)
        pdf.ln(2)
    pdf.output(str(out))


def make_poster(site: Site, desk_id: str, languages: Sequence[str], bot_username: str, out: Path,
                now: datetime | None = None) -> Poster:
    poster = poster_for(site, desk_id, languages, bot_username, now or datetime.now(COPENHAGEN))
    render(poster, out)
    return poster
