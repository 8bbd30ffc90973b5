"""Posters with a deep link (issue 14): the PDF a desk prints, read back as a phone and
a person would read it, and what the link does when a young person taps Start."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from bot.__main__ import main
from bot.clock import COPENHAGEN
from bot.matching import choose_counsellor
from bot.poster import make_poster
from bot.site import SiteError, load_site
from conftest import EXAMPLE_SITE, gettext, say

THURSDAY = datetime(2026, 11, 19, 14, 30, tzinfo=COPENHAGEN)


def read_pdf(path) -> tuple[list[str], str]:
    """The QR codes a phone finds on the printed page, and the page's text."""
    page = pdfium.PdfDocument(str(path))[0]
    codes = [code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
    return codes, page.get_textpage().get_text_range()


def test_the_poster_holds_a_qr_code_to_the_desk_and_its_hours(tmp_path):
    out = tmp_path / "poster.pdf"
    poster = make_poster(EXAMPLE_SITE, "beboerhuset", ["da", "ar", "so", "uk"], "@BroenNordparkenBot", out, THURSDAY)
    codes, text = read_pdf(out)
    assert codes == ["https://t.me/BroenNordparkenBot?start=beboerhuset"] == [poster.link]
    for line in ("Åben vejledning i Beboerhuset", "Nordparken 12, 8200 Aarhus N", "torsdag 16.00-18.00",
                 "Vi taler dansk, engelsk, arabisk, somali og tyrkisk.",
                 gettext("da", "Questions about school, education or a leisure job?"),
                 gettext("so", "Scan the code and write to us on Telegram, in your own language."),
                 gettext("uk", "Questions about school, education or a leisure job?"),
                 gettext("ar", "Questions about school, education or a leisure job?")):  # shaped, read back in order
        assert line in text, line
    assert [code for code, _ in poster.welcomes] == ["da", "ar", "so", "uk"]


def test_the_poster_command_names_what_is_wrong(tmp_path, monkeypatch, capsys):
    # Empty, not unset: a developer's .env must not fill them in (load_dotenv keeps what is set).
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "")
    out = tmp_path / "p.pdf"
    assert main(["poster", "--desk", "kaelderen", "--out", str(out), "--bot-username", "BroenBot"]) == 1
    assert "no desk 'kaelderen' in the site file; known: beboerhuset" in capsys.readouterr().err
    assert main(["poster", "--desk", "beboerhuset", "--out", str(out)]) == 2
    assert "Pass --bot-username" in capsys.readouterr().err
    assert main(["poster", "--desk", "beboerhuset", "--languages", "da,xx", "--out", str(out), "--bot-username", "B"]) == 2
    assert not out.exists()
    assert main(["poster", "--desk", "beboerhuset", "--languages", "da,ar", "--out", str(out), "--bot-username", "B"]) == 0
    assert read_pdf(out)[0] == ["https://t.me/B?start=beboerhuset"]


async def test_start_from_a_poster_records_the_desk_and_mydata_shows_it(logic_core):
    replies = await logic_core.handle(say("/start beboerhuset", user="poster1", kind="command"))
    assert replies[0].text.startswith(gettext("da", "Hi!"))  # the usual welcome
    data = (await logic_core.handle(say("/mydata", user="poster1", kind="command")))[0].text
    assert gettext("da", "Came through the poster of: {value}").format(value="Åben vejledning i Beboerhuset") in data


async def test_an_unknown_start_payload_is_a_plain_start(logic_core):
    replies = await logic_core.handle(say("/start <script>", user="poster2", kind="command"))
    assert replies[0].text.startswith(gettext("da", "Hi!"))
    data = (await logic_core.handle(say("/mydata", user="poster2", kind="command")))[0].text
    assert gettext("da", "Came through the poster of: {value}").split(":")[0] not in data


def test_a_poster_person_is_matched_with_their_areas_counsellor_first():
    heidi = EXAMPLE_SITE.counsellor("heidi")
    ole = dataclasses.replace(heidi, id="ole", name="Ole Berg", areas=("vestparken",))
    site = dataclasses.replace(EXAMPLE_SITE, counsellors=(ole, heidi))
    assert choose_counsellor(site, "admission", "da", THURSDAY, {}).id == "ole"  # the file's order decides
    assert choose_counsellor(site, "admission", "da", THURSDAY, {}, area="nordparken").id == "heidi"


def test_a_desk_id_too_long_for_a_link_and_the_database_is_refused(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "sites" / "example.yml").read_text(encoding="utf-8")
    path = tmp_path / "site.yml"
    path.write_text(text.replace("beboerhuset", "b" * 33), encoding="utf-8")
    with pytest.raises(SiteError) as error:
        load_site(path)
    assert "at most 32" in str(error.value)
