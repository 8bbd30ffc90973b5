"""What a person reads of web addresses on Telegram (bot/links.py)."""

from __future__ import annotations

from bot.links import as_read, to_telegram_html


def test_an_address_ending_a_sentence_opens_the_page_without_the_full_stop():
    text = "Læs mere på https://www.borger.dk/fritidsjob?alder=15&by=aarhus. Spørg også os."
    assert to_telegram_html(text) == (
        'Læs mere på <a href="https://www.borger.dk/fritidsjob?alder=15&amp;by=aarhus">borger.dk</a>. Spørg også os.')
    assert as_read(text) == "Læs mere på borger.dk. Spørg også os."


def test_markup_a_counsellor_types_is_shown_as_typed():
    text = 'Skriv <b>"mit navn"</b> & send (se https://ug.dk)'
    assert to_telegram_html(text) == (
        'Skriv &lt;b&gt;&quot;mit navn&quot;&lt;/b&gt; &amp; send (se <a href="https://ug.dk">ug.dk</a>)')


def test_text_without_addresses_is_only_escaped():
    assert to_telegram_html("2 < 3 og http:// er ikke en adresse") == "2 &lt; 3 og http:// er ikke en adresse"
