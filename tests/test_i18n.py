"""The catalogues: complete in all eight languages, placeholders intact, RTL isolated."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, translations
from flows.crisis import crisis
from flows.turn import Turn
from nlu.language import SUPPORTED

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def catalog(lang: str):
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def template_ids() -> set[str]:
    with open(LOCALES_DIR / "messages.pot", "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("lang", SUPPORTED)
def test_catalogue_is_complete_and_keeps_placeholders(lang):
    messages = {m.id: m for m in catalog(lang) if m.id}
    assert set(messages) == template_ids(), "run `make i18n` and translate the new texts"
    for msgid, message in messages.items():
        assert message.string.strip(), f"{lang}: untranslated: {msgid!r}"
        assert not message.fuzzy, f"{lang}: fuzzy: {msgid!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid)), (
            f"{lang}: placeholders differ in {msgid!r}"
        )


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED if lang != "en"])
def test_compiled_catalogue_translates(lang):
    assert translations(lang).gettext("Talk to a person") != "Talk to a person"


@pytest.mark.parametrize(("lang", "isolated"), [("ar", True), ("ur", True), ("fa", True), ("da", False), ("so", False)])
def test_numbers_are_isolated_in_right_to_left_text_only(lang, isolated):
    text = crisis(Turn(language=lang, now=datetime(2026, 11, 19, 20, 0)))[0].text
    assert ("\u2068116 111\u2069" in text) is isolated
    assert "116 111" in text


def test_template_is_up_to_date_with_the_code(tmp_path: Path):
    from babel.messages.extract import extract_from_dir

    root = LOCALES_DIR.parent
    found = set()
    for folder in ("bot", "flows"):
        for _, _, message, _, _ in extract_from_dir(
            root / folder, method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
        ):
            found.add(message)
    assert found == template_ids(), "run `make i18n`: the code's texts and locales/messages.pot differ"
