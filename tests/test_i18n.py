"""The catalogues: complete in all eight languages, placeholders intact, RTL isolated."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.content_check import check_catalogues
from bot.i18n import LOCALES_DIR, translations
from flows.crisis import crisis
from nlu.screening import Category, Level, Signal
from flows.turn import Turn
from nlu.language import SUPPORTED


def template_ids() -> set[str]:
    with open(LOCALES_DIR / "messages.pot", "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_catalogues_are_complete_and_keep_their_placeholders():
    assert check_catalogues() == []


def test_catalogue_problems_name_the_file_the_text_and_the_fix(tmp_path):
    shutil.copytree(LOCALES_DIR, tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    broken = tmp_path / "locales" / "ar" / "LC_MESSAGES" / "messages.po"
    text = broken.read_text(encoding="utf-8")
    text = text.replace('msgstr "مرحباً {name}!"', 'msgstr "مرحباً {naam}!"').replace('msgstr "مرحباً!"', 'msgstr ""')
    broken.write_text(text, encoding="utf-8")
    (tmp_path / "locales" / "so" / "LC_MESSAGES" / "messages.po").unlink()
    problems = check_catalogues(tmp_path / "locales")
    assert f"{broken}: 'Hi {{name}}!': the translation must keep the placeholders {{name}} exactly" in problems
    assert f"{broken}: 'Hi!' has no translation; write one" in problems
    assert any("so/LC_MESSAGES/messages.po: missing; run `make i18n`" in p for p in problems)
    assert len(problems) == 3


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED if lang != "en"])
def test_compiled_catalogue_translates(lang):
    assert translations(lang).gettext("Talk to a person") != "Talk to a person"


@pytest.mark.parametrize(("lang", "isolated"), [("ar", True), ("ur", True), ("fa", True), ("da", False), ("so", False)])
def test_numbers_are_isolated_in_right_to_left_text_only(lang, isolated):
    signal = Signal(Level.CRISIS, Category.SUICIDE)
    text = crisis(Turn(language=lang, now=datetime(2026, 11, 19, 20, 0)), signal, None)[0].text
    assert ("\u2068Børnetelefonen 116 111\u2069" in text) is isolated  # name and number keep their direction
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


def test_staff_template_is_up_to_date_with_the_code():
    from babel.messages.extract import extract_from_dir

    found = {message for folder in ("bot", "flows") for _, _, message, _, _ in extract_from_dir(
        LOCALES_DIR.parent / folder, method_map=[("**.py", "python")], keywords={"S_": None, "SN_": None})}
    with open(LOCALES_DIR / "staff.pot", "rb") as handle:
        assert found == {message.id for message in read_po(handle) if message.id}, "run `make i18n`"

